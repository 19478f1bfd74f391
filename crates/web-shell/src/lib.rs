//! The web shell: what every page and the API share, and nothing of any one of them. Here: the
//! signed-in agent (session cookie), CSRF tokens, cookies, the sign-in rate limit, rendering,
//! HTML errors, dates in the reader's zone and the embedded assets; in the submodules the
//! shared state, API errors and extractors, translations, form helpers, uploads and
//! downloads, links, search, metrics. Views import the shell; the shell imports no view.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ferrodesk_core::Viewer;
use ferrodesk_store::agents::{self, Agent};
use ferrodesk_store::{StoreError, auth};
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub mod auth_cache;
pub mod error;
pub mod extract;
pub mod forms;
pub mod i18n;
pub mod links;
pub mod metrics;
pub mod presence;
pub mod search;
pub mod state;
pub mod upload;
pub mod view_counts;

pub use error::ApiError;
pub use state::{AppState, MAX_BODY_BYTES, WebConfig};

use extract::session_cookie;
use i18n::{Lang, Tr};

pub const PORTAL_COOKIE: &str = "ferrodesk_portal";
/// The reader's chosen language (portal and help center), for readers without a session.
pub const LANG_COOKIE: &str = "ferrodesk_lang";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of a session: derived from the session secret, so it needs no storage and
/// dies with the session.
pub fn csrf_token(session: &str) -> String {
    auth::secret_hash(&format!("csrf:{session}"))[..32].to_string()
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (n, value) = pair.trim().split_once('=')?;
            (n == name && !value.is_empty()).then_some(value)
        })
}

pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .expect("cookie is ASCII")
}

/// Whether a page may be shown inside another site's frame: only the embeddable request form.
fn embeddable(path: &str) -> bool {
    path == "/portal/form" || path.starts_with("/portal/form/")
}

/// The content security policy of every page: this origin's scripts only (no inline script),
/// inline styles (htmx adds its indicator style), images also from mail (`https:`, `data:`),
/// and who may frame the page.
fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

/// Security headers: on every answer no MIME sniffing and no full URLs in the `Referer` sent
/// to other sites; on every HTML page a content security policy, and no framing by other
/// sites except for the embeddable request form.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let embeddable = embeddable(req.uri().path());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    let html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html {
        let ancestors = if embeddable { "*" } else { "'none'" };
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&content_security_policy(ancestors)).expect("ASCII"),
        );
        if !embeddable {
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
    }
    res
}

/// Whether every name and value of a URL-encoded form decodes to UTF-8. (The form extractor
/// would turn invalid bytes into U+FFFD silently, changing what the user sent.)
fn form_is_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').all(|pair| {
        let mut decoded = Vec::with_capacity(pair.len());
        let mut i = 0;
        while i < pair.len() {
            match pair[i] {
                b'+' => decoded.push(b' '),
                b'%' if i + 2 < pair.len() => {
                    let hex = std::str::from_utf8(&pair[i + 1..i + 3]).ok();
                    match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(byte) => {
                            decoded.push(byte);
                            i += 2;
                        }
                        None => decoded.push(b'%'),
                    }
                }
                byte => decoded.push(byte),
            }
            i += 1;
        }
        std::str::from_utf8(&decoded).is_ok()
    })
}

/// Refuses URL-encoded form posts whose text is not UTF-8 (400 `invalid_utf8`) instead of
/// letting them through with the bad bytes replaced.
pub async fn utf8_forms(req: Request, next: Next) -> Response {
    let is_form = req.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes()
            .starts_with(b"application/x-www-form-urlencoded")
    });
    if !is_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await else {
        return crate::error::payload_too_large().into_response();
    };
    if !form_is_utf8(&bytes) {
        if parts.uri.path().starts_with("/api/") {
            return crate::ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_utf8",
                "the form is not UTF-8 text",
            )
            .into_response();
        }
        return UiError {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_utf8",
            lang: reader_lang(&parts.headers),
        }
        .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Sign-in forms (no session yet) and sign-out are the only unsafe requests without a token.
fn csrf_exempt(path: &str) -> bool {
    matches!(
        path,
        "/login"
            | "/api/v1/auth/login"
            | "/api/v1/auth/logout"
            | "/portal/login"
            | "/portal/signup"
            | "/portal/link"
            | "/portal/reset"
            | "/portal/reset/confirm"
            | "/portal/form"
    )
}

