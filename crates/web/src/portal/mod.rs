//! The customer portal (`/portal`): sign up, sign in (password or a link by email), reset the
//! password, submit a request, follow my requests (and my organisation's where allowed),
//! reply and close; and the embeddable web form (`/portal/form`, or `/assets/embed.js`), whose
//! anonymous submissions open a ticket only once the email address is confirmed.

use askama::Template;
use axum::Form;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, http::HeaderValue};
use ferrodesk_core::{AuthorKind, EmailAddress};
use ferrodesk_desk::portal::{self, PortalRequest, SignUp, TokenPurpose};
use ferrodesk_store::portal::PortalViewer;
use ferrodesk_store::{PageRequest, StoreError};
use jiff::tz::TimeZone;

use crate::shell::AppState;
use crate::shell::forms::status_label;
use crate::shell::i18n::{Lang, Tr};
use crate::shell::upload::{FileLink, file_links};
use crate::shell::upload::{Upload, UploadError};
use crate::shell::{
    Chrome, LANG_COOKIE, PORTAL_COOKIE, UiError, client_ip, cookie_value, csrf_token, fmt_time,
    render, see_other, set_cookie, zone,
};
use ferrodesk_desk::mailer::Mail;

pub const TZ_COOKIE: &str = "ferrodesk_tz";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/portal", get(home))
        .route("/portal/login", get(login_form).post(login))
        .route("/portal/signup", get(signup_form).post(signup))
        .route("/portal/signup/confirm", get(signup_confirm))
        .route("/portal/link", get(link_form).post(link_request))
        .route("/portal/link/use", get(link_use))
        .route("/portal/reset", get(reset_form).post(reset_request))
        .route(
            "/portal/reset/confirm",
            get(reset_confirm_form).post(reset_confirm),
        )
        .route("/portal/logout", post(logout))
        .route("/portal/lang/{code}", get(set_lang))
        .route(
            "/portal/new",
            get(new_form).post(new_submit).layer(DefaultBodyLimit::max(
                crate::shell::upload::MAX_UPLOAD_BODY_BYTES,
            )),
        )
        .route("/portal/requests/{id}", get(request_page))
        .route(
            "/portal/requests/{id}/reply",
            post(reply).layer(DefaultBodyLimit::max(
                crate::shell::upload::MAX_UPLOAD_BODY_BYTES,
            )),
        )
        .route(
            "/portal/attachments/{message_id}/{position}",
            get(attachment),
        )
        .route("/portal/requests/{id}/close", post(close))
        .route("/portal/profile", get(profile).post(profile_save))
        .route("/portal/profile/password", post(password_save))
        .route("/portal/form", get(embed_form).post(embed_submit))
        .route("/portal/confirm", get(confirm))
}

/// The portal visitor: maybe signed in, with their language and time zone.
pub struct PortalCtx {
    pub viewer: Option<PortalViewer>,
    pub lang: Lang,
    pub tz: TimeZone,
    pub csrf: String,
    pub origin: String,
    pub ip: String,
}

impl PortalCtx {
    fn tr(&self) -> Tr {
        Tr(self.lang)
    }

    fn chrome(&self, title_key: &str) -> Chrome {
        Chrome {
            tr: self.tr(),
            csrf: self.csrf.clone(),
            user: self.viewer.as_ref().map(|v| v.name.clone()),
            is_admin: false,
            area: "portal",
            title: self.tr().t(title_key),
        }
    }

    fn error(&self, e: StoreError) -> Response {
        UiError::from_store(e, self.lang).into_response()
    }
}

impl FromRequestParts<AppState> for PortalCtx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Response> {
        let h = &parts.headers;
        let lang = match cookie_value(h, LANG_COOKIE) {
            Some(l) => Lang::parse(l),
            None => Lang::from_accept(h.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())),
        };
        let lang = match parts.uri.query().and_then(|q| {
            q.split('&')
                .find_map(|p| p.strip_prefix("lang=").map(Lang::parse))
        }) {
            Some(l) => l,
            None => lang,
        };
        let tz = cookie_value(h, TZ_COOKIE)
            .map(|z| zone(&z.replace("%2F", "/")))
            .unwrap_or(TimeZone::UTC);
        let host = h
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if s.config.secure_cookies {
            "https"
        } else {
            "http"
        };
        let (viewer, csrf) = match cookie_value(h, PORTAL_COOKIE) {
            Some(session) => {
                match ferrodesk_store::portal::viewer_for_session(&s.db, session).await {
                    Ok(v) => (v, csrf_token(session)),
                    Err(e) => return Err(UiError::from_store(e, lang).into_response()),
                }
            }
            None => (None, String::new()),
        };
        Ok(PortalCtx {
            viewer,
            lang,
            tz,
            csrf,
            origin: format!("{scheme}://{host}"),
            ip: client_ip(&parts.extensions),
        })
    }
}

