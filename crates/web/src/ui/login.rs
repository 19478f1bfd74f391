//! `/login`, `/logout` and `/settings` (language and time zone).

use askama::Template;
use axum::Form;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ferrodesk_store::agents::{self, AgentPatch};
use ferrodesk_store::{StoreError, auth};

use crate::shell::AppState;
use crate::shell::extract::{SESSION_COOKIE, session_cookie};
use crate::shell::forms::Opt;
use crate::shell::i18n::{Lang, Tr};
use crate::shell::{AgentSession, Chrome, UiError, client_ip, render, safe_next, see_other};

#[derive(Template)]
#[template(path = "agent/login.html")]
pub struct LoginPage {
    pub c: Chrome,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::from_accept(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

pub async fn form(headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let lang = lang_of(&headers);
    render(&LoginPage {
        c: Chrome::public(lang, "agent", "login-title"),
        email: String::new(),
        next: safe_next(q.next.as_deref(), "/"),
        error: None,
    })
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: Option<String>,
    /// The browser's time zone (filled in by the page's script).
    pub tz: Option<String>,
}

/// An agent still on the default zone takes the browser's at sign-in, so times are theirs
/// from the first page; a zone chosen in the settings is never overridden.
async fn adopt_browser_zone(s: &AppState, agent_id: i64, tz: Option<&str>) {
    let Some(tz) = tz.map(str::trim).filter(|z| !z.is_empty() && *z != "UTC") else {
        return;
    };
    if jiff::tz::TimeZone::get(tz).is_err() {
        return;
    }
    if let Ok(agent) = agents::get(&s.db, agent_id).await
        && agent.time_zone == "UTC"
    {
        let patch = AgentPatch {
            time_zone: Some(tz.to_string()),
            ..AgentPatch::default()
        };
        let _ = agents::update(
            &s.db,
            ferrodesk_store::Actor::agent(agent_id),
            agent_id,
            patch,
        )
        .await;
    }
}

pub async fn submit(State(s): State<AppState>, req: Request) -> Response {
    let lang = lang_of(req.headers());
    let ip = client_ip(req.extensions());
    let Ok(Form(f)) = Form::<LoginForm>::from_request(req, &s).await else {
        return UiError::new(StatusCode::BAD_REQUEST, "invalid_field").into_response();
    };
    let tr = Tr(lang);
    let next = safe_next(f.next.as_deref(), "/");
    let page = |status: StatusCode, key: &str, email: &str| {
        let mut res = render(&LoginPage {
            c: Chrome::public(lang, "agent", "login-title"),
            email: email.to_string(),
            next: next.clone(),
            error: Some(tr.t(key)),
        });
        *res.status_mut() = status;
        res
    };
    if let Some(wait) = s.login_limiter.blocked(&ip, &f.email) {
        let mut res = page(
            StatusCode::TOO_MANY_REQUESTS,
            "error-rate-limited",
            &f.email,
        );
        res.headers_mut().insert(
            header::RETRY_AFTER,
            wait.as_secs().max(1).to_string().parse().expect("digits"),
        );
        return res;
    }
    match auth::login(&s.db, &f.email, &f.password).await {
        Ok(Some((session, viewer))) => {
            s.login_limiter.succeeded(&ip, &f.email);
            adopt_browser_zone(&s, viewer.agent_id, f.tz.as_deref()).await;
            let mut res = see_other(&next);
            res.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie_header(&session, s.config.secure_cookies),
            );
            res
        }
        Ok(None) => {
            s.login_limiter.failed(&ip, &f.email);
            page(
                StatusCode::UNAUTHORIZED,
                "error-invalid-credentials",
                &f.email,
            )
        }
        Err(e) => UiError::from_store(e, lang).into_response(),
    }
}

use axum::extract::FromRequest;

pub fn session_cookie_header(session: &str, secure: bool) -> axum::http::HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        auth::SESSION_LIFETIME.as_secs()
    )
    .parse()
    .expect("cookie is ASCII")
}

pub async fn logout(State(s): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(session) = session_cookie(&headers)
        && let Err(e) = auth::logout(&s.db, session).await
    {
        return UiError::from_store(e, lang_of(&headers)).into_response();
    }
    let mut res = see_other("/login");
    res.headers_mut().insert(
        header::SET_COOKIE,
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
            .parse()
            .expect("ascii"),
    );
    res
}

