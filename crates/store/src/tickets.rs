//! Tickets and their messages: creation, the status lifecycle, assignment, tags, merging.
//! Every change writes its events in the same transaction.

use ferrodesk_core::{
    AuthorKind, Channel, EmailAddress, Priority, Status, TicketScope, Viewer, Visibility,
    status_after_agent_reply, status_after_customer_reply, text,
};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::events::{self, Actor, FieldChanges, NewEvent};
use crate::patch::double_option;
use crate::sql::Sql;
use crate::{
    Backend, Db, Page, PageRequest, StoreError, Tx, customers, from_micros, now, routing, rules,
    sla, to_micros,
};
use ferrodesk_core::rules::TriggerEvent;
use ferrodesk_core::sla::{TicketChange, TicketFacts};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Ticket {
    pub id: i64,
    /// The human number, shown to customers and used in mail subjects as `[#number]`.
    pub number: i64,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub category: Option<String>,
    pub channel: Channel,
    pub customer_id: i64,
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub tags: Vec<String>,
    pub merged_into_id: Option<i64>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_response_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub solved_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
    /// The SLA policy whose clocks run on this ticket.
    pub sla_policy_id: Option<i64>,
    /// When the first public reply is due (absent once given, or without a target).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_response_due_at: Option<Timestamp>,
    /// When the reply to the customer's latest message is due.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_response_due_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub resolution_due_at: Option<Timestamp>,
    /// Set while the clocks are paused (the ticket waits on the customer or a third party).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sla_paused_since: Option<Timestamp>,
    /// Business seconds the clocks have spent paused (kept to rebuild deadlines).
    #[serde(skip)]
    pub sla_paused_secs: i64,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Message {
    pub id: i64,
    pub ticket_id: i64,
    pub author_type: AuthorKind,
    pub author_id: Option<i64>,
    /// An internal note, seen by agents only.
    pub internal: bool,
    pub channel: Channel,
    pub body: String,
    pub body_html: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// For replies that go out by email: `queued`, `sent` or `failed`.
    pub delivery_state: Option<String>,
    /// Why the last delivery attempt failed.
    pub delivery_error: Option<String>,
    /// Files attached to the message (filled by the lists that show messages).
    pub attachments: Vec<crate::attachments::AttachmentInfo>,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerRef {
    pub email: EmailAddress,
    pub name: Option<String>,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    pub subject: String,
    /// The customer's request: the ticket's first message.
    pub body: String,
    /// Found by email, or created.
    pub customer: CustomerRef,
    pub channel: Option<Channel>,
    pub priority: Option<Priority>,
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Defaults to the creating agent's first team.
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPatch {
    pub subject: Option<String>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub category: Option<Option<String>>,
    /// Replaces the ticket's tags.
    pub tags: Option<Vec<String>>,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub body: String,
    /// `true` for an internal note; default `false`, a public reply.
    #[serde(default)]
    pub internal: bool,
}

#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub tag: Option<String>,
}

pub(crate) const COLUMNS: &str = "t.id, t.number, t.subject, t.status, t.priority, t.category, t.channel, t.customer_id, \
    t.team_id, t.assignee_id, t.merged_into_id, t.created_at, t.updated_at, t.first_response_at, t.solved_at, t.closed_at, \
    t.sla_policy_id, t.first_response_due_at, t.next_response_due_at, t.resolution_due_at, t.sla_paused_since, \
    t.sla_paused_secs";

/// The same columns unqualified, for `RETURNING` (SQLite does not take aliases there).
const RETURNING: &str = "id, number, subject, status, priority, category, channel, customer_id, \
    team_id, assignee_id, merged_into_id, created_at, updated_at, first_response_at, solved_at, closed_at, \
    sla_policy_id, first_response_due_at, next_response_due_at, resolution_due_at, sla_paused_since, \
    sla_paused_secs";

fn opt_time(row: &AnyRow, col: &str) -> Result<Option<Timestamp>, StoreError> {
    Ok(row.try_get::<Option<i64>, _>(col)?.map(from_micros))
}

pub(crate) fn from_row(row: &AnyRow) -> Result<Ticket, StoreError> {
    Ok(Ticket {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        subject: row.try_get("subject")?,
        status: row.try_get::<String, _>("status")?.parse()?,
        priority: row.try_get::<String, _>("priority")?.parse()?,
        category: row.try_get("category")?,
        channel: row.try_get::<String, _>("channel")?.parse()?,
        customer_id: row.try_get("customer_id")?,
        team_id: row.try_get("team_id")?,
        assignee_id: row.try_get("assignee_id")?,
        tags: Vec::new(),
        merged_into_id: row.try_get("merged_into_id")?,
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
        first_response_at: opt_time(row, "first_response_at")?,
        solved_at: opt_time(row, "solved_at")?,
        closed_at: opt_time(row, "closed_at")?,
        sla_policy_id: row.try_get("sla_policy_id")?,
        first_response_due_at: opt_time(row, "first_response_due_at")?,
        next_response_due_at: opt_time(row, "next_response_due_at")?,
        resolution_due_at: opt_time(row, "resolution_due_at")?,
        sla_paused_since: opt_time(row, "sla_paused_since")?,
        sla_paused_secs: row.try_get("sla_paused_secs")?,
    })
}

pub(crate) const MESSAGE_COLUMNS: &str = "id, ticket_id, author_type, author_id, visibility, channel, body_text, body_html, created_at, \
    delivery_state, delivery_error";

pub(crate) fn message_from_row(row: &AnyRow) -> Result<Message, StoreError> {
    Ok(Message {
        id: row.try_get("id")?,
        ticket_id: row.try_get("ticket_id")?,
        author_type: row.try_get::<String, _>("author_type")?.parse()?,
        author_id: row.try_get("author_id")?,
        internal: row
            .try_get::<String, _>("visibility")?
            .parse::<Visibility>()?
            == Visibility::Internal,
        channel: row.try_get::<String, _>("channel")?.parse()?,
        body: row.try_get("body_text")?,
        body_html: row.try_get("body_html")?,
        created_at: from_micros(row.try_get("created_at")?),
        delivery_state: row.try_get("delivery_state")?,
        delivery_error: row.try_get("delivery_error")?,
        attachments: Vec::new(),
    })
}

/// Fills `tags` for a page of tickets with one query.
pub(crate) async fn load_tags<'e, E>(exec: E, tickets: &mut [Ticket]) -> Result<(), StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut tags = crate::sql::tags_by_owner(
        exec,
        "ticket_tags",
        "ticket_id",
        tickets.iter().map(|t| t.id),
    )
    .await?;
    for t in tickets {
        t.tags = tags.remove(&t.id).unwrap_or_default();
    }
    Ok(())
}

