use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ferrodesk_store::agents::{self, Agent};
use ferrodesk_store::auth;

use crate::shell::error::{ApiError, ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, Auth, SESSION_COOKIE};
use crate::shell::{AppState, ClientIp};

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Signs an agent in and sets the session cookie (HttpOnly, SameSite=Strict). The answer's
/// `X-CSRF-Token` header must accompany every unsafe request made with that cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Agent), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    // The same limiter as the sign-in page: failing here counts there, and the other way round.
    if let Some(wait) = s.login_limiter.blocked(&ip, &req.email) {
        let refused = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "too many failed sign-ins; try again in {} minutes",
                wait.as_secs().div_ceil(60)
            ),
        );
        let retry_after = wait.as_secs().max(1).to_string();
        return Ok((
            [(header::RETRY_AFTER, retry_after)],
            refused.into_response(),
        )
            .into_response());
    }
    let Some((session, viewer)) = auth::login(&s.db, &req.email, &req.password).await? else {
        s.login_limiter.failed(&ip, &req.email);
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "the email or the password is wrong",
        ));
    };
    s.login_limiter.succeeded(&ip, &req.email);
    let agent = agents::get(&s.db, viewer.agent_id).await?;
    let secure = if s.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        auth::SESSION_LIFETIME.as_secs()
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("cookie is ASCII"),
    );
    // Unsafe requests made with this cookie must send it back as `X-CSRF-Token`.
    headers.insert(
        crate::shell::CSRF_HEADER,
        HeaderValue::from_str(&crate::shell::csrf_token(&session)).expect("hex"),
    );
    Ok((headers, Json(agent)).into_response())
}

/// Ends the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(session) = crate::shell::extract::session_cookie(&headers) {
        auth::logout(&s.db, session).await?;
    }
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

/// The agent you are acting as.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = Agent), (status = 401, body = ErrorBody)))]
pub async fn me(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Agent>> {
    Ok(Json(agents::get(&s.db, auth.0.agent_id).await?))
}
