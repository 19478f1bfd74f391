//! The API's error answer: `{"error": {"code", "message", "field"?}}` with a stable code and the
//! right HTTP status.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ferrodesk_core::TransitionError;
use ferrodesk_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: e.g. `ticket_not_found`, `invalid_body`, `illegal_transition`.
    pub code: &'static str,
    /// What was wrong and how to fix it.
    pub message: String,
    /// The input field at fault, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn not_found_route() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "route_not_found",
            "no such endpoint; see /api/v1/openapi.json for the API",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

fn not_found_code(entity: &str) -> &'static str {
    match entity {
        "ticket" => "ticket_not_found",
        "customer" => "customer_not_found",
        "organization" => "organization_not_found",
        "agent" => "agent_not_found",
        "team" => "team_not_found",
        "sla_policy" => "sla_policy_not_found",
        "calendar" => "calendar_not_found",
        "trigger" => "trigger_not_found",
        "macro" => "macro_not_found",
        "automation" => "automation_not_found",
        "kb_file" => "file_not_found",
        "kb_article" => "article_not_found",
        "kb_category" => "category_not_found",
        "attachment" => "attachment_not_found",
        "tag" => "tag_not_found",
        "category" => "ticket_category_not_found",
        "api_token" => "token_not_found",
        _ => "not_found",
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity, id } => ApiError::new(
                StatusCode::NOT_FOUND,
                not_found_code(entity),
                format!("{entity} {id} does not exist"),
            ),
            StoreError::Invalid(p) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid_field",
                message: format!("{}: {}", p.field, p.message),
                field: Some(p.field),
            },
            StoreError::Unprocessable { code, message } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            StoreError::Forbidden { code, message } => {
                ApiError::new(StatusCode::FORBIDDEN, code, message)
            }
            StoreError::Conflict { code, message } => {
                ApiError::new(StatusCode::CONFLICT, code, message)
            }
            StoreError::Transition(t) => {
                let (status, code) = match &t {
                    TransitionError::Illegal { .. } => (StatusCode::CONFLICT, "illegal_transition"),
                    TransitionError::MergeNeedsTarget => {
                        (StatusCode::UNPROCESSABLE_ENTITY, "merge_requires_target")
                    }
                    TransitionError::Final(_) => (StatusCode::CONFLICT, "ticket_closed"),
                };
                ApiError {
                    status,
                    code,
                    message: t.to_string(),
                    field: Some("status"),
                }
            }
            other => {
                tracing::error!(error = %other, "request failed on the database");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "the server failed to complete the request; it has been logged",
                )
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonSyntaxError(e) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("the body is not valid JSON: {}", e.body_text()),
            ),
            JsonRejection::JsonDataError(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!(
                    "the JSON does not fit this endpoint: {}",
                    strip_prefix(&e.body_text())
                ),
            ),
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with the header Content-Type: application/json",
            ),
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => payload_too_large(),
            other => ApiError::new(other.status(), "invalid_body", other.body_text()),
        }
    }
}

pub fn payload_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!(
            "the request body is larger than {} bytes",
            crate::MAX_BODY_BYTES
        ),
    )
}

/// serde's messages come prefixed with axum's explanation; keep the useful part.
fn strip_prefix(text: &str) -> String {
    text.split_once(": ")
        .map(|(_, rest)| rest)
        .unwrap_or(text)
        .to_string()
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!(
                "the query string is invalid: {}",
                strip_prefix(&r.body_text())
            ),
        )
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            format!("the URL path is invalid: {}", strip_prefix(&r.body_text())),
        )
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