/// The SQL expression that yields a new ticket number inside the INSERT.
fn next_number_sql(db: &Db) -> &'static str {
    match db.backend() {
        // The single SQLite writer holds the lock, so MAX+1 cannot race.
        Backend::Sqlite => "(SELECT COALESCE(MAX(number), 10000) + 1 FROM tickets)",
        Backend::Postgres => "nextval('ticket_number_seq')",
    }
}

/// An active agent who may take tickets of `team_id`.
async fn check_assignee(
    tx: &mut Tx,
    assignee_id: i64,
    team_id: Option<i64>,
) -> Result<(), StoreError> {
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT role, deactivated_at FROM agents WHERE id = $1")
            .bind(assignee_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((role, deactivated)) = row else {
        return Err(StoreError::unprocessable(
            "agent_not_found",
            format!("assignee_id: no agent has id {assignee_id}"),
        ));
    };
    if deactivated.is_some() {
        return Err(StoreError::unprocessable(
            "agent_deactivated",
            format!("assignee_id: agent {assignee_id} is deactivated"),
        ));
    }
    let role: ferrodesk_core::Role = role.parse()?;
    if let (Some(team), false) = (team_id, role.sees_all_tickets()) {
        let member: Option<i64> = sqlx::query_scalar(
            "SELECT agent_id FROM team_members WHERE team_id = $1 AND agent_id = $2",
        )
        .bind(team)
        .bind(assignee_id)
        .fetch_optional(&mut **tx)
        .await?;
        if member.is_none() {
            return Err(StoreError::unprocessable(
                "assignee_not_in_team",
                format!(
                    "assignee_id: agent {assignee_id} is not a member of team {team}; add them to the team or pick a member"
                ),
            ));
        }
    }
    Ok(())
}

async fn check_team(tx: &mut Tx, team_id: i64) -> Result<(), StoreError> {
    crate::memberships::check_exist(tx, crate::memberships::Side::Agent, &[team_id])
        .await
        .map_err(|_| {
            StoreError::unprocessable(
                "team_not_found",
                format!("team_id: no team has id {team_id}"),
            )
        })
}

async fn insert_tags(tx: &mut Tx, ticket_id: i64, tags: &[String]) -> Result<(), StoreError> {
    crate::sql::insert_tags(tx, "ticket_tags", "ticket_id", ticket_id, tags).await
}

/// What a channel knows of an inbound message besides who wrote it: the text as it came (not
/// trimmed or limited like typed text), and for email its ids, headers, flags and HTML.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Inbound<'a> {
    pub body: &'a str,
    pub email: Option<&'a EmailFields>,
}

impl<'a> Inbound<'a> {
    pub fn text(body: &'a str) -> Self {
        Self { body, email: None }
    }
}

/// An inbound email's columns on its message, written with the message's INSERT.
#[derive(Debug, Clone, Default)]
pub(crate) struct EmailFields {
    pub message_id: Option<String>,
    pub raw_message_id: i64,
    /// JSON: the headers and any parse problems.
    pub headers: String,
    /// JSON array of flags (`automatic`, `malformed`).
    pub flags: String,
    pub body_html: Option<String>,
}

async fn insert_message(
    tx: &mut Tx,
    ticket: &Ticket,
    author: Actor,
    visibility: Visibility,
    channel: Channel,
    body: &str,
    at: Timestamp,
) -> Result<Message, StoreError> {
    insert_inbound_message(
        tx,
        ticket,
        author,
        visibility,
        channel,
        Inbound::text(body),
        at,
    )
    .await
}

