//! Ticket commands: open, change, reply (agent and customer), merge, escalate. Each validates,
//! writes through the tickets repository and sets off its reactions (SLA clocks, triggers,
//! routing, outbound mail, webhooks) in the same transaction.

use ferrodesk_core::{
    Channel, Priority, Status, Viewer, Visibility, status_after_agent_reply,
    status_after_customer_reply, text,
};
use serde_json::json;

use ferrodesk_store::events::{self, Actor, FieldChanges, NewEvent};
use ferrodesk_store::tickets::*;
use ferrodesk_store::{Db, StoreError, Tx, customers, now, to_micros};

use crate::{routing, rules, sla};
use ferrodesk_core::rules::TriggerEvent;
use ferrodesk_core::sla::{TicketChange, TicketFacts};

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
    files: &[ferrodesk_store::attachments::NewAttachment],
) -> Result<Ticket, StoreError> {
    ferrodesk_store::attachments::check(files)?;
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
    files: &[ferrodesk_store::attachments::NewAttachment],
) -> Result<Ticket, StoreError> {
    let mut tx = db.begin().await?;
    let (ticket, message, scheduled) =
        create_in(db, &mut tx, actor, default_team, new, None).await?;
    let evs = ferrodesk_store::attachments::attach(&mut tx, ticket.id, message.id, files).await?;
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
pub async fn create_in(
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
    let team_id = match new.team_id.or(default_team) {
        Some(team) => Some(team),
        None => ferrodesk_store::channels::default_team(db, channel).await?,
    };
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
    files: &[ferrodesk_store::attachments::NewAttachment],
) -> Result<Message, StoreError> {
    let body = text::body(&new.body)?;
    ferrodesk_store::attachments::check(files)?;
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
    for e in ferrodesk_store::attachments::attach(&mut tx, ticket_id, message.id, files).await? {
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
        ferrodesk_store::tickets::fill_attachments(db, std::slice::from_mut(&mut message)).await?;
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
    files: &[ferrodesk_store::attachments::NewAttachment],
) -> Result<Message, StoreError> {
    let body = text::body(body)?;
    ferrodesk_store::attachments::check(files)?;
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
    let evs = ferrodesk_store::attachments::attach(&mut tx, ticket_id, message.id, files).await?;
    if !evs.is_empty() {
        events::append(&mut tx, Actor::customer(customer_id), now(), &evs).await?;
    }
    tx.commit().await?;
    if !files.is_empty() {
        ferrodesk_store::tickets::fill_attachments(db, std::slice::from_mut(&mut message)).await?;
    }
    if scheduled {
        db.jobs_scheduled().notify_one();
    }
    Ok(message)
}

/// The customer-reply logic inside a transaction (the email channel uses it too).
pub async fn customer_reply_in(
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
pub async fn customer_reply_to(
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
