//! `/notifications`: the agent's in-app notifications (SLA breaches for supervisors, rule
//! notifications for a ticket's owners), newest first, with "mark read".

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use ferrodesk_store::PageRequest;
use ferrodesk_store::notifications;

use crate::shell::AppState;
use crate::shell::{AgentSession, Chrome, UiError, fmt_time, render, see_other};

pub struct Row {
    pub id: i64,
    pub at: String,
    pub title: String,
    /// Text a rule's author wrote (shown as is); none for the system's own notices.
    pub text: Option<String>,
    pub href: Option<String>,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "agent/notifications.html")]
pub struct NotificationsPage {
    pub c: Chrome,
    pub rows: Vec<Row>,
    pub more: Option<String>,
    pub unread_only: bool,
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    pub cursor: Option<String>,
    pub unread: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    me: AgentSession,
    Query(q): Query<ListQuery>,
) -> Response {
    let tr = me.tr();
    let unread_only = q.unread.is_some();
    let result = async {
        let page = PageRequest::parse(Some(50), q.cursor.as_deref())?;
        notifications::list(&s.db, &me.viewer, unread_only, page).await
    }
    .await;
    let page = match result {
        Ok(p) => p,
        Err(e) => return UiError::from_store(e, me.lang).into_response(),
    };
    let rows = page
        .items
        .iter()
        .map(|n| {
            let (title, text) = match n.kind.as_str() {
                "sla.breached" => (tr.t("notification-sla-breached"), None),
                "rule.notify" => (tr.t("notification-rule"), Some(n.message.clone())),
                _ => (tr.t("notification-other"), Some(n.message.clone())),
            };
            Row {
                id: n.id,
                at: fmt_time(n.created_at, &me.tz),
                title,
                text,
                href: n.ticket_id.map(|t| format!("/tickets/{t}")),
                unread: n.read_at.is_none(),
            }
        })
        .collect();
    let more = page.next_cursor.map(|c| {
        format!(
            "/notifications?cursor={c}{}",
            if unread_only { "&unread=1" } else { "" }
        )
    });
    render(&NotificationsPage {
        c: me.chrome(tr.t("notifications-title")),
        rows,
        more,
        unread_only,
    })
}

#[derive(serde::Deserialize)]
pub struct ReadForm {
    /// One notification; absent: all of them.
    pub id: Option<i64>,
}

pub async fn read(
    State(s): State<AppState>,
    me: AgentSession,
    Form(f): Form<ReadForm>,
) -> Response {
    match notifications::mark_read(&s.db, &me.viewer, f.id).await {
        Ok(_) => see_other("/notifications"),
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}