async fn insert_inbound_message(
    tx: &mut Tx,
    ticket: &Ticket,
    author: Actor,
    visibility: Visibility,
    channel: Channel,
    inbound: Inbound<'_>,
    at: Timestamp,
) -> Result<Message, StoreError> {
    let email = inbound.email;
    let row = sqlx::query(&format!(
        "INSERT INTO messages (ticket_id, author_type, author_id, visibility, channel, body_text, created_at, \
         email_message_id, raw_message_id, email_headers, flags, body_html) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(ticket.id)
    .bind(author.kind.as_str())
    .bind(author.id)
    .bind(visibility.as_str())
    .bind(channel.as_str())
    .bind(inbound.body)
    .bind(to_micros(at))
    .bind(email.and_then(|e| e.message_id.as_deref()))
    .bind(email.map(|e| e.raw_message_id))
    .bind(email.map(|e| e.headers.as_str()))
    .bind(email.map_or("[]", |e| e.flags.as_str()))
    .bind(email.and_then(|e| e.body_html.as_deref()))
    .fetch_one(&mut **tx)
    .await?;
    message_from_row(&row)
}

fn message_event(ticket_id: i64, m: &Message) -> NewEvent {
    NewEvent::new(
        "ticket",
        ticket_id,
        "message.created",
        json!({"message_id": m.id, "internal": m.internal, "author_type": m.author_type, "author_id": m.author_id}),
    )
}

/// Opens a ticket for a customer (found or created by email) with their request as the first
/// message. `actor` is who registered it (an agent through the API, or a channel).
pub async fn create(
    db: &Db,
    actor: Actor,
    default_team: Option<i64>,
    new: NewTicket,
) -> Result<Ticket, StoreError> {
    create_with(db, actor, default_team, new, &[]).await
}

/// [`create`] with files attached to the first message.
pub async fn create_with(
    db: &Db,
    actor: Actor,
    default_team: Option<i64>,
    new: NewTicket,
    files: &[crate::attachments::NewAttachment],
) -> Result<Ticket, StoreError> {
    crate::attachments::check(files)?;
    // Two first tickets from the same new customer can race to create them (PostgreSQL); the
    // loser retries and finds the customer the winner created.
    let mut attempt = 0;
    loop {
        match create_once(db, actor, default_team, &new, files).await {
            Err(StoreError::Conflict {
                code: "customer_exists",
                ..
            }) if attempt < 2 => attempt += 1,
            result => return result,
        }
    }
}

async fn create_once(
    db: &Db,
    actor: Actor,
    default_team: Option<i64>,
    new: &NewTicket,
    files: &[crate::attachments::NewAttachment],
) -> Result<Ticket, StoreError> {
    let mut tx = db.begin().await?;
    let (ticket, message, scheduled) =
        create_in(db, &mut tx, actor, default_team, new, None).await?;
    let evs = crate::attachments::attach(&mut tx, ticket.id, message.id, files).await?;
    if !evs.is_empty() {
        events::append(&mut tx, actor, now(), &evs).await?;
    }
    tx.commit().await?;
    if scheduled {
        db.jobs_scheduled().notify_one();
    }
    Ok(ticket)
}

/// Opens a ticket inside `tx`; returns it, its first message, and whether an SLA alert job was
/// scheduled (the caller wakes the worker after commit).
pub(crate) async fn create_in(
    db: &Db,
    tx: &mut Tx,
    actor: Actor,
    default_team: Option<i64>,
    new: &NewTicket,
    inbound: Option<Inbound<'_>>,
) -> Result<(Ticket, Message, bool), StoreError> {
    let subject = text::required("subject", &new.subject, text::MAX_SUBJECT_CHARS)?;
    let typed_body;
    let inbound = match inbound {
        Some(inbound) => inbound,
        None => {
            typed_body = text::body(&new.body)?;
            Inbound::text(&typed_body)
        }
    };
    let category = text::optional(
        "category",
        new.category.as_deref(),
        text::MAX_CATEGORY_CHARS,
    )?;
    let tags = text::tags(&new.tags)?;
    let channel = new.channel.unwrap_or(Channel::Api);
    let priority = new.priority.unwrap_or(Priority::Normal);
    let team_id = new.team_id.or(default_team);
    let at = now();

    if let Some(team) = team_id {
        check_team(tx, team).await?;
    }
    if let Some(assignee) = new.assignee_id {
        check_assignee(tx, assignee, team_id).await?;
    }
    let customer = customers::find_or_create_by_email(
        tx,
        actor,
        at,
        &new.customer.email,
        new.customer.name.as_deref(),
    )
    .await?;
    let facts = TicketFacts {
        channel,
        priority,
        category: category.as_deref(),
        organization_id: customer.organization_id,
        team_id,
    };
    let sla = sla::start(db, &facts, at).await?;
    let clock = sla.as_ref().map(|s| s.clock.clone()).unwrap_or_default();
    let routed = match (new.assignee_id, team_id) {
        (None, Some(team)) => routing::pick_assignee(db, tx, team, category.as_deref(), at).await?,
        _ => None,
    };
    let assignee_id = new.assignee_id.or(routed.map(|(agent, _)| agent));
    let row = sqlx::query(&format!(
        "INSERT INTO tickets (number, subject, status, priority, category, channel, customer_id, team_id, assignee_id, created_at, updated_at, \
         sla_policy_id, first_response_due_at, resolution_due_at) \
         VALUES ({}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12) RETURNING {RETURNING}",
        next_number_sql(db)
    ))
    .bind(&subject)
    .bind(Status::New.as_str())
    .bind(priority.as_str())
    .bind(&category)
    .bind(channel.as_str())
    .bind(customer.id)
    .bind(team_id)
    .bind(assignee_id)
    .bind(to_micros(at))
    .bind(sla.as_ref().map(|s| s.policy_id))
    .bind(clock.first_response_due.map(to_micros))
    .bind(clock.resolution_due.map(to_micros))
    .fetch_one(&mut **tx)
    .await?;
    let mut ticket = from_row(&row)?;
    insert_tags(tx, ticket.id, &tags).await?;
    ticket.tags = tags;
    let message = insert_inbound_message(
        tx,
        &ticket,
        Actor::customer(customer.id),
        Visibility::Public,
        channel,
        inbound,
        at,
    )
    .await?;
    let mut log = vec![
        NewEvent::new(
            "ticket",
            ticket.id,
            "ticket.created",
            json!({
                "number": ticket.number, "subject": ticket.subject, "status": ticket.status,
                "priority": ticket.priority, "category": ticket.category, "channel": ticket.channel,
                "customer_id": ticket.customer_id, "team_id": ticket.team_id,
                "assignee_id": ticket.assignee_id, "tags": ticket.tags,
            }),
        ),
        message_event(ticket.id, &message),
    ];
    if let Some((agent, strategy)) = routed {
        log.push(NewEvent::new(
            "ticket",
            ticket.id,
            "ticket.routed",
            json!({"assignee_id": agent, "strategy": strategy}),
        ));
    }
    if let Some(sla) = sla {
        log.extend(sla.events(ticket.id));
    }
    log.extend(rules::run_triggers(db, tx, &mut ticket, TriggerEvent::TicketCreated, at).await?);
    events::append(tx, actor, at, &log).await?;
    let scheduled = sla::schedule_alerts(db, tx, &ticket).await?;
    Ok((ticket, message, scheduled))
}

fn ensure_visible(viewer: &Viewer, ticket: &Ticket) -> Result<(), StoreError> {
    if viewer.can_see_ticket(ticket.team_id, ticket.assignee_id) {
        Ok(())
    } else {
        Err(StoreError::forbidden(
            "ticket_forbidden",
            format!(
                "ticket {} belongs to a team you are not a member of",
                ticket.id
            ),
        ))
    }
}

/// The ticket, if `viewer` may see it.
pub async fn get(db: &Db, viewer: &Viewer, id: i64) -> Result<Ticket, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM tickets t WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::not_found("ticket", id))?;
    let mut tickets = [from_row(&row)?];
    ensure_visible(viewer, &tickets[0])?;
    load_tags(db.reader(), &mut tickets).await?;
    let [ticket] = tickets;
    Ok(ticket)
}