fn with_session(mut res: Response, session: &str, secure: bool) -> Response {
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            PORTAL_COOKIE,
            session,
            portal::SESSION_LIFETIME.as_secs(),
            secure,
        ),
    );
    res
}

#[derive(Template)]
#[template(path = "portal/auth.html")]
pub struct AuthPage {
    pub c: Chrome,
    /// `login`, `signup`, `link`, `reset` or `reset-confirm`.
    pub mode: &'static str,
    pub email: String,
    pub name: String,
    pub token: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

fn auth_page(ctx: &PortalCtx, mode: &'static str, title: &str) -> AuthPage {
    AuthPage {
        c: ctx.chrome(title),
        mode,
        email: String::new(),
        name: String::new(),
        token: String::new(),
        error: None,
        notice: None,
    }
}

fn with_status(status: StatusCode, page: &impl Template) -> Response {
    let mut r = render(page);
    *r.status_mut() = status;
    r
}

pub struct RequestRow {
    pub href: String,
    pub number: i64,
    pub subject: String,
    pub status: &'static str,
    pub status_label: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
pub struct HomePage {
    pub c: Chrome,
    pub rows: Vec<RequestRow>,
    /// The next page of older requests.
    pub more: Option<String>,
    pub sees_organization: bool,
}

#[derive(serde::Deserialize)]
pub struct HomeQuery {
    pub cursor: Option<String>,
}

pub async fn home(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Query(q): Query<HomeQuery>,
) -> Response {
    let Some(v) = &ctx.viewer else {
        return render(&auth_page(&ctx, "login", "portal-login-title"));
    };
    let page = match async {
        let page = PageRequest::parse(Some(50), q.cursor.as_deref())?;
        ferrodesk_store::portal::requests(&s.db, v, page).await
    }
    .await
    {
        Ok(p) => p,
        Err(e) => return ctx.error(e),
    };
    let tr = ctx.tr();
    render(&HomePage {
        c: ctx.chrome("portal-my-requests"),
        more: page.next_cursor.map(|c| format!("/portal?cursor={c}")),
        sees_organization: v.sees_organization,
        rows: page
            .items
            .iter()
            .map(|t| RequestRow {
                href: format!("/portal/requests/{}", t.id),
                number: t.number,
                subject: t.subject.clone(),
                status: t.status.as_str(),
                status_label: status_label(tr, t.status),
                updated: fmt_time(t.updated_at, &ctx.tz),
            })
            .collect(),
    })
}

#[derive(serde::Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: Option<String>,
    pub name: Option<String>,
}

pub async fn login_form(ctx: PortalCtx) -> Response {
    render(&auth_page(&ctx, "login", "portal-login-title"))
}

pub async fn login(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Form(f): Form<Credentials>,
) -> Response {
    let mut page = auth_page(&ctx, "login", "portal-login-title");
    page.email = f.email.clone();
    let key = format!("portal|{}", f.email);
    if s.login_limiter.blocked(&ctx.ip, &key).is_some() {
        page.error = Some(ctx.tr().t("error-rate-limited"));
        return with_status(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    match portal::sign_in(&s.db, &f.email, f.password.as_deref().unwrap_or("")).await {
        Ok(Some(session)) => {
            s.login_limiter.succeeded(&ctx.ip, &key);
            with_session(see_other("/portal"), &session, s.config.secure_cookies)
        }
        Ok(None) => {
            s.login_limiter.failed(&ctx.ip, &key);
            page.error = Some(ctx.tr().t("error-invalid-credentials"));
            with_status(StatusCode::UNAUTHORIZED, &page)
        }
        Err(e) => ctx.error(e),
    }
}

pub async fn signup_form(ctx: PortalCtx) -> Response {
    render(&auth_page(&ctx, "signup", "portal-signup-title"))
}

/// Sign-up never signs in: it mails a link that proves the address, and only that link
/// creates the account. An address that already has an account gets the same answer on the
/// page, and its owner a mail saying how to sign in.
pub async fn signup(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Form(f): Form<Credentials>,
) -> Response {
    let name = f.name.clone().unwrap_or_default();
    let mut page = auth_page(&ctx, "signup", "portal-signup-title");
    page.email = f.email.clone();
    page.name = name.clone();
    let key = format!("portal-signup|{}", f.email);
    if s.login_limiter.blocked(&ctx.ip, &key).is_some() {
        page.error = Some(ctx.tr().t("error-rate-limited"));
        return with_status(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    if !s.mailer.can_send().await {
        page.error = Some(ctx.tr().t("portal-signup-no-mail"));
        return with_status(StatusCode::SERVICE_UNAVAILABLE, &page);
    }
    match portal::sign_up(&s.db, &f.email, &name, f.password.as_deref().unwrap_or("")).await {
        Ok(outcome) => {
            // Throttled like a sign-in: each request mails someone.
            s.login_limiter.counted(&ctx.ip, &key);
            match outcome {
                SignUp::Confirm { email, token } => {
                    let url = format!("{}/portal/signup/confirm?token={token}", ctx.origin);
                    send_link(&s, &ctx, &email, "mail-signup-subject", url).await;
                }
                SignUp::AccountExists { email } => {
                    let tr = ctx.tr();
                    s.mailer
                        .send(Mail {
                            to: email.as_str().to_string(),
                            subject: tr.t("mail-signup-exists-subject"),
                            body: format!(
                                "{}\n\n{}/portal/login\n\n{}\n\n{}/portal/reset\n",
                                tr.t("mail-signup-exists-intro"),
                                ctx.origin,
                                tr.t("mail-signup-exists-reset"),
                                ctx.origin
                            ),
                        })
                        .await;
                }
            }
            page.email = String::new();
            page.name = String::new();
            page.notice = Some(ctx.tr().t("portal-signup-sent"));
            render(&page)
        }
        Err(e) => {
            let api = crate::shell::ApiError::from(e);
            page.error = Some(match api.field {
                Some("password") => ctx.tr().t("error-password-short"),
                Some("email") => ctx.tr().t("error-email"),
                _ => ctx.tr().t(&crate::shell::error_key(api.code)),
            });
            with_status(api.status, &page)
        }
    }
}

/// The link of a sign-up mail: creates the account and signs in.
pub async fn signup_confirm(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Query(q): Query<TokenQuery>,
) -> Response {
    match portal::confirm_sign_up(&s.db, &q.token).await {
        Ok(Some(session)) => with_session(see_other("/portal"), &session, s.config.secure_cookies),
        Ok(None) => link_invalid(&ctx),
        Err(e) => ctx.error(e),
    }
}

async fn send_link(
    s: &AppState,
    ctx: &PortalCtx,
    to: &EmailAddress,
    subject_key: &str,
    url: String,
) {
    let tr = ctx.tr();
    s.mailer
        .send(Mail {
            to: to.as_str().to_string(),
            subject: tr.t(subject_key),
            body: format!("{}\n\n{url}\n", tr.t("mail-link-intro")),
        })
        .await;
}

pub async fn link_form(ctx: PortalCtx) -> Response {
    render(&auth_page(&ctx, "link", "portal-link-title"))
}

/// Mails a sign-in link. The answer is the same whether or not the address is known.
pub async fn link_request(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Form(f): Form<Credentials>,
) -> Response {
    let mut page = auth_page(&ctx, "link", "portal-link-title");
    let Ok(email) = EmailAddress::parse(&f.email) else {
        page.error = Some(ctx.tr().t("error-email"));
        return with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    match portal::issue_token(&s.db, TokenPurpose::SignIn, &email, None).await {
        Ok(token) => {
            let url = format!("{}/portal/link/use?token={token}", ctx.origin);
            send_link(&s, &ctx, &email, "mail-signin-subject", url).await;
            page.notice = Some(ctx.tr().t("portal-link-sent"));
            render(&page)
        }
        Err(e) => ctx.error(e),
    }
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    pub token: String,
}

pub async fn link_use(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Query(q): Query<TokenQuery>,
) -> Response {
    match portal::consume_token(&s.db, TokenPurpose::SignIn, &q.token).await {
        Ok(Some((email, _))) => match portal::session_for_email(&s.db, &email).await {
            Ok(session) => with_session(see_other("/portal"), &session, s.config.secure_cookies),
            Err(e) => ctx.error(e),
        },
        Ok(None) => link_invalid(&ctx),
        Err(e) => ctx.error(e),
    }
}

fn link_invalid(ctx: &PortalCtx) -> Response {
    let mut page = auth_page(ctx, "link", "portal-link-title");
    page.error = Some(ctx.tr().t("error-link-invalid"));
    with_status(StatusCode::GONE, &page)
}

pub async fn reset_form(ctx: PortalCtx) -> Response {
    render(&auth_page(&ctx, "reset", "portal-reset-title"))
}

pub async fn reset_request(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Form(f): Form<Credentials>,
) -> Response {
    let mut page = auth_page(&ctx, "reset", "portal-reset-title");
    let Ok(email) = EmailAddress::parse(&f.email) else {
        page.error = Some(ctx.tr().t("error-email"));
        return with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    match portal::issue_token(&s.db, TokenPurpose::Reset, &email, None).await {
        Ok(token) => {
            let url = format!("{}/portal/reset/confirm?token={token}", ctx.origin);
            send_link(&s, &ctx, &email, "mail-reset-subject", url).await;
            page.notice = Some(ctx.tr().t("portal-link-sent"));
            render(&page)
        }
        Err(e) => ctx.error(e),
    }
}

pub async fn reset_confirm_form(ctx: PortalCtx, Query(q): Query<TokenQuery>) -> Response {
    let mut page = auth_page(&ctx, "reset-confirm", "portal-reset-title");
    page.token = q.token;
    render(&page)
}

#[derive(serde::Deserialize)]
pub struct ResetForm {
    pub token: String,
    pub password: String,
}

pub async fn reset_confirm(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Form(f): Form<ResetForm>,
) -> Response {
    if let Err(e) = ferrodesk_store::auth::check_password_rules(&f.password) {
        let _ = e;
        let mut page = auth_page(&ctx, "reset-confirm", "portal-reset-title");
        page.token = f.token;
        page.error = Some(ctx.tr().t("error-password-short"));
        return with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    match portal::consume_token(&s.db, TokenPurpose::Reset, &f.token).await {
        Ok(Some((email, _))) => match portal::reset_password(&s.db, &email, &f.password).await {
            Ok(session) => with_session(see_other("/portal"), &session, s.config.secure_cookies),
            Err(e) => ctx.error(e),
        },
        Ok(None) => link_invalid(&ctx),
        Err(e) => ctx.error(e),
    }
}

pub async fn logout(State(s): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(session) = cookie_value(&headers, PORTAL_COOKIE) {
        let _ = portal::sign_out(&s.db, session).await;
    }
    let mut res = see_other("/portal");
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PORTAL_COOKIE, "", 0, s.config.secure_cookies),
    );
    res
}

pub async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::parse(&code);
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/portal").map(|i| r[i..].to_string()))
        .unwrap_or_else(|| "/portal".into());
    let mut res = see_other(&back);
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            lang.code()
        ))
        .expect("ascii"),
    );
    res
}

#[derive(Template)]
#[template(path = "portal/new.html")]
pub struct NewPage {
    pub c: Chrome,
    pub embed: bool,
    pub action: &'static str,
    pub signed_in: bool,
    pub email: String,
    pub name: String,
    pub subject: String,
    pub body: String,
    pub category: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

fn new_page(ctx: &PortalCtx, embed: bool) -> NewPage {
    NewPage {
        c: ctx.chrome("portal-new-title"),
        embed,
        action: if embed { "/portal/form" } else { "/portal/new" },
        signed_in: ctx.viewer.is_some() && !embed,
        email: String::new(),
        name: String::new(),
        subject: String::new(),
        body: String::new(),
        category: String::new(),
        error: None,
        notice: None,
    }
}

pub async fn new_form(ctx: PortalCtx) -> Response {
    if ctx.viewer.is_none() {
        return see_other("/portal/login");
    }
    render(&new_page(&ctx, false))
}

#[derive(serde::Deserialize)]
pub struct RequestForm {
    pub email: Option<String>,
    pub name: Option<String>,
    pub subject: String,
    pub body: String,
    pub category: Option<String>,
}

fn form_error(ctx: &PortalCtx, mut page: NewPage, f: RequestForm, e: StoreError) -> Response {
    let api = crate::shell::ApiError::from(e);
    page.email = f.email.unwrap_or_default();
    page.name = f.name.unwrap_or_default();
    page.subject = f.subject;
    page.body = f.body;
    page.category = f.category.unwrap_or_default();
    page.error = Some(match api.field {
        Some("subject") => ctx.tr().t("error-subject"),
        Some("body") => ctx.tr().t("error-body"),
        Some("email") => ctx.tr().t("error-email"),
        _ => ctx.tr().t(&crate::shell::error_key(api.code)),
    });
    with_status(api.status, &page)
}

pub async fn new_submit(
    State(s): State<AppState>,
    ctx: PortalCtx,
    form: Result<Upload, UploadError>,
) -> Response {
    let Some(v) = &ctx.viewer else {
        return see_other("/portal/login");
    };
    let (form, upload_error) = match form {
        Ok(f) => (f, None),
        Err(e) => (Upload::default(), Some(e)),
    };
    let f = RequestForm {
        email: None,
        name: None,
        subject: form.field("subject").unwrap_or("").to_string(),
        body: form.field("body").unwrap_or("").to_string(),
        category: form.field("category").map(str::to_owned),
    };
    if let Some(e) = upload_error {
        let mut page = new_page(&ctx, false);
        page.error = Some(ctx.tr().t(&crate::shell::error_key(e.code())));
        return with_status(crate::shell::ApiError::from(e).status, &page);
    }
    let req = PortalRequest {
        email: v.email.clone(),
        name: Some(v.name.clone()),
        subject: f.subject.clone(),
        body: f.body.clone(),
        category: f.category.clone(),
    };
    match portal::submit_with(&s.db, &req, &form.files).await {
        Ok(t) => see_other(&format!("/portal/requests/{}", t.id)),
        Err(e) => form_error(&ctx, new_page(&ctx, false), f, e),
    }
}

pub async fn embed_form(ctx: PortalCtx) -> Response {
    render(&new_page(&ctx, true))
}

/// Anonymous request: stored with a confirmation token; the ticket opens once the link in the
/// mail is followed.
pub async fn embed_submit(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Form(f): Form<RequestForm>,
) -> Response {
    let page = new_page(&ctx, true);
    let email = match EmailAddress::parse(f.email.as_deref().unwrap_or("")) {
        Ok(e) => e,
        Err(e) => return form_error(&ctx, page, f, e.into()),
    };
    let checks = ferrodesk_core::text::required(
        "subject",
        &f.subject,
        ferrodesk_core::text::MAX_SUBJECT_CHARS,
    )
    .and_then(|_| ferrodesk_core::text::body(&f.body));
    if let Err(e) = checks {
        return form_error(&ctx, page, f, e.into());
    }
    let req = PortalRequest {
        email: email.as_str().to_string(),
        name: f.name.clone(),
        subject: f.subject.clone(),
        body: f.body.clone(),
        category: f.category.clone(),
    };
    // The request is stored before anything else can fail, so it is never lost.
    let ticket = match portal::submit_unconfirmed(&s.db, &req).await {
        Ok(t) => t,
        Err(e) => return form_error(&ctx, page, f, e),
    };
    let mut page = new_page(&ctx, true);
    if !s.mailer.can_send().await {
        // The truth: no confirmation mail is coming, but the request is here.
        page.notice = Some(ctx.tr().a(
            "portal-received-no-mail",
            "number",
            &ticket.number.to_string(),
        ));
        return render(&page);
    }
    let payload = serde_json::json!({ "ticket_id": ticket.id }).to_string();
    match portal::issue_token(&s.db, TokenPurpose::Confirm, &email, Some(&payload)).await {
        Ok(token) => {
            let url = format!("{}/portal/confirm?token={token}", ctx.origin);
            send_link(&s, &ctx, &email, "mail-confirm-subject", url).await;
            page.notice = Some(ctx.tr().t("portal-confirm-sent"));
            render(&page)
        }
        Err(e) => ctx.error(e),
    }
}

/// What a confirmation link confirms: the ticket opened at once (now), or, for links mailed
/// before that, the request itself.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Confirmed {
    Ticket { ticket_id: i64 },
    Request(PortalRequest),
}

pub async fn confirm(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Query(q): Query<TokenQuery>,
) -> Response {
    let (email, payload) = match portal::consume_token(&s.db, TokenPurpose::Confirm, &q.token).await
    {
        Ok(Some(found)) => found,
        Ok(None) => return link_invalid(&ctx),
        Err(e) => return ctx.error(e),
    };
    let Some(confirmed) = payload.and_then(|p| serde_json::from_str::<Confirmed>(&p).ok()) else {
        return link_invalid(&ctx);
    };
    let ticket = match confirmed {
        Confirmed::Ticket { ticket_id } => portal::confirm_request(&s.db, ticket_id).await,
        Confirmed::Request(req) => portal::submit(&s.db, &req).await,
    };
    let ticket = match ticket {
        Ok(t) => t,
        Err(e) => return ctx.error(e),
    };
    match portal::session_for_email(&s.db, &email).await {
        Ok(session) => with_session(
            see_other(&format!("/portal/requests/{}", ticket.id)),
            &session,
            s.config.secure_cookies,
        ),
        Err(e) => ctx.error(e),
    }
}

pub struct PortalMsg {
    pub mine: bool,
    pub class: &'static str,
    pub author: String,
    pub at: String,
    pub text: String,
    pub files: Vec<FileLink>,
}

#[derive(Template)]
#[template(path = "portal/request.html")]
pub struct RequestPage {
    pub c: Chrome,
    pub id: i64,
    pub number: i64,
    pub subject: String,
    pub status: &'static str,
    pub status_label: String,
    pub messages: Vec<PortalMsg>,
    pub can_close: bool,
    pub can_reply: bool,
    pub error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct ErrQuery {
    pub error: Option<String>,
}

pub async fn request_page(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Path(id): Path<i64>,
    Query(q): Query<ErrQuery>,
) -> Response {
    let Some(v) = &ctx.viewer else {
        return see_other("/portal/login");
    };
    let ticket = match ferrodesk_store::portal::request(&s.db, v, id).await {
        Ok(t) => t,
        Err(e) => return ctx.error(e),
    };
    let messages = match ferrodesk_store::portal::conversation(&s.db, id).await {
        Ok(m) => m,
        Err(e) => return ctx.error(e),
    };
    let tr = ctx.tr();
    let agent_label = tr.t("portal-support");
    render(&RequestPage {
        c: ctx.chrome("portal-request-title"),
        id,
        number: ticket.number,
        subject: ticket.subject.clone(),
        status: ticket.status.as_str(),
        status_label: status_label(tr, ticket.status),
        can_close: !ticket.status.is_final() && ticket.status != ferrodesk_core::Status::Solved,
        can_reply: !ticket.status.is_final(),
        messages: messages
            .iter()
            .map(|m| {
                let mine = m.author_type == AuthorKind::Customer;
                PortalMsg {
                    mine,
                    class: if mine { "customer" } else { "agent" },
                    author: if mine {
                        tr.t("portal-you")
                    } else {
                        agent_label.clone()
                    },
                    at: fmt_time(m.created_at, &ctx.tz),
                    text: m.body.clone(),
                    files: file_links(m, "/portal"),
                }
            })
            .collect(),
        error: q
            .error
            .as_deref()
            .map(|c| tr.t(&crate::shell::error_key(c))),
    })
}

pub async fn reply(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Path(id): Path<i64>,
    form: Result<Upload, UploadError>,
) -> Response {
    let Some(v) = &ctx.viewer else {
        return see_other("/portal/login");
    };
    let form = match form {
        Ok(f) => f,
        Err(e) => return see_other(&format!("/portal/requests/{id}?error={}", e.code())),
    };
    let body = form.field("body").unwrap_or("");
    match portal::reply_with(&s.db, v, id, body, &form.files).await {
        Ok(_) => see_other(&format!("/portal/requests/{id}")),
        Err(e) => {
            let api = crate::shell::ApiError::from(e);
            if api.status == StatusCode::FORBIDDEN || api.status == StatusCode::NOT_FOUND {
                return UiError {
                    status: api.status,
                    code: api.code,
                    lang: ctx.lang,
                }
                .into_response();
            }
            let code = if api.field == Some("attachments") {
                crate::shell::upload::TOO_LARGE_CODE
            } else {
                api.code
            };
            see_other(&format!("/portal/requests/{id}?error={code}"))
        }
    }
}

/// A file on a public message of a request the customer may see.
pub async fn attachment(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Path((message_id, position)): Path<(i64, i64)>,
    Query(q): Query<crate::shell::upload::DownloadQuery>,
) -> Response {
    let Some(v) = &ctx.viewer else {
        return see_other("/portal/login");
    };
    match ferrodesk_desk::portal::attachment(&s.db, v, message_id, position).await {
        Ok(d) => crate::shell::upload::send(d, &q),
        Err(e) => ctx.error(e),
    }
}

pub async fn close(State(s): State<AppState>, ctx: PortalCtx, Path(id): Path<i64>) -> Response {
    let Some(v) = &ctx.viewer else {
        return see_other("/portal/login");
    };
    match portal::close(&s.db, v, id).await {
        Ok(_) => see_other(&format!("/portal/requests/{id}")),
        Err(e) => ctx.error(e),
    }
}

#[derive(Template)]
#[template(path = "portal/profile.html")]
pub struct ProfilePage {
    pub c: Chrome,
    pub name: String,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

fn profile_page(ctx: &PortalCtx, v: &PortalViewer) -> ProfilePage {
    ProfilePage {
        c: ctx.chrome("portal-profile-title"),
        name: v.name.clone(),
        email: v.email.clone(),
        error: None,
        notice: None,
    }
}

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

/// The customer's own name, password and language.
pub async fn profile(ctx: PortalCtx, Query(q): Query<SavedQuery>) -> Response {
    let Some(v) = &ctx.viewer else {
        return see_other("/portal/login");
    };
    let mut page = profile_page(&ctx, v);
    if q.saved.is_some() {
        page.notice = Some(ctx.tr().t("done-saved"));
    }
    render(&page)
}

#[derive(serde::Deserialize)]
pub struct NameForm {
    pub name: String,
}

pub async fn profile_save(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Form(f): Form<NameForm>,
) -> Response {
    let Some(v) = &ctx.viewer else {
        return see_other("/portal/login");
    };
    match portal::rename(&s.db, v, &f.name).await {
        Ok(()) => see_other("/portal/profile?saved=1"),
        Err(e) => {
            let api = crate::shell::ApiError::from(e);
            let mut page = profile_page(&ctx, v);
            page.name = f.name;
            page.error = Some(ctx.tr().t("error-name"));
            with_status(api.status, &page)
        }
    }
}

#[derive(serde::Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub password: String,
}

pub async fn password_save(
    State(s): State<AppState>,
    ctx: PortalCtx,
    Form(f): Form<PasswordForm>,
) -> Response {
    let Some(v) = &ctx.viewer else {
        return see_other("/portal/login");
    };
    let mut page = profile_page(&ctx, v);
    if ferrodesk_store::auth::check_password_rules(&f.password).is_err() {
        page.error = Some(ctx.tr().t("error-password-short"));
        return with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let key = format!("portal-password|{}", v.customer_id);
    if s.login_limiter.blocked(&ctx.ip, &key).is_some() {
        page.error = Some(ctx.tr().t("error-rate-limited"));
        return with_status(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    match portal::change_password(&s.db, v, &f.current, &f.password).await {
        Ok(Some(session)) => {
            s.login_limiter.succeeded(&ctx.ip, &key);
            with_session(
                see_other("/portal/profile?saved=1"),
                &session,
                s.config.secure_cookies,
            )
        }
        Ok(None) => {
            s.login_limiter.failed(&ctx.ip, &key);
            page.error = Some(ctx.tr().t("error-current-password"));
            with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => ctx.error(e),
    }
}
