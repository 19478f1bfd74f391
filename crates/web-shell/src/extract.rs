//! Request extractors whose rejections answer in the API's error format, and the caller's
//! identity (API token or session cookie).

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use ferrodesk_core::Viewer;
use ferrodesk_store::auth;

use crate::AppState;
use crate::error::ApiError;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

pub const SESSION_COOKIE: &str = "ferrodesk_session";

/// The agent making the request. Bearer tokens act as their agent; browsers use the session
/// cookie set by `POST /api/v1/auth/login`.
pub struct Auth(pub Viewer);

pub fn session_cookie(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then_some(value)
        })
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                })
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| {
                    ApiError::unauthorized("the Authorization header must be `Bearer <token>`")
                })?;
            let hash = auth::secret_hash(token);
            if let Some(viewer) = state.auth_cache.get(&hash) {
                return Ok(Auth(viewer));
            }
            return match auth::viewer_for_token_hash(&state.db, &hash).await? {
                Some(viewer) => {
                    state.auth_cache.put(hash, viewer.clone());
                    Ok(Auth(viewer))
                }
                None => Err(ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    "the API token is unknown, revoked, or its agent is deactivated",
                )),
            };
        }
        if let Some(session) = session_cookie(&parts.headers) {
            return match auth::viewer_for_session(&state.db, session).await? {
                Some(viewer) => Ok(Auth(viewer)),
                None => Err(ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "session_expired",
                    "the session has expired; sign in again",
                )),
            };
        }
        Err(ApiError::unauthorized(
            "authentication required: send `Authorization: Bearer <token>` (create one with `ferrodesk admin create-token`) or sign in",
        ))
    }
}

/// The agent, when the request carries credentials; `None` for an anonymous caller (the help
/// center). Credentials that are sent but invalid are refused as with [`Auth`].
pub struct MaybeAuth(pub Option<Viewer>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.get(header::AUTHORIZATION).is_none()
            && session_cookie(&parts.headers).is_none()
        {
            return Ok(MaybeAuth(None));
        }
        let Auth(viewer) = Auth::from_request_parts(parts, state).await?;
        Ok(MaybeAuth(Some(viewer)))
    }
}

impl Auth {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.0.can_manage_instance() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "admin_required",
                "only admins may do this",
            ))
        }
    }

    pub fn require_supervisor(&self) -> Result<(), ApiError> {
        if self.0.role.sees_all_tickets() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "supervisor_required",
                "only supervisors and admins may do this",
            ))
        }
    }
}