async fn lock(db: &Db, tx: &mut Tx, viewer: &Viewer, id: i64) -> Result<Ticket, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM tickets t WHERE t.id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::not_found("ticket", id))?;
    let mut tickets = [from_row(&row)?];
    ensure_visible(viewer, &tickets[0])?;
    load_tags(&mut **tx, &mut tickets).await?;
    let [ticket] = tickets;
    Ok(ticket)
}

fn push_scope(sql: &mut Sql, scope: Option<TicketScope<'_>>) {
    if let Some(scope) = scope {
        sql.push(" AND (t.assignee_id = ").bind(scope.agent_id);
        if !scope.team_ids.is_empty() {
            sql.push(" OR t.team_id IN ")
                .bind_list(scope.team_ids.iter().copied());
        }
        sql.push(")");
    }
}

/// Tickets the viewer may see, newest first, filtered and cursor-paginated.
pub async fn list(
    db: &Db,
    viewer: &Viewer,
    filter: &TicketFilter,
    page: PageRequest,
) -> Result<Page<Ticket>, StoreError> {
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM tickets t WHERE t.id < "));
    sql.bind(page.cursor_id.unwrap_or(i64::MAX));
    if let Some(s) = filter.status {
        sql.push(" AND t.status = ").bind(s.as_str());
    }
    if let Some(p) = filter.priority {
        sql.push(" AND t.priority = ").bind(p.as_str());
    }
    if let Some(team) = filter.team_id {
        sql.push(" AND t.team_id = ").bind(team);
    }
    if let Some(a) = filter.assignee_id {
        sql.push(" AND t.assignee_id = ").bind(a);
    }
    if let Some(c) = filter.customer_id {
        sql.push(" AND t.customer_id = ").bind(c);
    }
    if let Some(tag) = &filter.tag {
        sql.push(" AND EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id AND g.tag = ")
            .bind(tag.trim().to_lowercase())
            .push(")");
    }
    push_scope(&mut sql, viewer.ticket_scope());
    sql.push(" ORDER BY t.id DESC LIMIT ").bind(page.limit + 1);
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let mut page = page.finish(items, |t| t.id);
    load_tags(db.reader(), &mut page.items).await?;
    Ok(page)
}

/// Applies a status change's timestamps.
pub(crate) fn enter_status(ticket: &mut Ticket, status: Status, at: Timestamp) {
    match status {
        Status::Solved => ticket.solved_at = Some(at),
        Status::Closed => ticket.closed_at = Some(at),
        Status::Open | Status::New | Status::Pending | Status::OnHold => {
            if ticket.status == Status::Solved {
                ticket.solved_at = None;
            }
        }
        Status::Merged => {}
    }
    ticket.status = status;
}

pub(crate) async fn save(tx: &mut Tx, t: &Ticket) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE tickets SET subject = $1, status = $2, priority = $3, category = $4, team_id = $5, assignee_id = $6, \
         merged_into_id = $7, updated_at = $8, first_response_at = $9, solved_at = $10, closed_at = $11, \
         sla_policy_id = $12, first_response_due_at = $13, next_response_due_at = $14, resolution_due_at = $15, \
         sla_paused_since = $16, sla_paused_secs = $18 WHERE id = $17",
    )
    .bind(&t.subject)
    .bind(t.status.as_str())
    .bind(t.priority.as_str())
    .bind(&t.category)
    .bind(t.team_id)
    .bind(t.assignee_id)
    .bind(t.merged_into_id)
    .bind(to_micros(t.updated_at))
    .bind(t.first_response_at.map(to_micros))
    .bind(t.solved_at.map(to_micros))
    .bind(t.closed_at.map(to_micros))
    .bind(t.sla_policy_id)
    .bind(t.first_response_due_at.map(to_micros))
    .bind(t.next_response_due_at.map(to_micros))
    .bind(t.resolution_due_at.map(to_micros))
    .bind(t.sla_paused_since.map(to_micros))
    .bind(t.id)
    .bind(t.sla_paused_secs)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Locks a ticket for the SLA alert job (no viewer: the system acts) with the alerts that
/// already fired for it.
pub(crate) async fn lock_for_alerts(
    db: &Db,
    tx: &mut Tx,
    id: i64,
) -> Result<(Ticket, ferrodesk_core::sla::FiredAlerts), StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, t.sla_fired FROM tickets t WHERE t.id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::not_found("ticket", id))?;
    let fired: String = row.try_get("sla_fired")?;
    Ok((
        from_row(&row)?,
        serde_json::from_str(&fired).unwrap_or_default(),
    ))
}