#[derive(Template)]
#[template(path = "agent/settings.html")]
pub struct SettingsPage {
    pub c: Chrome,
    pub langs: Vec<Opt>,
    pub time_zone: String,
    pub zones: Vec<&'static str>,
    pub saved: bool,
    pub error: Option<String>,
    pub tokens: Vec<TokenRow>,
    /// A token just created, shown this once.
    pub new_token: Option<String>,
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub revoked: Option<String>,
}

const ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "Europe/Kaliningrad",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Asia/Vladivostok",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
];

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

pub async fn settings(
    State(s): State<AppState>,
    me: AgentSession,
    Query(q): Query<SavedQuery>,
) -> Response {
    settings_page(&s, &me, q.saved.is_some(), None, None).await
}

async fn settings_page(
    s: &AppState,
    me: &AgentSession,
    saved: bool,
    error: Option<String>,
    new_token: Option<String>,
) -> Response {
    let tr = me.tr();
    let tokens = match ferrodesk_store::auth::list_tokens(&s.db, me.agent.id).await {
        Ok(t) => t,
        Err(e) => return UiError::from_store(e, me.lang).into_response(),
    };
    render(&SettingsPage {
        c: me.chrome(tr.t("settings-title")),
        langs: vec![
            Opt::new("en", "English", me.lang == Lang::En),
            Opt::new("ru", "Русский", me.lang == Lang::Ru),
        ],
        time_zone: me.agent.time_zone.clone(),
        zones: ZONES.to_vec(),
        saved,
        error,
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                created: crate::shell::fmt_time(t.created_at, &me.tz),
                revoked: t.revoked_at.map(|r| crate::shell::fmt_time(r, &me.tz)),
            })
            .collect(),
        new_token,
    })
}

#[derive(serde::Deserialize)]
pub struct TokenForm {
    pub name: Option<String>,
    /// Set to revoke that token instead of creating one.
    pub revoke: Option<i64>,
}

/// Creates an API token (shown once on the answer) or revokes one of the agent's own.
pub async fn tokens(
    State(s): State<AppState>,
    me: AgentSession,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Some(id) = f.revoke {
        return match ferrodesk_store::auth::revoke_token(&s.db, me.agent.id, id).await {
            Ok(()) => {
                s.auth_cache.clear();
                see_other("/settings?saved=1")
            }
            Err(e) => UiError::from_store(e, me.lang).into_response(),
        };
    }
    let email = match ferrodesk_core::EmailAddress::parse(&me.agent.email) {
        Ok(e) => e,
        Err(e) => return UiError::from_store(e.into(), me.lang).into_response(),
    };
    let name = f.name.unwrap_or_default();
    match ferrodesk_store::auth::create_token(&s.db, &email, &name).await {
        Ok(token) => {
            // The secret is on this page only: keep it out of every cache.
            let mut res = settings_page(&s, &me, false, None, Some(token)).await;
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            res
        }
        Err(StoreError::Invalid(_)) => {
            let msg = me.tr().t("error-token-name");
            settings_page(&s, &me, false, Some(msg), None).await
        }
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct SettingsForm {
    pub locale: String,
    pub time_zone: String,
}

pub async fn save_settings(
    State(s): State<AppState>,
    me: AgentSession,
    Form(f): Form<SettingsForm>,
) -> Response {
    if jiff::tz::TimeZone::get(f.time_zone.trim()).is_err() {
        let msg = me.tr().t("error-time-zone");
        return settings_page(&s, &me, false, Some(msg), None).await;
    }
    let patch = AgentPatch {
        locale: Some(Lang::parse(&f.locale).code().to_string()),
        time_zone: Some(f.time_zone.trim().to_string()),
        ..AgentPatch::default()
    };
    match agents::update(
        &s.db,
        ferrodesk_store::Actor::agent(me.agent.id),
        me.agent.id,
        patch,
    )
    .await
    {
        Ok(_) => {
            s.auth_cache.clear();
            see_other("/settings?saved=1")
        }
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}
