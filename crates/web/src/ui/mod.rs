//! The agent workspace (`/`): sign-in, views and queues, the ticket page, bulk actions,
//! settings, live updates (SSE) and presence (collision detection).

pub mod assist;
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

use crate::shell::AppState;

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
            post(ticket::reply).layer(DefaultBodyLimit::max(
                crate::shell::upload::MAX_UPLOAD_BODY_BYTES,
            )),
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