/// Saves a ticket and what its SLA alerts have fired.
pub(crate) async fn save_with_alerts(
    tx: &mut Tx,
    ticket: &Ticket,
    fired: &ferrodesk_core::sla::FiredAlerts,
) -> Result<(), StoreError> {
    save(tx, ticket).await?;
    sqlx::query("UPDATE tickets SET sla_fired = $1 WHERE id = $2")
        .bind(json!(fired).to_string())
        .bind(ticket.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Changes a ticket's fields; an illegal status change refuses the whole patch.
pub async fn update(
    db: &Db,
    viewer: &Viewer,
    id: i64,
    patch: TicketPatch,
) -> Result<Ticket, StoreError> {
    let mut tx = db.begin().await?;
    let old = lock(db, &mut tx, viewer, id).await?;
    let mut new = old.clone();
    let at = now();
    if old.status.is_final() {
        return Err(StoreError::conflict(
            "ticket_closed",
            format!("ticket {id} is {}; it takes no further changes", old.status),
        ));
    }
    if let Some(subject) = &patch.subject {
        new.subject = text::required("subject", subject, text::MAX_SUBJECT_CHARS)?;
    }
    if let Some(status) = patch.status
        && let Some(next) = old.status.transition_to(status)?
    {
        enter_status(&mut new, next, at);
    }
    if let Some(priority) = patch.priority {
        new.priority = priority;
    }
    if let Some(category) = &patch.category {
        new.category = text::optional("category", category.as_deref(), text::MAX_CATEGORY_CHARS)?;
    }
    if let Some(team) = patch.team_id {
        if let Some(team) = team {
            check_team(&mut tx, team).await?;
        }
        new.team_id = team;
    }
    if let Some(assignee) = patch.assignee_id {
        new.assignee_id = assignee;
    }
    // Re-check the assignee when either it or the team changed.
    if let Some(assignee) = new.assignee_id
        && (new.assignee_id != old.assignee_id || new.team_id != old.team_id)
    {
        check_assignee(&mut tx, assignee, new.team_id).await?;
    }
    // Handed to another team without a named assignee: that team's strategy picks one.
    if new.team_id != old.team_id
        && new.assignee_id.is_none()
        && let Some(team) = new.team_id
        && let Some((agent, _)) =
            routing::pick_assignee(db, &mut tx, team, new.category.as_deref(), at).await?
    {
        new.assignee_id = Some(agent);
    }
    if let Some(tags) = &patch.tags {
        new.tags = text::tags(tags)?;
    }

    let mut changes = FieldChanges::new("ticket", id, "ticket.updated");
    changes
        .field("subject", &old.subject, &new.subject)
        .field("status", &old.status, &new.status)
        .field("priority", &old.priority, &new.priority)
        .field("category", &old.category, &new.category)
        .field("team_id", &old.team_id, &new.team_id)
        .field("assignee_id", &old.assignee_id, &new.assignee_id)
        .field("tags", &old.tags, &new.tags);
    if changes.is_empty() {
        return Ok(old);
    }
    let mut scheduled = false;
    if new.status != old.status {
        let change = TicketChange::StatusChanged {
            from: old.status,
            to: new.status,
            at,
        };
        for e in sla::react(db, &mut new, change).await? {
            changes.push(e);
        }
        scheduled = sla::schedule_alerts(db, &mut tx, &new).await?;
    }
    new.updated_at = at;
    save(&mut tx, &new).await?;
    if new.tags != old.tags {
        sqlx::query("DELETE FROM ticket_tags WHERE ticket_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        insert_tags(&mut tx, id, &new.tags).await?;
    }
    if new.status != old.status {
        for e in rules::run_triggers(db, &mut tx, &mut new, TriggerEvent::StatusChanged, at).await?
        {
            changes.push(e);
        }
        scheduled = sla::schedule_alerts(db, &mut tx, &new).await?;
    }
    events::append(&mut tx, Actor::agent(viewer.agent_id), at, changes.events()).await?;
    tx.commit().await?;
    if scheduled {
        db.jobs_scheduled().notify_one();
    }
    Ok(new)
}

/// An agent's public reply or internal note. A public reply opens a new ticket and records the
/// first response.
pub async fn add_agent_message(
    db: &Db,
    viewer: &Viewer,
    ticket_id: i64,
    new: NewMessage,
) -> Result<Message, StoreError> {
    add_agent_message_with(db, viewer, ticket_id, new, &[]).await
}

/// [`add_agent_message`] with files attached to the reply or note.
pub async fn add_agent_message_with(
    db: &Db,
    viewer: &Viewer,
    ticket_id: i64,
    new: NewMessage,
    files: &[crate::attachments::NewAttachment],
) -> Result<Message, StoreError> {
    let body = text::body(&new.body)?;
    crate::attachments::check(files)?;
    let mut tx = db.begin().await?;
    let mut ticket = lock(db, &mut tx, viewer, ticket_id).await?;
    if ticket.status.is_final() {
        return Err(StoreError::conflict(
            "ticket_closed",
            format!(
                "ticket {ticket_id} is {}; open a new ticket to continue the conversation",
                ticket.status
            ),
        ));
    }
    let at = now();
    let old_status = ticket.status;
    let visibility = if new.internal {
        Visibility::Internal
    } else {
        Visibility::Public
    };
    let mut message = insert_message(
        &mut tx,
        &ticket,
        Actor::agent(viewer.agent_id),
        visibility,
        ticket.channel,
        &body,
        at,
    )
    .await?;
    let mut evs = FieldChanges::new("ticket", ticket_id, "ticket.updated");
    evs.push(message_event(ticket_id, &message));
    for e in crate::attachments::attach(&mut tx, ticket_id, message.id, files).await? {
        evs.push(e);
    }
    if !new.internal {
        let next = status_after_agent_reply(old_status)?;
        enter_status(&mut ticket, next, at);
        evs.field("status", &old_status, &next);
        if ticket.first_response_at.is_none() {
            ticket.first_response_at = Some(at);
        }
        for change in [
            TicketChange::StatusChanged {
                from: old_status,
                to: next,
                at,
            },
            TicketChange::AgentReplied { at },
        ] {
            for e in sla::react(db, &mut ticket, change).await? {
                evs.push(e);
            }
        }
    }
    ticket.updated_at = at;
    save(&mut tx, &ticket).await?;
    events::append(&mut tx, Actor::agent(viewer.agent_id), at, evs.events()).await?;
    let scheduled = !new.internal && sla::schedule_alerts(db, &mut tx, &ticket).await?;
    crate::outbound::queue_reply(&mut tx, &ticket, &mut message).await?;
    let scheduled = scheduled || (!new.internal && ticket.channel == Channel::Email);
    tx.commit().await?;
    if scheduled {
        db.jobs_scheduled().notify_one();
    }
    if !files.is_empty() {
        crate::attachments::fill(db, std::slice::from_mut(&mut message)).await?;
    }
    Ok(message)
}

/// A customer's reply (from the portal or a channel): reopens a solved ticket, wakes a pending
/// one. A closed ticket refuses it: the channel opens a new, linked ticket instead.
pub async fn add_customer_message(
    db: &Db,
    ticket_id: i64,
    customer_id: i64,
    channel: Channel,
    body: &str,
) -> Result<Message, StoreError> {
    add_customer_message_with(db, ticket_id, customer_id, channel, body, &[]).await
}

/// [`add_customer_message`] with files attached.
pub async fn add_customer_message_with(
    db: &Db,
    ticket_id: i64,
    customer_id: i64,
    channel: Channel,
    body: &str,
    files: &[crate::attachments::NewAttachment],
) -> Result<Message, StoreError> {
    let body = text::body(body)?;
    crate::attachments::check(files)?;
    let mut tx = db.begin().await?;
    let (mut message, scheduled) = customer_reply_in(
        db,
        &mut tx,
        ticket_id,
        customer_id,
        channel,
        Inbound::text(&body),
    )
    .await?;
    let evs = crate::attachments::attach(&mut tx, ticket_id, message.id, files).await?;
    if !evs.is_empty() {
        events::append(&mut tx, Actor::customer(customer_id), now(), &evs).await?;
    }
    tx.commit().await?;
    if !files.is_empty() {
        crate::attachments::fill(db, std::slice::from_mut(&mut message)).await?;
    }
    if scheduled {
        db.jobs_scheduled().notify_one();
    }
    Ok(message)
}

/// The customer-reply logic inside a transaction (the email channel uses it too).
pub(crate) async fn customer_reply_in(
    db: &Db,
    tx: &mut Tx,
    ticket_id: i64,
    customer_id: i64,
    channel: Channel,
    inbound: Inbound<'_>,
) -> Result<(Message, bool), StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM tickets t WHERE t.id = $1{}",
        db.for_update()
    ))
    .bind(ticket_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::not_found("ticket", ticket_id))?;
    customer_reply_to(db, tx, from_row(&row)?, customer_id, channel, inbound).await
}

