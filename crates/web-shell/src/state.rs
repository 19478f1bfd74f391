//! What every handler shares: the database, this node's search index and caches, the sign-in
//! limiter, presence, the mailer for the portal's links.

use std::sync::Arc;

use ferrodesk_desk::mailer;
use ferrodesk_store::Db;

use super::{auth_cache, metrics, presence, view_counts};

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
    pub login_limiter: Arc<super::LoginLimiter>,
    /// Who is viewing or typing on which ticket (this node).
    pub presence: Arc<presence::Presence>,
    /// The workspace's view counts, cached per agent for a few seconds.
    pub view_counts: Arc<view_counts::CountCache>,
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

    /// Serves searches from `index` (kept up to date by its `ferrodesk_search::IndexFollower`).
    pub fn with_search(mut self, index: Arc<ferrodesk_search::SearchIndex>) -> Self {
        self.search = Some(index);
        self
    }
}
