use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_channel_email::spool::{self, SpoolEntry};
use ferrodesk_store::mailboxes::{self, Mailbox, MailboxPatch, NewMailbox};
use ferrodesk_store::{Actor, Page};

use crate::api::PageQuery;
use crate::shell::AppState;
use crate::shell::error::{ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, ApiQuery, Auth};

/// Mailboxes teams send from and receive on (passwords are never shown).
#[utoipa::path(get, path = "/api/v1/mailboxes", tag = "email", responses((status = 200, body = Vec<Mailbox>), (status = 403, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Mailbox>>> {
    auth.require_admin()?;
    Ok(Json(mailboxes::list(&s.db).await?))
}

/// Admins connect a mailbox to a team: SMTP for replies, optionally IMAP to fetch from.
#[utoipa::path(post, path = "/api/v1/mailboxes", tag = "email", request_body = NewMailbox,
    responses((status = 201, body = Mailbox), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewMailbox>,
) -> ApiResult<(StatusCode, Json<Mailbox>)> {
    auth.require_admin()?;
    Ok((
        StatusCode::CREATED,
        Json(mailboxes::create(&s.db, Actor::agent(auth.0.agent_id), new).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/mailboxes/{id}", tag = "email", params(("id" = i64, Path, description = "the id")), responses((status = 200, body = Mailbox), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Mailbox>> {
    auth.require_admin()?;
    Ok(Json(mailboxes::get(&s.db, id).await?))
}

/// Changes a mailbox; an empty string clears an optional field (an empty `imap_host` stops polling).
#[utoipa::path(patch, path = "/api/v1/mailboxes/{id}", tag = "email", params(("id" = i64, Path, description = "the id")), request_body = MailboxPatch,
    responses((status = 200, body = Mailbox), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<MailboxPatch>,
) -> ApiResult<Json<Mailbox>> {
    auth.require_admin()?;
    Ok(Json(
        mailboxes::update(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/mailboxes/{id}", tag = "email", params(("id" = i64, Path, description = "the id")), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    mailboxes::delete(&s.db, Actor::agent(auth.0.agent_id), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Inbound messages held by the per-sender rate limit (kept, not made tickets), newest first.
#[utoipa::path(get, path = "/api/v1/mail/held", tag = "email", params(PageQuery),
    responses((status = 200, body = Page<SpoolEntry>), (status = 403, body = ErrorBody)))]
pub async fn held(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<SpoolEntry>>> {
    auth.require_supervisor()?;
    Ok(Json(spool::list(&s.db, "held", q.page()?).await?))
}

/// Releases a held message: it becomes a ticket message like any other.
#[utoipa::path(post, path = "/api/v1/mail/held/{id}/release", tag = "email", params(("id" = i64, Path, description = "the id")),
    responses((status = 202), (status = 404, body = ErrorBody)))]
pub async fn release(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_supervisor()?;
    spool::release(&s.db, id).await?;
    Ok(StatusCode::ACCEPTED)
}
