use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_store::notifications::{self, Notification};
use ferrodesk_store::{Page, PageRequest};

use crate::shell::AppState;
use crate::shell::error::ApiResult;
use crate::shell::extract::{ApiPath, ApiQuery, Auth};

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only those not read yet.
    #[serde(default)]
    pub unread: bool,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Your notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(NotificationQuery),
    responses((status = 200, body = Page<Notification>)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> ApiResult<Json<Page<Notification>>> {
    let page = PageRequest::parse(q.limit, q.cursor.as_deref())?;
    Ok(Json(
        notifications::list(&s.db, &auth.0, q.unread, page).await?,
    ))
}

/// Mark one of your notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path, description = "the id")), responses((status = 204)))]
pub async fn read_one(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    notifications::mark_read(&s.db, &auth.0, Some(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark all your notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", responses((status = 204)))]
pub async fn read_all(State(s): State<AppState>, auth: Auth) -> ApiResult<StatusCode> {
    notifications::mark_read(&s.db, &auth.0, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