/// [`customer_reply_in`] for a ticket already read (and, on PostgreSQL, locked) in `tx`.
pub(crate) async fn customer_reply_to(
    db: &Db,
    tx: &mut Tx,
    mut ticket: Ticket,
    customer_id: i64,
    channel: Channel,
    inbound: Inbound<'_>,
) -> Result<(Message, bool), StoreError> {
    let ticket_id = ticket.id;
    if ticket.customer_id != customer_id {
        return Err(StoreError::forbidden(
            "ticket_forbidden",
            format!("ticket {ticket_id} belongs to another customer"),
        ));
    }
    let old_status = ticket.status;
    let next = status_after_customer_reply(old_status).map_err(|_| {
        StoreError::conflict(
            "ticket_closed",
            format!("ticket {ticket_id} is {old_status}; open a new request"),
        )
    })?;
    let at = now();
    let actor = Actor::customer(customer_id);
    let message =
        insert_inbound_message(tx, &ticket, actor, Visibility::Public, channel, inbound, at)
            .await?;
    let mut evs = FieldChanges::new("ticket", ticket_id, "ticket.updated");
    evs.push(message_event(ticket_id, &message));
    enter_status(&mut ticket, next, at);
    evs.field("status", &old_status, &next);
    for change in [
        TicketChange::StatusChanged {
            from: old_status,
            to: next,
            at,
        },
        TicketChange::CustomerWrote { at },
    ] {
        for e in sla::react(db, &mut ticket, change).await? {
            evs.push(e);
        }
    }
    ticket.updated_at = at;
    save(tx, &ticket).await?;
    for e in rules::run_triggers(db, tx, &mut ticket, TriggerEvent::CustomerReplied, at).await? {
        evs.push(e);
    }
    events::append(tx, actor, at, evs.events()).await?;
    let scheduled = sla::schedule_alerts(db, tx, &ticket).await?;
    Ok((message, scheduled))
}

