use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_store::agents::{self, Agent, AgentPatch, NewAgent};
use ferrodesk_store::{Actor, Page};

use crate::api::PageQuery;
use crate::shell::AppState;
use crate::shell::error::{ApiError, ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, ApiQuery, Auth};

#[utoipa::path(get, path = "/api/v1/agents", tag = "agents", params(PageQuery), responses((status = 200, body = Page<Agent>)))]
pub async fn list(
    State(s): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Agent>>> {
    Ok(Json(agents::list(&s.db, q.page()?).await?))
}

/// Admins add agents.
#[utoipa::path(post, path = "/api/v1/agents", tag = "agents", request_body = NewAgent,
    responses((status = 201, body = Agent), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewAgent>,
) -> ApiResult<(StatusCode, Json<Agent>)> {
    auth.require_admin()?;
    Ok((
        StatusCode::CREATED,
        Json(agents::create(&s.db, Actor::agent(auth.0.agent_id), new).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/agents/{id}", tag = "agents", params(("id" = i64, Path, description = "the id")), responses((status = 200, body = Agent), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Agent>> {
    Ok(Json(agents::get(&s.db, id).await?))
}

/// Admins change any agent; agents change their own name, password, locale and time zone.
#[utoipa::path(patch, path = "/api/v1/agents/{id}", tag = "agents", params(("id" = i64, Path, description = "the id")), request_body = AgentPatch,
    responses((status = 200, body = Agent), (status = 403, body = ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<AgentPatch>,
) -> ApiResult<Json<Agent>> {
    let own_profile_only =
        patch.role.is_none() && patch.active.is_none() && patch.team_ids.is_none();
    if !(auth.0.can_manage_instance() || (id == auth.0.agent_id && own_profile_only)) {
        return Err(ApiError::forbidden(
            "admin_required",
            "only admins change other agents, roles, teams or activation; you may change your own name, password, locale and time zone",
        ));
    }
    if id == auth.0.agent_id && patch.active == Some(false) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "cannot_deactivate_self",
            "you cannot deactivate yourself",
        ));
    }
    Ok(Json(
        agents::update(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?,
    ))
}

/// Deactivates the agent (history keeps their name); their sessions and tokens stop working.
#[utoipa::path(delete, path = "/api/v1/agents/{id}", tag = "agents", params(("id" = i64, Path, description = "the id")), responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    if id == auth.0.agent_id {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "cannot_deactivate_self",
            "you cannot deactivate yourself",
        ));
    }
    agents::deactivate(&s.db, Actor::agent(auth.0.agent_id), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
