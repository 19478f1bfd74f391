//! The workspace's search (`GET /search?q=&type=`): tickets the agent may see, customers,
//! organisations and articles, through the same index and permission filter as
//! `GET /api/v1/search`. Snippets come from the index with the matched words in `<b>`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use ferrodesk_search::{SearchRequest, Who};

use crate::shell::AppState;
use crate::shell::search::run;
use crate::shell::{AgentSession, Chrome, render, urlencode};

/// Results per search.
const LIMIT: usize = 30;
const MAX_QUERY_CHARS: usize = 500;

#[derive(serde::Deserialize, Default)]
pub struct SearchForm {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

pub struct Tab {
    pub href: String,
    pub label: String,
    pub on: bool,
}

pub struct ResultRow {
    pub kind: &'static str,
    pub kind_label: String,
    pub href: String,
    pub title: String,
    /// Escaped HTML with `<b>` around matched words.
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "agent/search.html")]
pub struct SearchPage {
    pub c: Chrome,
    pub q: String,
    pub tabs: Vec<Tab>,
    pub rows: Vec<ResultRow>,
    pub count_label: String,
    pub unavailable: bool,
}

const KINDS: &[(&str, &str)] = &[
    ("", "search-all"),
    ("ticket", "search-tickets"),
    ("customer", "search-customers"),
    ("article", "search-articles"),
    ("organization", "search-organizations"),
];

/// Where a hit leads; organisations have a page for admins only (others see the name).
fn href(kind: &str, id: i64, admin: bool) -> Option<(&'static str, String)> {
    Some(match kind {
        "ticket" => ("ticket", format!("/tickets/{id}")),
        "customer" => ("customer", format!("/?view=all&customer={id}")),
        "article" => ("article", format!("/admin/kb/articles/{id}")),
        "organization" if admin => ("organization", "/admin/organizations".to_string()),
        "organization" => ("organization", String::new()),
        _ => return None,
    })
}

pub async fn page(
    State(s): State<AppState>,
    me: AgentSession,
    Query(f): Query<SearchForm>,
) -> Response {
    let tr = me.tr();
    let q: String =
        f.q.unwrap_or_default()
            .trim()
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect();
    let kind = KINDS
        .iter()
        .map(|k| k.0)
        .find(|k| !k.is_empty() && Some(*k) == f.kind.as_deref())
        .unwrap_or("");
    let tabs = KINDS
        .iter()
        .map(|(k, label)| Tab {
            href: if k.is_empty() {
                format!("/search?q={}", urlencode(&q))
            } else {
                format!("/search?q={}&type={k}", urlencode(&q))
            },
            label: tr.t(label),
            on: *k == kind,
        })
        .collect();
    let mut page = SearchPage {
        c: me.chrome(if q.is_empty() {
            tr.t("search-title")
        } else {
            format!("{} · {q}", tr.t("search-title"))
        }),
        q: q.clone(),
        tabs,
        rows: Vec::new(),
        count_label: String::new(),
        unavailable: false,
    };
    if q.is_empty() {
        return render(&page);
    }
    let req = SearchRequest {
        q,
        kind: (!kind.is_empty()).then(|| kind.to_string()),
        limit: LIMIT,
        ..Default::default()
    };
    let admin = me.viewer.can_manage_instance();
    match run(&s, Who::Agent(me.viewer.clone()), req).await {
        Ok(hits) => {
            page.rows = hits
                .into_iter()
                .filter_map(|h| {
                    let (kind, href) = href(&h.kind, h.id, admin)?;
                    Some(ResultRow {
                        kind,
                        kind_label: tr.t(&format!("search-kind-{kind}")),
                        href,
                        title: h.title,
                        snippet: h.snippet,
                    })
                })
                .collect();
            page.count_label = tr.n("search-count", page.rows.len() as i64);
        }
        Err(_) => page.unavailable = true,
    }
    render(&page)
}