/// Messages of a ticket, oldest first; the cursor continues after the last one seen.
pub async fn messages(
    db: &Db,
    viewer: &Viewer,
    ticket_id: i64,
    page: PageRequest,
) -> Result<Page<Message>, StoreError> {
    get(db, viewer, ticket_id).await?;
    let rows = sqlx::query(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE ticket_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(ticket_id)
    .bind(page.cursor_id.unwrap_or(0))
    .bind(page.limit + 1)
    .fetch_all(db.reader())
    .await?;
    let mut items = rows
        .iter()
        .map(message_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    crate::attachments::fill(db, &mut items).await?;
    Ok(page.finish(items, |m| m.id))
}

/// The history of a ticket, from the event log.
pub async fn history(
    db: &Db,
    viewer: &Viewer,
    ticket_id: i64,
    page: PageRequest,
) -> Result<Page<events::Event>, StoreError> {
    get(db, viewer, ticket_id).await?;
    events::list_for(db, "ticket", ticket_id, page).await
}

/// The latest `limit` messages of a ticket (oldest first, with their attachments) and whether
/// there are earlier ones, for the ticket page.
pub async fn recent_messages(
    db: &Db,
    viewer: &Viewer,
    ticket_id: i64,
    limit: i64,
) -> Result<(Vec<Message>, bool), StoreError> {
    get(db, viewer, ticket_id).await?;
    let rows = sqlx::query(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE ticket_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(ticket_id)
    .bind(limit + 1)
    .fetch_all(db.reader())
    .await?;
    let mut items = rows
        .iter()
        .map(message_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let earlier = items.len() as i64 > limit;
    items.truncate(limit as usize);
    items.reverse();
    crate::attachments::fill(db, &mut items).await?;
    Ok((items, earlier))
}

/// The latest `limit` entries of a ticket's history (oldest first) and whether there are
/// older ones, for pages that show the recent past.
pub async fn recent_history(
    db: &Db,
    viewer: &Viewer,
    ticket_id: i64,
    limit: i64,
) -> Result<(Vec<events::Event>, bool), StoreError> {
    get(db, viewer, ticket_id).await?;
    events::latest_for(db, "ticket", ticket_id, limit).await
}

/// Merges `source` into `target`: the source is marked merged and points at the target, which
/// gets a system note. Both must be visible to the viewer and still active.
pub async fn merge(
    db: &Db,
    viewer: &Viewer,
    source_id: i64,
    target_id: i64,
) -> Result<Ticket, StoreError> {
    if source_id == target_id {
        return Err(StoreError::unprocessable(
            "merge_into_self",
            "a ticket cannot be merged into itself",
        ));
    }
    let mut tx = db.begin().await?;
    let mut source = lock(db, &mut tx, viewer, source_id).await?;
    let target = lock(db, &mut tx, viewer, target_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => StoreError::unprocessable(
                "ticket_not_found",
                format!("into: no ticket has id {target_id}"),
            ),
            other => other,
        })?;
    for t in [&source, &target] {
        if !t.status.can_merge() {
            return Err(StoreError::conflict(
                "ticket_closed",
                format!(
                    "ticket {} is {}; it cannot take part in a merge",
                    t.id, t.status
                ),
            ));
        }
    }
    let at = now();
    let old_status = source.status;
    source.status = Status::Merged;
    source.merged_into_id = Some(target_id);
    source.updated_at = at;
    let change = TicketChange::StatusChanged {
        from: old_status,
        to: Status::Merged,
        at,
    };
    let clock_events = sla::react(db, &mut source, change).await?;
    save(&mut tx, &source).await?;
    let note = format!("Ticket #{} was merged into this ticket.", source.number);
    let message = insert_message(
        &mut tx,
        &target,
        Actor::system(),
        Visibility::Internal,
        target.channel,
        &note,
        at,
    )
    .await?;
    sqlx::query("UPDATE tickets SET updated_at = $1 WHERE id = $2")
        .bind(to_micros(at))
        .bind(target_id)
        .execute(&mut *tx)
        .await?;
    let mut evs = FieldChanges::new("ticket", source_id, "ticket.updated");
    evs.field("status", &old_status, &Status::Merged);
    for e in clock_events {
        evs.push(e);
    }
    evs.push(NewEvent::new(
        "ticket",
        source_id,
        "ticket.merged",
        json!({"into": target_id}),
    ));
    evs.push(NewEvent::new(
        "ticket",
        target_id,
        "ticket.merged_from",
        json!({"from": source_id}),
    ));
    evs.push(message_event(target_id, &message));
    events::append(&mut tx, Actor::agent(viewer.agent_id), at, evs.events()).await?;
    tx.commit().await?;
    Ok(source)
}

/// Where an agent escalates a ticket: a support line (its first team) or a named team.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationRequest {
    /// 2 or 3: the ticket goes to that line's first team.
    pub tier: Option<i64>,
    /// Or this team, which must work a higher line than the current one.
    pub team_id: Option<i64>,
    /// Why: kept as an internal note, so the next line need not ask the customer again.
    pub reason: String,
}

/// Hands a ticket up to line 2 or 3 with a reason. The ticket keeps its conversation, history
/// and SLA clocks; the reason becomes an internal note; the new team's strategy picks an agent.
pub async fn escalate(
    db: &Db,
    viewer: &Viewer,
    id: i64,
    req: EscalationRequest,
) -> Result<Ticket, StoreError> {
    let reason = text::required("reason", &req.reason, 2000)?;
    let mut tx = db.begin().await?;
    let old = lock(db, &mut tx, viewer, id).await?;
    if old.status.is_final() {
        return Err(StoreError::conflict(
            "ticket_closed",
            format!("ticket {id} is {}; it cannot be escalated", old.status),
        ));
    }
    let current_tier: i64 = match old.team_id {
        Some(team) => sqlx::query_scalar("SELECT tier FROM teams WHERE id = $1")
            .bind(team)
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(0),
        None => 0,
    };
    let (team_id, team_name, tier): (i64, String, i64) = match (req.team_id, req.tier) {
        (Some(team), None) => sqlx::query_as("SELECT id, name, tier FROM teams WHERE id = $1")
            .bind(team)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::unprocessable(
                    "team_not_found",
                    format!("team_id: no team has id {team}"),
                )
            })?,
        (None, Some(tier)) => {
            sqlx::query_as("SELECT id, name, tier FROM teams WHERE tier = $1 ORDER BY id LIMIT 1")
                .bind(tier)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| {
                    StoreError::unprocessable(
                        "team_not_found",
                        format!("tier: no team works line {tier}"),
                    )
                })?
        }
        _ => {
            return Err(StoreError::invalid(
                "tier",
                "give either tier (2 or 3) or team_id, not both",
            ));
        }
    };
    if tier <= current_tier {
        return Err(StoreError::unprocessable(
            "not_an_escalation",
            format!(
                "the ticket is already on line {current_tier}; escalation goes to a higher line (got line {tier})"
            ),
        ));
    }
    let at = now();
    let mut new = old.clone();
    new.team_id = Some(team_id);
    new.assignee_id = routing::pick_assignee(db, &mut tx, team_id, new.category.as_deref(), at)
        .await?
        .map(|(agent, _)| agent);
    new.updated_at = at;
    save(&mut tx, &new).await?;
    let note = format!("Escalated to {team_name} (line {tier}): {reason}");
    let message = insert_message(
        &mut tx,
        &new,
        Actor::agent(viewer.agent_id),
        Visibility::Internal,
        new.channel,
        &note,
        at,
    )
    .await?;
    let mut evs = FieldChanges::new("ticket", id, "ticket.updated");
    evs.field("team_id", &old.team_id, &new.team_id).field(
        "assignee_id",
        &old.assignee_id,
        &new.assignee_id,
    );
    evs.push(NewEvent::new(
        "ticket",
        id,
        "ticket.escalated",
        json!({"from_team_id": old.team_id, "to_team_id": team_id, "tier": tier, "reason": reason}),
    ));
    evs.push(message_event(id, &message));
    events::append(&mut tx, Actor::agent(viewer.agent_id), at, evs.events()).await?;
    tx.commit().await?;
    Ok(new)
}

