//! `/api/v1/tags`: ticket tags in use; supervisors rename (merge) or remove them everywhere.

use axum::Json;
use axum::extract::State;
use ferrodesk_store::tags::{self, TagCount};
use ferrodesk_store::{Actor, Page};

use crate::shell::AppState;
use crate::shell::error::{ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, ApiQuery, Auth};

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TagQuery {
    /// 1–200, default 25.
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameTag {
    pub from: String,
    /// An existing tag merges the two.
    pub to: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TagChange {
    /// How many tickets changed.
    pub tickets: u64,
}

/// Tags in use with their ticket counts, by name.
#[utoipa::path(get, path = "/api/v1/tags", tag = "tickets", params(TagQuery),
    responses((status = 200, body = Page<TagCount>)))]
pub async fn list(
    State(s): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<TagQuery>,
) -> ApiResult<Json<Page<TagCount>>> {
    let limit = ferrodesk_store::PageRequest::parse(q.limit, None)?.limit;
    Ok(Json(tags::list(&s.db, q.cursor.as_deref(), limit).await?))
}

/// Renames a tag on every ticket (supervisors and admins).
#[utoipa::path(post, path = "/api/v1/tags/rename", tag = "tickets", request_body = RenameTag,
    responses((status = 200, body = TagChange), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn rename(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(r): ApiJson<RenameTag>,
) -> ApiResult<Json<TagChange>> {
    auth.require_supervisor()?;
    let tickets = tags::rename(&s.db, Actor::agent(auth.0.agent_id), &r.from, &r.to).await?;
    Ok(Json(TagChange { tickets }))
}

/// Removes a tag from every ticket (supervisors and admins).
#[utoipa::path(delete, path = "/api/v1/tags/{name}", tag = "tickets", params(("name" = String, Path, description = "the tag")),
    responses((status = 200, body = TagChange), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<TagChange>> {
    auth.require_supervisor()?;
    let tickets = tags::delete(&s.db, Actor::agent(auth.0.agent_id), &name).await?;
    Ok(Json(TagChange { tickets }))
}
