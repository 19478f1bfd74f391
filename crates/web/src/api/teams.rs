use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_store::teams::{self, NewTeam, Team, TeamPatch};
use ferrodesk_store::{Actor, Page};

use crate::api::PageQuery;
use crate::shell::AppState;
use crate::shell::error::{ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, ApiQuery, Auth};

#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", params(PageQuery), responses((status = 200, body = Page<Team>)))]
pub async fn list(
    State(s): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Team>>> {
    Ok(Json(teams::list(&s.db, q.page()?).await?))
}

/// Admins create teams (tier 1, 2 or 3).
#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", request_body = NewTeam,
    responses((status = 201, body = Team), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewTeam>,
) -> ApiResult<(StatusCode, Json<Team>)> {
    auth.require_admin()?;
    Ok((
        StatusCode::CREATED,
        Json(teams::create(&s.db, Actor::agent(auth.0.agent_id), new).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path, description = "the id")), responses((status = 200, body = Team), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Team>> {
    Ok(Json(teams::get(&s.db, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path, description = "the id")), request_body = TeamPatch, responses((status = 200, body = Team), (status = 403, body = ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<TeamPatch>,
) -> ApiResult<Json<Team>> {
    auth.require_admin()?;
    Ok(Json(
        teams::update(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?,
    ))
}

/// Deletes a team no ticket belongs to.
#[utoipa::path(delete, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path, description = "the id")), responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    teams::delete(&s.db, Actor::agent(auth.0.agent_id), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
