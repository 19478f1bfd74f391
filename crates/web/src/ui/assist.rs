//! The ticket page's assistant panel, loaded after the page (`GET /tickets/{id}/assist`):
//! knowledge-base articles relevant to the ticket, with buttons that put an article's public
//! link or its text into the reply box, and similar tickets. One read of the ticket's text,
//! two index queries, one query for the suggested articles and one for the similar tickets'
//! current status.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use ferrodesk_core::Visibility;
use ferrodesk_kb as kb;
use ferrodesk_search::{Hit, Who};

use crate::shell::AppState;
use crate::shell::error::ApiError;
use crate::shell::search::{run, similar_request, suggestions_request, ticket_text};
use crate::shell::{AgentSession, Chrome, UiError, render};

/// Articles and tickets shown in the panel.
const PANEL_ITEMS: usize = 5;

pub struct SuggestedArticle {
    pub id: i64,
    pub title: String,
    /// HTML from the index: escaped text with `<b>` around matched words.
    pub snippet: String,
    /// The help center URL, for public, live articles.
    pub public_url: Option<String>,
    /// `internal`, `draft` or `scheduled`, when it is not public and live.
    pub badge: Option<String>,
}

pub struct SimilarTicket {
    pub href: String,
    pub title: String,
    pub snippet: String,
    /// The ticket's current status (the index may lag a moment behind).
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "agent/assist.html")]
pub struct AssistFragment {
    pub c: Chrome,
    pub articles: Vec<SuggestedArticle>,
    pub similar: Vec<SimilarTicket>,
    /// Search is off on this node, or failed.
    pub unavailable: bool,
}

pub async fn panel(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let tr = me.tr();
    let mut fragment = AssistFragment {
        c: me.chrome(String::new()),
        articles: Vec::new(),
        similar: Vec::new(),
        unavailable: false,
    };
    let text = match ticket_text(&s, &me.viewer, id).await {
        Ok(t) => t,
        Err(e) => return api_error_page(e, &me),
    };
    let found = async {
        let articles = run(
            &s,
            Who::Agent(me.viewer.clone()),
            suggestions_request(text.clone(), PANEL_ITEMS),
        )
        .await?;
        let similar = run(
            &s,
            Who::Agent(me.viewer.clone()),
            similar_request(text, id, PANEL_ITEMS),
        )
        .await?;
        Ok::<(Vec<Hit>, Vec<Hit>), ApiError>((articles, similar))
    }
    .await;
    let (article_hits, ticket_hits) = match found {
        Ok(f) => f,
        Err(_) => {
            fragment.unavailable = true;
            return render(&fragment);
        }
    };
    let ids: Vec<i64> = article_hits.iter().map(|h| h.id).collect();
    let loaded = match kb::articles_by_ids(&s.db, &ids).await {
        Ok(a) => a,
        Err(e) => return UiError::from_store(e, me.lang).into_response(),
    };
    let by_id: HashMap<i64, kb::Article> = loaded.into_iter().map(|a| (a.id, a)).collect();
    let ticket_ids: Vec<i64> = ticket_hits.iter().map(|h| h.id).collect();
    let tickets: HashMap<i64, ferrodesk_store::tickets::Ticket> =
        match ferrodesk_store::views::tickets_by_ids(&s.db, &ticket_ids).await {
            Ok(t) => t.into_iter().map(|t| (t.id, t)).collect(),
            Err(e) => return UiError::from_store(e, me.lang).into_response(),
        };
    let origin = crate::shell::links::origin(&s, &headers);
    fragment.articles = article_hits
        .into_iter()
        .filter_map(|h| {
            let a = by_id.get(&h.id)?;
            let public = a.visibility == Visibility::Public && a.live;
            let badge = if a.visibility != Visibility::Public {
                Some(tr.t("kb-internal"))
            } else if a.status == ferrodesk_core::kb::ArticleStatus::Draft {
                Some(tr.t("kb-status-draft"))
            } else if !a.live {
                Some(tr.t("kb-scheduled"))
            } else {
                None
            };
            Some(SuggestedArticle {
                id: a.id,
                title: a.title.clone(),
                snippet: h.snippet,
                public_url: public
                    .then(|| format!("{origin}{}", crate::shell::links::article_href(a))),
                badge,
            })
        })
        .collect();
    fragment.similar = ticket_hits
        .into_iter()
        .filter_map(|h| {
            let t = tickets.get(&h.id)?;
            Some(SimilarTicket {
                href: format!("/tickets/{}", h.id),
                title: h.title,
                snippet: h.snippet,
                status: t.status.as_str(),
                status_label: crate::shell::forms::status_label(tr, t.status),
            })
        })
        .collect();
    render(&fragment)
}

fn api_error_page(e: ApiError, me: &AgentSession) -> Response {
    UiError {
        status: e.status,
        code: e.code,
        lang: me.lang,
    }
    .into_response()
}
