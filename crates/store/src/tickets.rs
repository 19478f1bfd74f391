//! The tickets and messages tables: typed rows, reads for a viewer, and the writes the ticket
//! commands (`ferrodesk_desk::tickets`) are made of.

use ferrodesk_core::{
    AuthorKind, Channel, EmailAddress, Priority, Status, TicketScope, Viewer, Visibility,
};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::events::{self, Actor, NewEvent};
use crate::patch::double_option;
use crate::sql::Sql;
use crate::{Backend, Db, Page, PageRequest, StoreError, Tx, from_micros, to_micros};

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

pub const COLUMNS: &str = "t.id, t.number, t.subject, t.status, t.priority, t.category, t.channel, t.customer_id, \
    t.team_id, t.assignee_id, t.merged_into_id, t.created_at, t.updated_at, t.first_response_at, t.solved_at, t.closed_at, \
    t.sla_policy_id, t.first_response_due_at, t.next_response_due_at, t.resolution_due_at, t.sla_paused_since, \
    t.sla_paused_secs";

/// The same columns unqualified, for `RETURNING` (SQLite does not take aliases there).
pub const RETURNING: &str = "id, number, subject, status, priority, category, channel, customer_id, \
    team_id, assignee_id, merged_into_id, created_at, updated_at, first_response_at, solved_at, closed_at, \
    sla_policy_id, first_response_due_at, next_response_due_at, resolution_due_at, sla_paused_since, \
    sla_paused_secs";

pub fn opt_time(row: &AnyRow, col: &str) -> Result<Option<Timestamp>, StoreError> {
    Ok(row.try_get::<Option<i64>, _>(col)?.map(from_micros))
}

pub fn from_row(row: &AnyRow) -> Result<Ticket, StoreError> {
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

pub const MESSAGE_COLUMNS: &str = "id, ticket_id, author_type, author_id, visibility, channel, body_text, body_html, created_at, \
    delivery_state, delivery_error";

pub fn message_from_row(row: &AnyRow) -> Result<Message, StoreError> {
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
pub async fn load_tags<'e, E>(exec: E, tickets: &mut [Ticket]) -> Result<(), StoreError>
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
pub fn next_number_sql(db: &Db) -> &'static str {
    match db.backend() {
        // The single SQLite writer holds the lock, so MAX+1 cannot race.
        Backend::Sqlite => "(SELECT COALESCE(MAX(number), 10000) + 1 FROM tickets)",
        Backend::Postgres => "nextval('ticket_number_seq')",
    }
}

/// An active agent who may take tickets of `team_id`.
pub async fn check_assignee(
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

pub async fn check_team(tx: &mut Tx, team_id: i64) -> Result<(), StoreError> {
    crate::memberships::check_exist(tx, crate::memberships::Side::Agent, &[team_id])
        .await
        .map_err(|_| {
            StoreError::unprocessable(
                "team_not_found",
                format!("team_id: no team has id {team_id}"),
            )
        })
}

pub async fn insert_tags(tx: &mut Tx, ticket_id: i64, tags: &[String]) -> Result<(), StoreError> {
    crate::sql::insert_tags(tx, "ticket_tags", "ticket_id", ticket_id, tags).await
}

/// What a channel knows of an inbound message besides who wrote it: the text as it came (not
/// trimmed or limited like typed text), and for email its ids, headers, flags and HTML.
#[derive(Debug, Default, Clone, Copy)]
pub struct Inbound<'a> {
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
pub struct EmailFields {
    pub message_id: Option<String>,
    pub raw_message_id: i64,
    /// JSON: the headers and any parse problems.
    pub headers: String,
    /// JSON array of flags (`automatic`, `malformed`).
    pub flags: String,
    pub body_html: Option<String>,
}

pub async fn insert_message(
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

pub async fn insert_inbound_message(
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

pub fn message_event(ticket_id: i64, m: &Message) -> NewEvent {
    NewEvent::new(
        "ticket",
        ticket_id,
        "message.created",
        json!({"message_id": m.id, "internal": m.internal, "author_type": m.author_type, "author_id": m.author_id}),
    )
}

pub fn ensure_visible(viewer: &Viewer, ticket: &Ticket) -> Result<(), StoreError> {
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

pub async fn lock(db: &Db, tx: &mut Tx, viewer: &Viewer, id: i64) -> Result<Ticket, StoreError> {
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

pub fn push_scope(sql: &mut Sql, scope: Option<TicketScope<'_>>) {
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
pub fn enter_status(ticket: &mut Ticket, status: Status, at: Timestamp) {
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

pub async fn save(tx: &mut Tx, t: &Ticket) -> Result<(), StoreError> {
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
pub async fn lock_for_alerts(
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
pub async fn save_with_alerts(
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
    fill_attachments(db, &mut items).await?;
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
    fill_attachments(db, &mut items).await?;
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

/// Locks a ticket the viewer may see.
pub async fn lock_for_viewer(
    db: &Db,
    tx: &mut Tx,
    viewer: &Viewer,
    id: i64,
) -> Result<Ticket, StoreError> {
    lock(db, tx, viewer, id).await
}

/// Locks a ticket for the system (rules, jobs), without a viewer's permission check.
pub async fn lock_as_system(db: &Db, tx: &mut Tx, id: i64) -> Result<Ticket, StoreError> {
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

/// Fills `attachments` on a list of messages (one query).
pub async fn fill_attachments(db: &Db, messages: &mut [Message]) -> Result<(), StoreError> {
    let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
    let mut found = crate::attachments::for_messages(db, &ids).await?;
    for m in messages {
        m.attachments = found.remove(&m.id).unwrap_or_default();
    }
    Ok(())
}

/// A file for an agent: only if they may see the ticket (403 `ticket_forbidden` otherwise).
pub async fn attachment(
    db: &Db,
    viewer: &Viewer,
    message_id: i64,
    position: i64,
) -> Result<crate::attachments::Download, StoreError> {
    let (ticket_id, _) = crate::attachments::message_owner(db, message_id).await?;
    get(db, viewer, ticket_id).await?;
    crate::attachments::load(db, message_id, position).await
}
