//! Searches run for the viewer on this node's index, shared by the API and the agent pages:
//! the query itself, and the text a ticket is about (for suggested articles and similar
//! tickets).

use axum::http::StatusCode;
use ferrodesk_search::{Hit, SearchRequest, Who};

use super::error::{ApiError, ApiResult};
use super::state::AppState;

pub async fn run(s: &AppState, who: Who, req: SearchRequest) -> ApiResult<Vec<Hit>> {
    let Some(index) = &s.search else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "search_unavailable",
            "search is not enabled on this node",
        ));
    };
    if req.q.trim().is_empty() {
        return Ok(Vec::new());
    }
    index.search_async(who, req).await.map_err(|e| {
        tracing::error!(error = %e, "search failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the search failed; it has been logged",
        )
    })
}

/// The text a ticket is about: its subject and the start of its conversation.
pub async fn ticket_text(
    s: &AppState,
    viewer: &ferrodesk_core::Viewer,
    id: i64,
) -> ApiResult<String> {
    let ticket = ferrodesk_store::tickets::get(&s.db, viewer, id).await?;
    let messages = ferrodesk_store::tickets::messages(
        &s.db,
        viewer,
        id,
        ferrodesk_store::PageRequest::first(3),
    )
    .await?;
    let mut text = ticket.subject.clone();
    for m in messages.items.iter().filter(|m| !m.internal) {
        text.push(' ');
        text.extend(m.body.chars().take(600));
    }
    // Quotes would turn parts of the text into required phrases.
    Ok(text.replace('"', " "))
}

/// Articles about `text` (a ticket's [`ticket_text`]).
pub fn suggestions_request(text: String, limit: usize) -> SearchRequest {
    SearchRequest {
        q: text,
        kind: Some("article".into()),
        limit,
        ..Default::default()
    }
}

/// Tickets about `text`, other than `ticket_id`.
pub fn similar_request(text: String, ticket_id: i64, limit: usize) -> SearchRequest {
    SearchRequest {
        q: text,
        kind: Some("ticket".into()),
        limit,
        exclude: Some((ferrodesk_search::TICKET, ticket_id)),
        ..Default::default()
    }
}