/// Refuses unsafe requests made with a session cookie unless they carry the session's CSRF
/// token (header `X-CSRF-Token`, or the form field `_csrf`). An API request that carries an
/// `Authorization` header needs none: the API then authenticates by that token alone (a wrong
/// one is refused) and never by the cookie. Pages authenticate by the cookie only, so there an
/// `Authorization` header changes nothing.
pub async fn csrf_guard(req: Request, next: Next) -> Response {
    let token_authenticated =
        req.uri().path().starts_with("/api/") && req.headers().contains_key(header::AUTHORIZATION);
    if req.method().is_safe()
        || req.method() == Method::OPTIONS
        || token_authenticated
        || csrf_exempt(req.uri().path())
    {
        return next.run(req).await;
    }
    let portal = req.uri().path().starts_with("/portal");
    let secret = if portal {
        cookie_value(req.headers(), PORTAL_COOKIE)
    } else {
        session_cookie(req.headers())
    };
    let Some(expected) = secret.map(csrf_token) else {
        return next.run(req).await;
    };
    if let Some(h) = req.headers().get(CSRF_HEADER) {
        return if h.as_bytes() == expected.as_bytes() {
            next.run(req).await
        } else {
            csrf_refused(req.uri().path(), req.headers())
        };
    }
    if crate::upload::is_multipart(req.headers()) {
        // Forms with files: the token is one of the parts.
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, crate::upload::MAX_UPLOAD_BODY_BYTES).await
        else {
            if parts.uri.path().starts_with("/api/") {
                return crate::error::payload_too_large().into_response();
            }
            // A page, in the reader's language, saying what the limits are.
            return UiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: crate::upload::TOO_LARGE_CODE,
                lang: reader_lang(&parts.headers),
            }
            .into_response();
        };
        let content_type = parts.headers.get(header::CONTENT_TYPE).cloned();
        let given = match content_type {
            Some(ct) => crate::upload::multipart_csrf(&ct, &bytes),
            None => None,
        };
        if given.as_deref() != Some(expected.as_str()) {
            return csrf_refused(parts.uri.path(), &parts.headers);
        }
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    let is_form = req.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes()
            .starts_with(b"application/x-www-form-urlencoded")
    });
    if !is_form {
        return csrf_refused(req.uri().path(), req.headers());
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await else {
        return crate::error::payload_too_large().into_response();
    };
    let given = form_urlencoded_field(&bytes, CSRF_FIELD);
    if given.as_deref() != Some(expected.as_str()) {
        return csrf_refused(parts.uri.path(), &parts.headers);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn csrf_refused(path: &str, headers: &HeaderMap) -> Response {
    if path.starts_with("/api/") {
        return crate::ApiError::forbidden(
            "csrf_failed",
            "this request needs the session's CSRF token in the X-CSRF-Token header",
        )
        .into_response();
    }
    UiError {
        status: StatusCode::FORBIDDEN,
        code: "csrf_failed",
        lang: reader_lang(headers),
    }
    .into_response()
}

/// The language of a page answered without a session lookup: the portal's language cookie,
/// else the browser's.
fn reader_lang(headers: &HeaderMap) -> Lang {
    match cookie_value(headers, LANG_COOKIE) {
        Some(l) => Lang::parse(l),
        None => Lang::from_accept(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        ),
    }
}

/// Failed sign-ins, shared by every sign-in surface (the agent page, the API, the portal), so
/// that no surface is a way around another's limit. Three counts within [`LOGIN_WINDOW`]: one
/// account from one IP, one account from anywhere (a spread-out guess at one password), and
/// one IP across accounts (one client guessing many accounts). The account key is the email
/// for agents; the portal prefixes its own, so a customer and an agent are different accounts.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// Failures of one account from one IP before it is locked out there.
pub const LOGIN_MAX_FAILURES: u32 = 5;
/// Failures of one account from all IPs together before it is locked out everywhere.
pub const LOGIN_MAX_ACCOUNT_FAILURES: u32 = 20;
/// Failures from one IP, whatever the accounts, before that IP is locked out.
pub const LOGIN_MAX_IP_FAILURES: u32 = 20;
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

impl LoginLimiter {
    fn keys(ip: &str, account: &str) -> [(String, u32); 3] {
        let account = account.trim().to_lowercase();
        [
            (format!("pair|{ip}|{account}"), LOGIN_MAX_FAILURES),
            (format!("account|{account}"), LOGIN_MAX_ACCOUNT_FAILURES),
            (format!("ip|{ip}"), LOGIN_MAX_IP_FAILURES),
        ]
    }

    /// `Some(wait)` while this IP, this account, or the two together are locked out.
    pub fn blocked(&self, ip: &str, account: &str) -> Option<Duration> {
        let map = self.failures.lock().expect("limiter lock");
        Self::keys(ip, account)
            .iter()
            .filter_map(|(key, max)| {
                let (n, since) = map.get(key)?;
                let elapsed = since.elapsed();
                (*n >= *max && elapsed < LOGIN_WINDOW).then(|| LOGIN_WINDOW - elapsed)
            })
            .max()
    }

    pub fn failed(&self, ip: &str, account: &str) {
        self.bump(Self::keys(ip, account).into_iter());
    }

    fn bump(&self, keys: impl Iterator<Item = (String, u32)>) {
        let mut map = self.failures.lock().expect("limiter lock");
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < LOGIN_WINDOW);
        }
        for (key, _) in keys {
            let e = map.entry(key).or_insert((0, Instant::now()));
            if e.1.elapsed() >= LOGIN_WINDOW {
                *e = (0, Instant::now());
            }
            e.0 += 1;
        }
    }

    /// Counts a request that is throttled like a failed sign-in although it is not one (a
    /// sign-up mails someone): for the account, alone and from this IP, but not against the
    /// IP as a whole, so that many customers signing up from behind one address (a company's
    /// proxy) do not lock everyone there out of signing in.
    pub fn counted(&self, ip: &str, account: &str) {
        self.bump(Self::keys(ip, account).into_iter().take(2));
    }

    /// A right password clears that account's counts; the IP's stays (signing in to one's own
    /// account must not reset a guess at others').
    pub fn succeeded(&self, ip: &str, account: &str) {
        let mut map = self.failures.lock().expect("limiter lock");
        for (key, _) in Self::keys(ip, account).into_iter().take(2) {
            map.remove(&key);
        }
    }
}

