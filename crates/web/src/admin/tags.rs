//! `/admin/tags` and `/admin/categories` (supervisors and admins): the ticket tags or
//! categories in use with their ticket counts; rename one (onto an existing name, which merges
//! them) or remove it from every ticket.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use ferrodesk_store::{Actor, StoreError, categories, tags};

use super::{Flash, Nav, back, flash_texts, nav_for, unless_supervisor};
use crate::shell::AppState;
use crate::shell::{AgentSession, Chrome, UiError, render, urlencode};

/// Rows per page: each carries two small forms, and the page with its CSS and scripts stays
/// under 100 KB.
const PER_PAGE: i64 = 30;

/// Which list the page manages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tags,
    Categories,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        match s {
            "tags" => Some(Kind::Tags),
            "categories" => Some(Kind::Categories),
            _ => None,
        }
    }
    fn path(self) -> &'static str {
        match self {
            Kind::Tags => "tags",
            Kind::Categories => "categories",
        }
    }
    /// The queue filter that shows a name's tickets.
    fn filter(self) -> &'static str {
        match self {
            Kind::Tags => "tag",
            Kind::Categories => "category",
        }
    }
}

pub struct TagRow {
    pub href: String,
    pub name: String,
    pub count: i64,
}

#[derive(Template)]
#[template(path = "admin/tags.html")]
pub struct TagsPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    /// `tags` or `categories`: the form actions and message keys.
    pub kind: &'static str,
    pub hint: String,
    pub delete_confirm: String,
    pub rows: Vec<TagRow>,
    pub next: Option<String>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct TagsQuery {
    pub after: Option<String>,
    #[serde(flatten)]
    pub flash: Flash,
}

fn not_found(me: &AgentSession) -> Response {
    UiError::from_store(StoreError::not_found("page", 0), me.lang).into_response()
}

pub async fn page(
    State(s): State<AppState>,
    me: AgentSession,
    Path(kind): Path<String>,
    Query(q): Query<TagsQuery>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let Some(kind) = Kind::parse(&kind) else {
        return not_found(&me);
    };
    let tr = me.tr();
    let after = q.after.as_deref();
    let listed = match kind {
        Kind::Tags => tags::list(&s.db, after, PER_PAGE).await.map(|p| {
            (
                p.items
                    .into_iter()
                    .map(|t| (t.name, t.tickets))
                    .collect::<Vec<_>>(),
                p.next_cursor,
            )
        }),
        Kind::Categories => categories::list(&s.db, after, PER_PAGE).await.map(|p| {
            (
                p.items.into_iter().map(|c| (c.name, c.tickets)).collect(),
                p.next_cursor,
            )
        }),
    };
    match listed {
        Ok((items, next)) => {
            let (error, notice) = flash_texts(tr, &q.flash);
            render(&TagsPage {
                c: me.chrome(tr.t(&format!("admin-{}", kind.path()))),
                nav: nav_for(&me, &format!("/admin/{}", kind.path())),
                kind: kind.path(),
                hint: tr.t(&format!("admin-{}-hint", kind.path())),
                delete_confirm: tr.t(&format!("admin-{}-delete-confirm", kind.path())),
                rows: items
                    .into_iter()
                    .map(|(name, count)| TagRow {
                        href: format!("/?view=all&{}={}", kind.filter(), urlencode(&name)),
                        name,
                        count,
                    })
                    .collect(),
                next: next.map(|n| format!("/admin/{}?after={}", kind.path(), urlencode(&n))),
                error,
                notice,
            })
        }
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct RenameForm {
    pub from: String,
    pub to: String,
}

pub async fn rename(
    State(s): State<AppState>,
    me: AgentSession,
    Path(kind): Path<String>,
    Form(f): Form<RenameForm>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let Some(kind) = Kind::parse(&kind) else {
        return not_found(&me);
    };
    let actor = Actor::agent(me.agent.id);
    let result = match kind {
        Kind::Tags => tags::rename(&s.db, actor, &f.from, &f.to).await,
        Kind::Categories => categories::rename(&s.db, actor, &f.from, &f.to).await,
    };
    s.view_counts.forget(me.agent.id);
    back(&format!("/admin/{}", kind.path()), result.map(drop))
}

#[derive(serde::Deserialize)]
pub struct DeleteForm {
    pub name: String,
}

pub async fn delete(
    State(s): State<AppState>,
    me: AgentSession,
    Path(kind): Path<String>,
    Form(f): Form<DeleteForm>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let Some(kind) = Kind::parse(&kind) else {
        return not_found(&me);
    };
    let actor = Actor::agent(me.agent.id);
    let result = match kind {
        Kind::Tags => tags::delete(&s.db, actor, &f.name).await,
        Kind::Categories => categories::rename(&s.db, actor, &f.name, "").await,
    };
    s.view_counts.forget(me.agent.id);
    back(&format!("/admin/{}", kind.path()), result.map(drop))
}
