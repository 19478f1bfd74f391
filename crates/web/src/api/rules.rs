use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_desk::rules::{self, NewRule, Rule, RuleKind, RulePatch};
use ferrodesk_desk::tickets::EscalationRequest;
use ferrodesk_store::tickets::Ticket;

use crate::shell::AppState;
use crate::shell::error::{ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, Auth};

/// Who may change a kind of rule: triggers and automations change what happens to every
/// ticket (admins); macros are shared tools of the team (supervisors and admins).
fn may_manage(auth: &Auth, kind: RuleKind) -> Result<(), crate::shell::ApiError> {
    match kind {
        RuleKind::Macro => auth.require_supervisor(),
        RuleKind::Trigger | RuleKind::Automation => auth.require_admin(),
    }
}

async fn list(s: &AppState, kind: RuleKind) -> ApiResult<Json<Vec<Rule>>> {
    Ok(Json(rules::list(&s.db, kind).await?))
}

async fn create(
    s: &AppState,
    auth: &Auth,
    kind: RuleKind,
    new: NewRule,
) -> ApiResult<(StatusCode, Json<Rule>)> {
    may_manage(auth, kind)?;
    Ok((
        StatusCode::CREATED,
        Json(rules::create(&s.db, kind, new).await?),
    ))
}

async fn update(
    s: &AppState,
    auth: &Auth,
    kind: RuleKind,
    id: i64,
    patch: RulePatch,
) -> ApiResult<Json<Rule>> {
    may_manage(auth, kind)?;
    Ok(Json(rules::update(&s.db, kind, id, patch).await?))
}

async fn delete(s: &AppState, auth: &Auth, kind: RuleKind, id: i64) -> ApiResult<StatusCode> {
    may_manage(auth, kind)?;
    rules::delete(&s.db, kind, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Triggers, in the order they run.
#[utoipa::path(get, path = "/api/v1/triggers", tag = "rules", responses((status = 200, body = Vec<Rule>)))]
pub async fn list_triggers(State(s): State<AppState>, _auth: Auth) -> ApiResult<Json<Vec<Rule>>> {
    list(&s, RuleKind::Trigger).await
}

/// On an event (`ticket.created`, `customer.replied`, `status.changed`, `sla.warning`,
/// `sla.breached`), if all conditions hold, run the actions. Changes made by triggers set off
/// no further triggers, so rules cannot loop.
#[utoipa::path(post, path = "/api/v1/triggers", tag = "rules", request_body = NewRule,
    responses((status = 201, body = Rule), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_trigger(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewRule>,
) -> ApiResult<(StatusCode, Json<Rule>)> {
    create(&s, &auth, RuleKind::Trigger, new).await
}

#[utoipa::path(patch, path = "/api/v1/triggers/{id}", tag = "rules", params(("id" = i64, Path, description = "the id")), request_body = RulePatch, responses((status = 200, body = Rule)))]
pub async fn update_trigger(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<RulePatch>,
) -> ApiResult<Json<Rule>> {
    update(&s, &auth, RuleKind::Trigger, id, p).await
}

#[utoipa::path(delete, path = "/api/v1/triggers/{id}", tag = "rules", params(("id" = i64, Path, description = "the id")), responses((status = 204)))]
pub async fn delete_trigger(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    delete(&s, &auth, RuleKind::Trigger, id).await
}

#[utoipa::path(get, path = "/api/v1/macros", tag = "rules", responses((status = 200, body = Vec<Rule>)))]
pub async fn list_macros(State(s): State<AppState>, _auth: Auth) -> ApiResult<Json<Vec<Rule>>> {
    list(&s, RuleKind::Macro).await
}

/// A named set of actions (a `reply` action carries the text), applied by an agent in one step.
#[utoipa::path(post, path = "/api/v1/macros", tag = "rules", request_body = NewRule, responses((status = 201, body = Rule)))]
pub async fn create_macro(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewRule>,
) -> ApiResult<(StatusCode, Json<Rule>)> {
    create(&s, &auth, RuleKind::Macro, new).await
}

#[utoipa::path(patch, path = "/api/v1/macros/{id}", tag = "rules", params(("id" = i64, Path, description = "the id")), request_body = RulePatch, responses((status = 200, body = Rule)))]
pub async fn update_macro(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<RulePatch>,
) -> ApiResult<Json<Rule>> {
    update(&s, &auth, RuleKind::Macro, id, p).await
}

#[utoipa::path(delete, path = "/api/v1/macros/{id}", tag = "rules", params(("id" = i64, Path, description = "the id")), responses((status = 204)))]
pub async fn delete_macro(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    delete(&s, &auth, RuleKind::Macro, id).await
}

#[utoipa::path(get, path = "/api/v1/automations", tag = "rules", responses((status = 200, body = Vec<Rule>)))]
pub async fn list_automations(
    State(s): State<AppState>,
    _auth: Auth,
) -> ApiResult<Json<Vec<Rule>>> {
    list(&s, RuleKind::Automation).await
}

/// Time-based rules (they need an `hours_since_update` condition), run every few minutes.
#[utoipa::path(post, path = "/api/v1/automations", tag = "rules", request_body = NewRule, responses((status = 201, body = Rule)))]
pub async fn create_automation(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewRule>,
) -> ApiResult<(StatusCode, Json<Rule>)> {
    create(&s, &auth, RuleKind::Automation, new).await
}

#[utoipa::path(patch, path = "/api/v1/automations/{id}", tag = "rules", params(("id" = i64, Path, description = "the id")), request_body = RulePatch, responses((status = 200, body = Rule)))]
pub async fn update_automation(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<RulePatch>,
) -> ApiResult<Json<Rule>> {
    update(&s, &auth, RuleKind::Automation, id, p).await
}

#[utoipa::path(delete, path = "/api/v1/automations/{id}", tag = "rules", params(("id" = i64, Path, description = "the id")), responses((status = 204)))]
pub async fn delete_automation(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    delete(&s, &auth, RuleKind::Automation, id).await
}

/// Apply a macro to a ticket you may see.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/macros/{macro_id}", tag = "tickets", params(("id" = i64, Path, description = "the id"), ("macro_id" = i64, Path, description = "the macro's id")),
    responses((status = 200, body = Ticket), (status = 404, body = ErrorBody)))]
pub async fn apply_macro(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath((id, macro_id)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<Ticket>> {
    Ok(Json(
        rules::apply_macro(&s.db, &auth.0, id, macro_id).await?,
    ))
}

/// Hand the ticket up to line 2 or 3 with a reason (kept as an internal note).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/escalate", tag = "tickets", params(("id" = i64, Path, description = "the id")), request_body = EscalationRequest,
    responses((status = 200, body = Ticket), (status = 422, body = ErrorBody)))]
pub async fn escalate(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<EscalationRequest>,
) -> ApiResult<Json<Ticket>> {
    Ok(Json(
        ferrodesk_desk::tickets::escalate(&s.db, &auth.0, id, req).await?,
    ))
}
