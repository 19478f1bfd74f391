use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_desk::sla::{
    self, CalendarInput, CalendarPatch, CalendarRecord, NewSlaPolicy, SlaPolicy, SlaPolicyPatch,
};
use ferrodesk_store::Actor;

use crate::shell::AppState;
use crate::shell::error::{ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, Auth};

/// Every SLA policy, in the order they are tried.
#[utoipa::path(get, path = "/api/v1/sla-policies", tag = "sla", responses((status = 200, body = Vec<SlaPolicy>)))]
pub async fn list_policies(
    State(s): State<AppState>,
    _auth: Auth,
) -> ApiResult<Json<Vec<SlaPolicy>>> {
    Ok(Json(sla::list_policies(&s.db).await?))
}

/// Admins add policies; new tickets that match get its clocks.
#[utoipa::path(post, path = "/api/v1/sla-policies", tag = "sla", request_body = NewSlaPolicy,
    responses((status = 201, body = SlaPolicy), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_policy(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewSlaPolicy>,
) -> ApiResult<(StatusCode, Json<SlaPolicy>)> {
    auth.require_admin()?;
    Ok((
        StatusCode::CREATED,
        Json(sla::create_policy(&s.db, Actor::agent(auth.0.agent_id), new).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/sla-policies/{id}", tag = "sla", params(("id" = i64, Path, description = "the id")), request_body = SlaPolicyPatch,
    responses((status = 200, body = SlaPolicy), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_policy(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<SlaPolicyPatch>,
) -> ApiResult<Json<SlaPolicy>> {
    auth.require_admin()?;
    Ok(Json(
        sla::update_policy(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?,
    ))
}

/// The open tickets it governed are matched to the remaining policies in the background.
#[utoipa::path(delete, path = "/api/v1/sla-policies/{id}", tag = "sla", params(("id" = i64, Path, description = "the id")), responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_policy(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    sla::delete_policy(&s.db, Actor::agent(auth.0.agent_id), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Business-hours calendars.
#[utoipa::path(get, path = "/api/v1/calendars", tag = "sla", responses((status = 200, body = Vec<CalendarRecord>)))]
pub async fn list_calendars(
    State(s): State<AppState>,
    _auth: Auth,
) -> ApiResult<Json<Vec<CalendarRecord>>> {
    Ok(Json(sla::list_calendars(&s.db).await?))
}

/// Admins add calendars: time zone, weekly hours, holidays, moved working days.
#[utoipa::path(post, path = "/api/v1/calendars", tag = "sla", request_body = CalendarInput,
    responses((status = 201, body = CalendarRecord), (status = 422, body = ErrorBody)))]
pub async fn create_calendar(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<CalendarInput>,
) -> ApiResult<(StatusCode, Json<CalendarRecord>)> {
    auth.require_admin()?;
    Ok((
        StatusCode::CREATED,
        Json(sla::create_calendar(&s.db, Actor::agent(auth.0.agent_id), input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/calendars/{id}", tag = "sla", params(("id" = i64, Path, description = "the id")), responses((status = 200, body = CalendarRecord), (status = 404, body = ErrorBody)))]
pub async fn get_calendar(
    State(s): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CalendarRecord>> {
    Ok(Json(sla::get_calendar(&s.db, id).await?))
}

/// Admins rename a calendar or change its hours; the open tickets of the policies using it get
/// new deadlines in the background.
#[utoipa::path(patch, path = "/api/v1/calendars/{id}", tag = "sla", params(("id" = i64, Path, description = "the id")), request_body = CalendarPatch,
    responses((status = 200, body = CalendarRecord), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_calendar(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<CalendarPatch>,
) -> ApiResult<Json<CalendarRecord>> {
    auth.require_admin()?;
    Ok(Json(
        sla::update_calendar(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?,
    ))
}

/// Admins remove a calendar that no SLA policy uses (409 `calendar_in_use` otherwise).
#[utoipa::path(delete, path = "/api/v1/calendars/{id}", tag = "sla", params(("id" = i64, Path, description = "the id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_calendar(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    sla::delete_calendar(&s.db, Actor::agent(auth.0.agent_id), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