/// Applies what rules decided (`Changes`) to a locked ticket inside `tx`: validates each change,
/// writes messages, saves the ticket, and returns the events to log. A change that the ticket
/// cannot take (an illegal status step, an assignee outside the team) is skipped and logged as
/// `rule.skipped`, so one bad rule does not undo the request that triggered it.
pub(crate) async fn apply_changes(
    db: &Db,
    tx: &mut Tx,
    ticket: &mut Ticket,
    changes: &ferrodesk_core::rules::Changes,
    actor: Actor,
    at: Timestamp,
) -> Result<Vec<NewEvent>, StoreError> {
    let old = ticket.clone();
    let mut evs = FieldChanges::new("ticket", ticket.id, "ticket.updated");
    let skipped = |evs: &mut FieldChanges, why: String| {
        evs.push(NewEvent::new(
            "ticket",
            old.id,
            "rule.skipped",
            json!({"reason": why}),
        ));
    };
    if let Some(status) = changes.status {
        match ticket.status.transition_to(status) {
            Ok(Some(next)) => {
                let from = ticket.status;
                enter_status(ticket, next, at);
                for e in sla::react(
                    db,
                    ticket,
                    TicketChange::StatusChanged { from, to: next, at },
                )
                .await?
                {
                    evs.push(e);
                }
            }
            Ok(None) => {}
            Err(e) => skipped(&mut evs, e.to_string()),
        }
    }
    if let Some(priority) = changes.priority {
        ticket.priority = priority;
    }
    if let Some(category) = &changes.category {
        ticket.category =
            text::optional("category", category.as_deref(), text::MAX_CATEGORY_CHARS)?;
    }
    if let Some(team) = changes.team_id {
        match check_team(tx, team).await {
            Ok(()) => ticket.team_id = Some(team),
            Err(e) => skipped(&mut evs, e.to_string()),
        }
    }
    if let Some(assignee) = changes.assignee_id {
        match assignee {
            None => ticket.assignee_id = None,
            Some(agent) => match check_assignee(tx, agent, ticket.team_id).await {
                Ok(()) => ticket.assignee_id = Some(agent),
                Err(e) => skipped(&mut evs, e.to_string()),
            },
        }
    } else if ticket.team_id != old.team_id
        && let Some(agent) = ticket.assignee_id
        && check_assignee(tx, agent, ticket.team_id).await.is_err()
    {
        ticket.assignee_id = None;
    }
    if let Some(tags) = &changes.tags {
        ticket.tags = tags.clone();
    }
    if !changes.replies.is_empty() {
        let customer: (String, Option<String>) =
            sqlx::query_as("SELECT name, email FROM customers WHERE id = $1")
                .bind(ticket.customer_id)
                .fetch_one(&mut **tx)
                .await?;
        let number = ticket.number.to_string();
        let subject = ticket.subject.clone();
        let values = [
            ("ticket.number", number.as_str()),
            ("ticket.subject", subject.as_str()),
            ("customer.name", customer.0.as_str()),
            ("customer.email", customer.1.as_deref().unwrap_or("")),
        ];
        for (template, internal) in &changes.replies {
            let body = text::body(&ferrodesk_core::rules::render(template, &values))?;
            let visibility = if *internal {
                Visibility::Internal
            } else {
                Visibility::Public
            };
            let mut message =
                insert_message(tx, ticket, actor, visibility, ticket.channel, &body, at).await?;
            evs.push(message_event(ticket.id, &message));
            // A public reply goes out by email on email tickets: an agent's (through a macro)
            // always, a rule's unless what the customer last sent was automatic mail (no loops).
            let mailed = !internal
                && match actor.kind {
                    AuthorKind::Agent => true,
                    AuthorKind::System => {
                        ticket.channel == Channel::Email
                            && !crate::outbound::last_customer_mail_was_automatic(tx, ticket.id)
                                .await?
                    }
                    _ => false,
                };
            if mailed {
                crate::outbound::queue_reply(tx, ticket, &mut message).await?;
            }
            // An agent's reply is a response like any other (a rule's is not).
            if !internal && actor.kind == AuthorKind::Agent {
                let from = ticket.status;
                let next = status_after_agent_reply(from)?;
                enter_status(ticket, next, at);
                ticket.first_response_at.get_or_insert(at);
                for change in [
                    TicketChange::StatusChanged { from, to: next, at },
                    TicketChange::AgentReplied { at },
                ] {
                    for e in sla::react(db, ticket, change).await? {
                        evs.push(e);
                    }
                }
            }
        }
    }
    for (n, url) in changes.webhooks.iter().enumerate() {
        crate::webhooks::schedule(tx, url, ticket, "rule", at, n).await?;
        evs.push(NewEvent::new(
            "ticket",
            ticket.id,
            "webhook.scheduled",
            json!({"url": url}),
        ));
    }
    for message in &changes.notifications {
        let sent = crate::notifications::notify(
            tx,
            crate::notifications::Audience::TicketOwners,
            ticket,
            "rule.notify",
            message,
            at,
        )
        .await?;
        evs.push(NewEvent::new(
            "ticket",
            ticket.id,
            "notification.sent",
            json!({"message": message, "recipients": sent}),
        ));
    }
    evs.field("status", &old.status, &ticket.status)
        .field("priority", &old.priority, &ticket.priority)
        .field("category", &old.category, &ticket.category)
        .field("team_id", &old.team_id, &ticket.team_id)
        .field("assignee_id", &old.assignee_id, &ticket.assignee_id)
        .field("tags", &old.tags, &ticket.tags);
    ticket.updated_at = at;
    save(tx, ticket).await?;
    if ticket.tags != old.tags {
        sqlx::query("DELETE FROM ticket_tags WHERE ticket_id = $1")
            .bind(ticket.id)
            .execute(&mut **tx)
            .await?;
        insert_tags(tx, ticket.id, &ticket.tags).await?;
    }
    Ok(evs.events().to_vec())
}

/// The facts rules look at, for a ticket at `now`.
pub(crate) fn rule_facts(ticket: &Ticket, now: Timestamp) -> ferrodesk_core::rules::RuleFacts<'_> {
    ferrodesk_core::rules::RuleFacts {
        status: ticket.status,
        priority: ticket.priority,
        channel: ticket.channel,
        category: ticket.category.as_deref(),
        team_id: ticket.team_id,
        assignee_id: ticket.assignee_id,
        tags: &ticket.tags,
        subject: &ticket.subject,
        updated_at: ticket.updated_at,
        now,
    }
}

/// Locks a ticket the viewer may see.
pub(crate) async fn lock_for_viewer(
    db: &Db,
    tx: &mut Tx,
    viewer: &Viewer,
    id: i64,
) -> Result<Ticket, StoreError> {
    lock(db, tx, viewer, id).await
}

/// Locks a ticket for the system (rules, jobs), without a viewer's permission check.
pub(crate) async fn lock_as_system(db: &Db, tx: &mut Tx, id: i64) -> Result<Ticket, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM tickets t WHERE t.id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::not_found("ticket", id))?;
    let mut tickets = [from_row(&row)?];
    load_tags(&mut **tx, &mut tickets).await?;
    let [ticket] = tickets;
    Ok(ticket)
}
