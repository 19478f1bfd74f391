use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_core::EmailAddress;
use ferrodesk_store::customers::{self, Customer, CustomerFilter, CustomerPatch, NewCustomer};
use ferrodesk_store::{Actor, Page, PageRequest};

use crate::shell::AppState;
use crate::shell::error::{ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, ApiQuery, Auth};

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    #[param(value_type = Option<String>)]
    pub email: Option<EmailAddress>,
    pub organization_id: Option<i64>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerQuery), responses((status = 200, body = Page<Customer>)))]
pub async fn list(
    State(s): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<CustomerQuery>,
) -> ApiResult<Json<Page<Customer>>> {
    let page = PageRequest::parse(q.limit, q.cursor.as_deref())?;
    let filter = CustomerFilter {
        email: q.email,
        organization_id: q.organization_id,
    };
    Ok(Json(customers::list(&s.db, &filter, page).await?))
}

#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = NewCustomer,
    responses((status = 201, body = Customer), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewCustomer>,
) -> ApiResult<(StatusCode, Json<Customer>)> {
    Ok((
        StatusCode::CREATED,
        Json(customers::create(&s.db, Actor::agent(auth.0.agent_id), new).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path, description = "the id")), responses((status = 200, body = Customer), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(customers::get(&s.db, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path, description = "the id")), request_body = CustomerPatch, responses((status = 200, body = Customer)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<CustomerPatch>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(
        customers::update(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?,
    ))
}

/// Supervisors and admins delete customers who have no tickets.
#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path, description = "the id")), responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_supervisor()?;
    customers::delete(&s.db, Actor::agent(auth.0.agent_id), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
