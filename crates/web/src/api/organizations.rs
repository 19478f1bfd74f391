use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_store::organizations::{self, NewOrganization, Organization, OrganizationPatch};
use ferrodesk_store::{Actor, Page};

use crate::api::PageQuery;
use crate::shell::AppState;
use crate::shell::error::{ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, ApiQuery, Auth};

#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", params(PageQuery), responses((status = 200, body = Page<Organization>)))]
pub async fn list(
    State(s): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Organization>>> {
    Ok(Json(organizations::list(&s.db, q.page()?).await?))
}

/// Supervisors and admins manage organisations.
#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", request_body = NewOrganization,
    responses((status = 201, body = Organization), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewOrganization>,
) -> ApiResult<(StatusCode, Json<Organization>)> {
    auth.require_supervisor()?;
    Ok((
        StatusCode::CREATED,
        Json(organizations::create(&s.db, Actor::agent(auth.0.agent_id), new).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations", params(("id" = i64, Path, description = "the id")), responses((status = 200, body = Organization), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Organization>> {
    Ok(Json(organizations::get(&s.db, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/organizations/{id}", tag = "organizations", params(("id" = i64, Path, description = "the id")), request_body = OrganizationPatch, responses((status = 200, body = Organization)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<OrganizationPatch>,
) -> ApiResult<Json<Organization>> {
    auth.require_supervisor()?;
    Ok(Json(
        organizations::update(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?,
    ))
}

/// Its customers stay, without an organisation.
#[utoipa::path(delete, path = "/api/v1/organizations/{id}", tag = "organizations", params(("id" = i64, Path, description = "the id")), responses((status = 204)))]
pub async fn delete(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_supervisor()?;
    organizations::delete(&s.db, Actor::agent(auth.0.agent_id), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
