//! Ferrodesk's HTTP face: the `/api/v1` JSON API, its OpenAPI document and docs page, health
//! checks and Prometheus metrics, and the server-rendered pages: the agent workspace (`/`),
//! the customer portal (`/portal`) and the admin pages (`/admin`).

pub mod admin;
pub mod api;
mod auth_cache;
pub mod error;
pub mod extract;
mod health;
pub mod help;
pub mod i18n;
pub mod mailer;
pub mod markdown;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod portal;
pub mod ui;
pub mod upload;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use ferrodesk_store::Db;
use tokio::net::TcpListener;

pub use error::ApiError;

/// The largest request body the API accepts.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<metrics::Metrics>,
    pub auth_cache: Arc<auth_cache::AuthCache>,
    /// This node's search index; `None` answers searches with 503.
    pub search: Option<Arc<ferrodesk_search::SearchIndex>>,
    /// Failed sign-ins per IP and email (agents and portal customers).
    pub login_limiter: Arc<pages::LoginLimiter>,
    /// Who is viewing or typing on which ticket (this node).
    pub presence: Arc<ui::live::Presence>,
    /// The workspace's view counts, cached per agent for a few seconds.
    pub view_counts: Arc<ui::counts::CountCache>,
    /// Sends the portal's one-time links (sign-in, reset, confirm).
    pub mailer: Arc<dyn mailer::Mailer>,
}

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> Self {
        Self {
            db,
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::new()),
            auth_cache: Arc::default(),
            search: None,
            login_limiter: Arc::default(),
            presence: Arc::default(),
            view_counts: Arc::default(),
            mailer: Arc::new(mailer::LogMailer),
        }
    }

    /// Replaces the mailer (SMTP, or a capturing one in tests).
    pub fn with_mailer(mut self, mailer: Arc<dyn mailer::Mailer>) -> Self {
        self.mailer = mailer;
        self
    }

    /// Serves searches from `index` (kept up to date by `ferrodesk_search::follow`).
    pub fn with_search(mut self, index: Arc<ferrodesk_search::SearchIndex>) -> Self {
        self.search = Some(index);
        self
    }
}

pub fn router(state: AppState) -> Router {
    let api = api::router(&state)
        .route("/openapi.json", get(openapi::spec))
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
        .route("/api/docs", get(openapi::docs_page))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .merge(help::router())
        .route("/kb/files/{id}/{name}", get(api::kb::serve_file))
        .route("/assets/{name}", get(pages::assets::serve))
        .merge(ui::router())
        .merge(portal::router())
        .merge(admin::router())
        .merge(admin::kb::router())
        .layer(axum::middleware::from_fn(pages::csrf_guard))
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

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    pages::assets::init();
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
