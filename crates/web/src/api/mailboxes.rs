use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ferrodesk_store::Actor;
use ferrodesk_store::outbound::{self, Mailbox, NewMailbox};

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth};

/// Mailboxes teams send from (passwords are never shown).
#[utoipa::path(get, path = "/api/v1/mailboxes", tag = "email", responses((status = 200, body = Vec<Mailbox>), (status = 403, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Mailbox>>> {
    auth.require_admin()?;
    Ok(Json(outbound::list_mailboxes(&s.db).await?))
}

/// Admins connect a mailbox (SMTP for replies) to a team.
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
        Json(outbound::create_mailbox(&s.db, Actor::agent(auth.0.agent_id), new).await?),
    ))
}