/// The client's IP address as an extractor (see [`client_ip`]).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(&parts.extensions)))
    }
}

/// The client's IP address (the TCP peer).
pub fn client_ip(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Renders a template as an HTML answer.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(body) => Html(body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// Formats an instant in the reader's time zone.
pub fn fmt_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// The page chrome: language, CSRF token and who is signed in.
pub struct Chrome {
    pub tr: Tr,
    pub csrf: String,
    pub user: Option<String>,
    pub is_admin: bool,
    pub area: &'static str,
    pub title: String,
}

impl Chrome {
    pub fn public(lang: Lang, area: &'static str, title_key: &str) -> Chrome {
        let tr = Tr(lang);
        Chrome {
            tr,
            csrf: String::new(),
            user: None,
            is_admin: false,
            area,
            title: tr.t(title_key),
        }
    }

    pub fn css(&self) -> &'static str {
        assets::CSS_URL.get().map(String::as_str).unwrap_or("")
    }
    pub fn js(&self) -> &'static str {
        assets::JS_URL.get().map(String::as_str).unwrap_or("")
    }
    pub fn htmx(&self) -> &'static str {
        assets::HTMX_URL.get().map(String::as_str).unwrap_or("")
    }
    pub fn kb_css(&self) -> &'static str {
        assets::KB_CSS_URL.get().map(String::as_str).unwrap_or("")
    }
    pub fn kb_js(&self) -> &'static str {
        assets::KB_JS_URL.get().map(String::as_str).unwrap_or("")
    }
}

/// The signed-in agent of a page. Without a valid session, pages redirect to `/login`.
pub struct AgentSession {
    pub viewer: Viewer,
    pub agent: Agent,
    pub lang: Lang,
    pub tz: TimeZone,
    pub csrf: String,
}

impl AgentSession {
    pub fn chrome(&self, title: String) -> Chrome {
        Chrome {
            tr: Tr(self.lang),
            csrf: self.csrf.clone(),
            user: Some(self.agent.name.clone()),
            // The admin area's link: admins, and supervisors for their part of it.
            is_admin: self.viewer.role.sees_all_tickets(),
            area: "agent",
            title,
        }
    }
    pub fn tr(&self) -> Tr {
        Tr(self.lang)
    }
}

impl FromRequestParts<AppState> for AgentSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Response> {
        let to_login = || {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = if parts.method == Method::GET && next != "/" {
                format!("/login?next={}", urlencode(next))
            } else {
                "/login".into()
            };
            Redirect::to(&target).into_response()
        };
        let Some(session) = session_cookie(&parts.headers).map(str::to_owned) else {
            return Err(to_login());
        };
        let lang = Lang::from_accept(
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        );
        let viewer = match auth::viewer_for_session(&s.db, &session).await {
            Ok(Some(v)) => v,
            Ok(None) => return Err(to_login()),
            Err(e) => return Err(UiError::from_store(e, lang).into_response()),
        };
        let agent = agents::get(&s.db, viewer.agent_id)
            .await
            .map_err(|e| UiError::from_store(e, lang).into_response())?;
        Ok(AgentSession {
            lang: Lang::parse(&agent.locale),
            tz: zone(&agent.time_zone),
            csrf: csrf_token(&session),
            viewer,
            agent,
        })
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Only local paths are followed after sign-in.
pub fn safe_next(next: Option<&str>, default: &str) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.into(),
        _ => default.into(),
    }
}

