//! Ferrodesk's HTTP face: the `/api/v1` JSON API, its OpenAPI document and docs page, health
//! checks and Prometheus metrics, and the server-rendered pages: the agent workspace (`/`),
//! the customer portal (`/portal`) and the admin pages (`/admin`).

//!
//! The pages and the API are rooms that depend on the shell (`ferrodesk_web_shell`: the shared
//! chrome, sessions, CSRF, errors, cookies, rendering) only; the shell, a crate of its own,
//! cannot import any of them, and none imports another.

pub mod admin;
pub mod api;
mod health;
pub mod help;
pub mod portal;
pub mod ui;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tokio::net::TcpListener;

/// The shell every room here builds on, under the name the rooms use for it.
pub use ferrodesk_web_shell as shell;

pub use shell::error::ApiError;
pub use shell::state::{AppState, MAX_BODY_BYTES, WebConfig};
use shell::{assets, csrf_guard, error, metrics, security_headers, utf8_forms};

pub fn router(state: AppState) -> Router {
    let api = api::router(&state)
        .route("/openapi.json", get(api::openapi::spec))
        .fallback(|| async { ApiError::not_found_route() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take that HTTP method",
            )
        });
    Router::new()
        .nest("/api/v1", api)
        .route("/api/docs", get(api::openapi::docs_page))
        .route("/api/docs.js", get(api::openapi::docs_script))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(help::router())
        .route("/kb/files/{id}/{name}", get(api::kb::serve_file))
        .route("/assets/{name}", get(assets::serve))
        .merge(ui::router())
        .merge(portal::router())
        .merge(admin::router())
        .merge(admin::kb::router())
        .layer(axum::middleware::from_fn(csrf_guard))
        .layer(axum::middleware::from_fn(utf8_forms))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::map_response(payload_too_large_as_json))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Bodies over the limit can be refused below our extractors (while streaming); answer those in
/// the API's format too.
async fn payload_too_large_as_json(res: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    // Our own answers (JSON, or a page explaining the upload limits) stay as they are.
    let ours = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
        });
    if res.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE && !ours {
        return error::payload_too_large().into_response();
    }
    res
}

/// Prometheus metrics, for a listener of their own (`--metrics-listen`): they say how busy the
/// desk is and which routes fail, which is not for the public address.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::render))
        .with_state(state)
}

/// Serves the metrics on `listener` until `shutdown` resolves.
pub async fn serve_metrics(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, metrics_router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    assets::init();
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
