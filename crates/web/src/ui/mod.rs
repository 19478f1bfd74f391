//! The agent workspace (`/`): sign-in, views and queues, the ticket page, bulk actions,
//! settings, live updates (SSE) and presence (collision detection).

pub mod assist;
pub mod counts;
pub mod history;
pub mod live;
pub mod login;
pub mod notifications;
pub mod queue;
pub mod search;
pub mod ticket;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use ferrodesk_core::{Channel, Priority, Status};

use crate::AppState;
use crate::i18n::Tr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(queue::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/settings", get(login::settings).post(login::save_settings))
        .route("/settings/tokens", post(login::tokens))
        .route("/notifications", get(notifications::page))
        .route("/notifications/read", post(notifications::read))
        .route("/bulk", post(queue::bulk))
        .route("/tickets/{id}", get(ticket::page))
        .route("/tickets/{id}/thread", get(ticket::thread))
        .route(
            "/tickets/{id}/reply",
            post(ticket::reply).layer(DefaultBodyLimit::max(crate::upload::MAX_UPLOAD_BODY_BYTES)),
        )
        .route(
            "/attachments/{message_id}/{position}",
            get(ticket::attachment),
        )
        .route("/tickets/{id}/fields", post(ticket::fields))
        .route("/tickets/{id}/macro", post(ticket::apply_macro))
        .route("/tickets/{id}/presence", post(live::presence))
        .route("/tickets/{id}/assist", get(assist::panel))
        .route("/search", get(search::page))
        .route("/live", get(live::stream))
}

/// An option of a `<select>`.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

pub fn status_label(tr: Tr, s: Status) -> String {
    tr.t(&format!("status-{}", s.as_str().replace('_', "-")))
}

pub fn priority_label(tr: Tr, p: Priority) -> String {
    tr.t(&format!("priority-{}", p.as_str()))
}

pub fn channel_label(tr: Tr, c: Channel) -> String {
    tr.t(&format!("channel-{}", c.as_str()))
}

pub fn status_opts(tr: Tr, current: Option<Status>, all: bool) -> Vec<Opt> {
    Status::ALL
        .iter()
        .filter(|s| all || **s != Status::Merged)
        .map(|s| Opt::new(s.as_str(), status_label(tr, *s), current == Some(*s)))
        .collect()
}

pub fn priority_opts(tr: Tr, current: Option<Priority>) -> Vec<Opt> {
    Priority::ALL
        .iter()
        .map(|p| Opt::new(p.as_str(), priority_label(tr, *p), current == Some(*p)))
        .collect()
}

pub fn channel_opts(tr: Tr, current: Option<Channel>) -> Vec<Opt> {
    Channel::ALL
        .iter()
        .map(|c| Opt::new(c.as_str(), channel_label(tr, *c), current == Some(*c)))
        .collect()
}

/// Empty form fields mean "not set".
pub fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty())
}