#[derive(Template)]
#[template(path = "layout/error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub message: String,
    pub back: &'static str,
}

/// An error shown as a page, translated by its stable code.
#[derive(Debug)]
pub struct UiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub lang: Lang,
}

impl UiError {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code,
            lang: Lang::En,
        }
    }

    pub fn from_store(e: StoreError, lang: Lang) -> Self {
        let api = crate::ApiError::from(e);
        Self {
            status: api.status,
            code: api.code,
            lang,
        }
    }
}

/// The translation key for an error code (unknown codes get a generic message).
pub fn error_key(code: &str) -> String {
    const KNOWN: &[&str] = &[
        "csrf_failed",
        "translation_exists",
        "article_not_found",
        "category_not_found",
        "ticket_forbidden",
        "ticket_not_found",
        "illegal_transition",
        "ticket_closed",
        "invalid_field",
        "assignee_not_in_team",
        "agent_not_found",
        "team_not_found",
        "merge_requires_target",
        "internal_error",
        "account_exists",
        "admin_required",
        "supervisor_required",
        "calendar_in_use",
        "tag_not_found",
        "customer_has_tickets",
        "ticket_category_not_found",
        "invalid_credentials",
        "rate_limited",
        "link_invalid",
        "customer_not_found",
        "attachment_too_large",
        "attachment_not_found",
        "invalid_body",
        "invalid_utf8",
        "last_admin",
        "team_in_use",
    ];
    if KNOWN.contains(&code) {
        format!("error-{}", code.replace('_', "-"))
    } else {
        "error-generic".into()
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let tr = Tr(self.lang);
        let page = ErrorPage {
            c: Chrome::public(self.lang, "agent", "error-title"),
            message: tr.t(&error_key(self.code)),
            back: "/",
        };
        (self.status, render(&page)).into_response()
    }
}

pub mod assets {
    //! CSS, JS and htmx, embedded and served with long cache lifetimes under content-hashed URLs.
    use std::sync::OnceLock;

    use axum::extract::Path;
    use axum::http::{StatusCode, header};
    use axum::response::{IntoResponse, Response};

    pub const HTMX: &str = include_str!("../assets/htmx.min.js");
    pub const CSS: &str = include_str!("../assets/app.css");
    pub const JS: &str = include_str!("../assets/app.js");
    pub const EMBED_JS: &str = include_str!("../assets/embed.js");
    /// Knowledge-base helpers: the ticket's suggestion panel, portal deflection, the article
    /// editor.
    pub const KB_CSS: &str = include_str!("../assets/kb.css");
    pub const KB_JS: &str = include_str!("../assets/kb.js");

    pub static CSS_URL: OnceLock<String> = OnceLock::new();
    pub static JS_URL: OnceLock<String> = OnceLock::new();
    pub static HTMX_URL: OnceLock<String> = OnceLock::new();
    pub static KB_CSS_URL: OnceLock<String> = OnceLock::new();
    pub static KB_JS_URL: OnceLock<String> = OnceLock::new();

    fn versioned(name: &str, body: &str) -> String {
        let hash = ferrodesk_store::auth::secret_hash(body);
        format!("/assets/{name}?v={}", &hash[..12])
    }

    pub fn init() {
        CSS_URL.get_or_init(|| versioned("app.css", CSS));
        JS_URL.get_or_init(|| versioned("app.js", JS));
        HTMX_URL.get_or_init(|| versioned("htmx.min.js", HTMX));
        KB_CSS_URL.get_or_init(|| versioned("kb.css", KB_CSS));
        KB_JS_URL.get_or_init(|| versioned("kb.js", KB_JS));
    }

    pub async fn serve(Path(name): Path<String>) -> Response {
        let (body, mime, immutable) = match name.as_str() {
            "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8", true),
            "app.css" => (CSS, "text/css; charset=utf-8", true),
            "app.js" => (JS, "text/javascript; charset=utf-8", true),
            "embed.js" => (EMBED_JS, "text/javascript; charset=utf-8", false),
            "kb.css" => (KB_CSS, "text/css; charset=utf-8", true),
            "kb.js" => (KB_JS, "text/javascript; charset=utf-8", true),
            _ => return StatusCode::NOT_FOUND.into_response(),
        };
        let cache = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        };
        (
            [(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, cache)],
            body,
        )
            .into_response()
    }
}

/// A redirect that htmx follows as a full navigation too.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// `State` re-export for the page modules.
pub type St = State<AppState>;
