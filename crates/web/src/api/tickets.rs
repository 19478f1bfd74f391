use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use ferrodesk_core::{Priority, Status};
use ferrodesk_store::events::Event;
use ferrodesk_store::tickets::{
    self, Message, NewMessage, NewTicket, Ticket, TicketFilter, TicketPatch,
};
use ferrodesk_store::{Actor, Page, PageRequest};

use crate::api::PageQuery;
use crate::shell::AppState;
use crate::shell::error::{ApiError, ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use crate::shell::upload::Upload;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub tag: Option<String>,
    /// 1–200, default 25.
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The ticket that absorbs this one.
    pub into: i64,
}

/// Open a ticket; the customer is found or created by email.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets", request_body = NewTicket,
    responses((status = 201, body = Ticket), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewTicket>,
) -> ApiResult<(StatusCode, Json<Ticket>)> {
    let default_team = auth
        .0
        .team_ids
        .first()
        .copied()
        .filter(|_| !auth.0.role.sees_all_tickets());
    let ticket =
        ferrodesk_desk::tickets::create(&s.db, Actor::agent(auth.0.agent_id), default_team, new)
            .await?;
    Ok((StatusCode::CREATED, Json(ticket)))
}

/// Tickets you may see, newest first.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets", params(TicketQuery),
    responses((status = 200, body = Page<Ticket>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<TicketQuery>,
) -> ApiResult<Json<Page<Ticket>>> {
    let page = PageRequest::parse(q.limit, q.cursor.as_deref())?;
    let filter = TicketFilter {
        status: q.status,
        priority: q.priority,
        team_id: q.team_id,
        assignee_id: q.assignee_id,
        customer_id: q.customer_id,
        tag: q.tag,
    };
    Ok(Json(tickets::list(&s.db, &auth.0, &filter, page).await?))
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets", params(("id" = i64, Path, description = "the id")),
    responses((status = 200, body = Ticket), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Ticket>> {
    Ok(Json(tickets::get(&s.db, &auth.0, id).await?))
}

/// Change status, priority, team, assignee, category or tags. An illegal status change is
/// refused (409) and nothing in the patch is applied.
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", tag = "tickets", params(("id" = i64, Path, description = "the id")), request_body = TicketPatch,
    responses((status = 200, body = Ticket), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<TicketPatch>,
) -> ApiResult<Json<Ticket>> {
    Ok(Json(
        ferrodesk_desk::tickets::update(&s.db, &auth.0, id, patch).await?,
    ))
}

/// The conversation, oldest first.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/messages", tag = "tickets", params(("id" = i64, Path, description = "the id"), PageQuery),
    responses((status = 200, body = Page<Message>)))]
pub async fn list_messages(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Message>>> {
    let page = q.page()?;
    Ok(Json(tickets::messages(&s.db, &auth.0, id, page).await?))
}

/// A public reply (`internal: false`) or an internal note. Send JSON, or `multipart/form-data`
/// with the fields `body` and `internal` (`true`/`false`) and any number of file parts (at most
/// 10 files, 10 MB each, 20 MB together; more answers 413 `attachment_too_large`).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/messages", tag = "tickets", params(("id" = i64, Path, description = "the id")), request_body = NewMessage,
    responses((status = 201, body = Message), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn add_message(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    req: Request,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let (new, files) = if crate::shell::upload::is_multipart(req.headers()) {
        let form = Upload::from_request(req, &s).await?;
        let internal = match form.field("internal").unwrap_or("false") {
            "true" | "1" | "on" => true,
            "false" | "0" | "" => false,
            _ => {
                return Err(ApiError {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    code: "invalid_field",
                    message: "internal: give true or false".into(),
                    field: Some("internal"),
                });
            }
        };
        let body = form.field("body").unwrap_or("").to_string();
        (NewMessage { body, internal }, form.files)
    } else {
        // The route admits upload-sized bodies; JSON keeps the usual limit.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::shell::MAX_BODY_BYTES)
            .await
            .map_err(|_| crate::shell::error::payload_too_large())?;
        let ApiJson(new) =
            ApiJson::<NewMessage>::from_request(Request::from_parts(parts, bytes.into()), &s)
                .await?;
        (new, Vec::new())
    };
    let message =
        ferrodesk_desk::tickets::add_agent_message_with(&s.db, &auth.0, id, new, &files).await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// Download a file attached to a message of a ticket you may see.
#[utoipa::path(get, path = "/api/v1/attachments/{message_id}/{position}", tag = "tickets", params(("message_id" = i64, Path, description = "the message's id"), ("position" = i64, Path, description = "the attachment's position on the message (0, 1, …)")),
    responses((status = 200, description = "the file"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn attachment(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath((message_id, position)): ApiPath<(i64, i64)>,
) -> ApiResult<axum::response::Response> {
    let d = ferrodesk_store::tickets::attachment(&s.db, &auth.0, message_id, position).await?;
    Ok(crate::shell::upload::send(
        d,
        &crate::shell::upload::DownloadQuery::default(),
    ))
}

/// The ticket's full history from the event log, oldest first.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/events", tag = "tickets", params(("id" = i64, Path, description = "the id"), PageQuery),
    responses((status = 200, body = Page<Event>)))]
pub async fn events(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Event>>> {
    let page = q.page()?;
    Ok(Json(tickets::history(&s.db, &auth.0, id, page).await?))
}

/// Merge this ticket into another; this one becomes `merged`.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/merge", tag = "tickets", params(("id" = i64, Path, description = "the id")), request_body = MergeRequest,
    responses((status = 200, body = Ticket), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn merge(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<MergeRequest>,
) -> ApiResult<Json<Ticket>> {
    Ok(Json(
        ferrodesk_desk::tickets::merge(&s.db, &auth.0, id, req.into).await?,
    ))
}
