//! Triggers (rules on ticket events), macros (an agent's one-step actions) and automations
//! (rules on time). Conditions and actions are `ferrodesk_core::rules`; this module stores
//! them, runs them inside the transaction of the change that set them off, and applies what
//! they decide to the ticket.

use std::sync::Arc;

use ferrodesk_core::rules::{Action, Condition, TriggerEvent, all_hold, apply};
use ferrodesk_core::sla::TicketChange;
use ferrodesk_core::text;
use ferrodesk_core::{AuthorKind, Channel, Viewer, Visibility, status_after_agent_reply};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::sla;
use ferrodesk_store::error::on_unique;
use ferrodesk_store::events::{self, Actor, FieldChanges, NewEvent};
use ferrodesk_store::sql::Sql;
use ferrodesk_store::tickets::{
    self, Ticket, check_assignee, check_team, enter_status, insert_message, insert_tags,
    message_event, save,
};
use ferrodesk_store::{Db, StoreError, Tx, from_micros, now, to_micros};

/// A rule record: triggers and automations use every field; macros only name and actions.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Rule {
    pub id: i64,
    pub name: String,
    /// Rules run in ascending position (macros: 0).
    pub position: i64,
    /// Triggers only: the event they listen to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<TriggerEvent>,
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
    pub active: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    pub name: String,
    #[serde(default)]
    pub position: i64,
    /// Required for triggers; refused for macros and automations.
    pub event: Option<TriggerEvent>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulePatch {
    pub name: Option<String>,
    pub position: Option<i64>,
    pub event: Option<TriggerEvent>,
    pub conditions: Option<Vec<Condition>>,
    pub actions: Option<Vec<Action>>,
    pub active: Option<bool>,
}

/// Which kind of rule, and its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Trigger,
    Macro,
    Automation,
}

impl RuleKind {
    fn table(self) -> &'static str {
        match self {
            RuleKind::Trigger => "triggers",
            RuleKind::Macro => "macros",
            RuleKind::Automation => "automations",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            RuleKind::Trigger => "trigger",
            RuleKind::Macro => "macro",
            RuleKind::Automation => "automation",
        }
    }

    fn columns(self) -> &'static str {
        match self {
            RuleKind::Trigger => {
                "id, name, position, event, conditions, actions, disabled_at, created_at, updated_at"
            }
            RuleKind::Macro => "id, name, 0 AS position, actions, created_at, updated_at",
            RuleKind::Automation => {
                "id, name, position, conditions, actions, disabled_at, created_at, updated_at"
            }
        }
    }
}

fn stored<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T, StoreError> {
    let text: String = row.try_get(col)?;
    serde_json::from_str(&text)
        .map_err(|e| StoreError::Schema(format!("stored rule {col} are not valid: {e}")))
}

fn from_row(kind: RuleKind, row: &AnyRow) -> Result<Rule, StoreError> {
    Ok(Rule {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        event: match kind {
            RuleKind::Trigger => Some(row.try_get::<String, _>("event")?.parse()?),
            _ => None,
        },
        conditions: match kind {
            RuleKind::Macro => Vec::new(),
            _ => stored(row, "conditions")?,
        },
        actions: stored(row, "actions")?,
        active: match kind {
            RuleKind::Macro => true,
            _ => row.try_get::<Option<i64>, _>("disabled_at")?.is_none(),
        },
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

pub async fn list(db: &Db, kind: RuleKind) -> Result<Vec<Rule>, StoreError> {
    let order = if kind == RuleKind::Macro {
        "name"
    } else {
        "position, id"
    };
    let rows = sqlx::query(&format!(
        "SELECT {} FROM {} ORDER BY {order}",
        kind.columns(),
        kind.table()
    ))
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(|r| from_row(kind, r)).collect()
}

pub async fn get(db: &Db, kind: RuleKind, id: i64) -> Result<Rule, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM {} WHERE id = $1",
        kind.columns(),
        kind.table()
    ))
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StoreError::not_found(kind.entity(), id))?;
    from_row(kind, &row)
}

fn validate(kind: RuleKind, rule: &Rule) -> Result<(), StoreError> {
    text::required("name", &rule.name, text::MAX_NAME_CHARS)?;
    if rule.actions.is_empty() {
        return Err(StoreError::invalid(
            "actions",
            "a rule needs at least one action",
        ));
    }
    if rule.actions.len() > 50 || rule.conditions.len() > 50 {
        return Err(StoreError::invalid(
            "actions",
            "at most 50 conditions and 50 actions",
        ));
    }
    // Actions that could never apply (bad tags, a bad webhook address) are refused now, not
    // when the rule first runs.
    apply(&rule.actions, &[])?;
    match (kind, rule.event) {
        (RuleKind::Trigger, None) => Err(StoreError::invalid(
            "event",
            "a trigger needs the event it listens to",
        )),
        (RuleKind::Macro | RuleKind::Automation, Some(_)) => Err(StoreError::invalid(
            "event",
            "only triggers listen to events",
        )),
        (RuleKind::Macro, _) if !rule.conditions.is_empty() => Err(StoreError::invalid(
            "conditions",
            "macros have no conditions",
        )),
        (RuleKind::Automation, _)
            if !rule
                .conditions
                .iter()
                .any(|c| matches!(c, Condition::HoursSinceUpdate { .. })) =>
        {
            Err(StoreError::invalid(
                "conditions",
                "an automation needs an hours_since_update condition: it acts on time",
            ))
        }
        _ => Ok(()),
    }
}

/// A column value of a rule row.
enum Value {
    Text(String),
    Int(i64),
    OptInt(Option<i64>),
}

fn columns_of(kind: RuleKind, rule: &Rule) -> Vec<(&'static str, Value)> {
    let mut cols = vec![("name", Value::Text(rule.name.trim().to_string()))];
    if kind != RuleKind::Macro {
        cols.push(("position", Value::Int(rule.position)));
        cols.push((
            "conditions",
            Value::Text(json!(rule.conditions).to_string()),
        ));
        cols.push((
            "disabled_at",
            Value::OptInt((!rule.active).then(|| to_micros(rule.updated_at))),
        ));
    }
    if kind == RuleKind::Trigger {
        cols.push((
            "event",
            Value::Text(
                rule.event
                    .map(|e| e.as_str())
                    .unwrap_or_default()
                    .to_string(),
            ),
        ));
    }
    cols.push(("actions", Value::Text(json!(rule.actions).to_string())));
    cols.push(("updated_at", Value::Int(to_micros(rule.updated_at))));
    cols
}

fn bind_value(sql: &mut Sql, v: Value) {
    match v {
        Value::Text(t) => sql.bind(t),
        Value::Int(i) => sql.bind(i),
        Value::OptInt(i) => sql.bind(i),
    };
}

async fn write(db: &Db, kind: RuleKind, rule: &Rule, insert: bool) -> Result<Rule, StoreError> {
    let cols = columns_of(kind, rule);
    let mut sql;
    if insert {
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        sql = Sql::new(format!(
            "INSERT INTO {} ({}, created_at) VALUES (",
            kind.table(),
            names.join(", ")
        ));
        for (i, (_, v)) in cols.into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            bind_value(&mut sql, v);
        }
        sql.push(", ")
            .bind(to_micros(rule.created_at))
            .push(") RETURNING id");
    } else {
        sql = Sql::new(format!("UPDATE {} SET ", kind.table()));
        for (i, (name, v)) in cols.into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push(name).push(" = ");
            bind_value(&mut sql, v);
        }
        sql.push(" WHERE id = ").bind(rule.id).push(" RETURNING id");
    }
    let (text, args) = sql.into_parts();
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_with(&text, args)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("rule_exists", || {
            format!("a {} named {:?} already exists", kind.entity(), rule.name)
        }))?
        .try_get(0)?;
    let what = if insert { "created" } else { "updated" };
    events::append(
        &mut tx,
        Actor::system(),
        rule.updated_at,
        &[NewEvent::new(
            kind.entity(),
            id,
            kind_event(kind, what),
            json!(rule),
        )],
    )
    .await?;
    tx.commit().await?;
    db.snapshots().clear::<TriggerSet>();
    get(db, kind, id).await
}

fn kind_event(kind: RuleKind, what: &str) -> &'static str {
    match (kind, what) {
        (RuleKind::Trigger, "created") => "trigger.created",
        (RuleKind::Trigger, _) => "trigger.updated",
        (RuleKind::Macro, "created") => "macro.created",
        (RuleKind::Macro, _) => "macro.updated",
        (RuleKind::Automation, "created") => "automation.created",
        (RuleKind::Automation, _) => "automation.updated",
    }
}

pub async fn create(db: &Db, kind: RuleKind, new: NewRule) -> Result<Rule, StoreError> {
    let at = now();
    let rule = Rule {
        id: 0,
        name: new.name,
        position: new.position,
        event: new.event,
        conditions: new.conditions,
        actions: new.actions,
        active: new.active,
        created_at: at,
        updated_at: at,
    };
    validate(kind, &rule)?;
    check_references(db, &rule).await?;
    write(db, kind, &rule, true).await
}

/// Refuses actions naming a team or an agent that does not exist (or an agent deactivated):
/// such a rule would be accepted and then do nothing. One query per kind of reference.
async fn check_references(db: &Db, rule: &Rule) -> Result<(), StoreError> {
    let mut teams = Vec::new();
    let mut agents = Vec::new();
    for action in &rule.actions {
        match action {
            Action::SetTeam { team_id } => teams.push(*team_id),
            Action::Assign {
                agent_id: Some(agent_id),
            } => agents.push(*agent_id),
            _ => {}
        }
    }
    let missing = |table: &str, ids: &[i64], extra: &str| {
        let mut sql = Sql::new(format!("SELECT id FROM {table} WHERE {extra}id IN "));
        sql.bind_list(ids.iter().copied());
        sql
    };
    if !teams.is_empty() {
        let (text, args) = missing("teams", &teams, "").into_parts();
        let found: Vec<i64> = sqlx::query_scalar_with(&text, args)
            .fetch_all(db.reader())
            .await?;
        if let Some(team_id) = teams.iter().find(|t| !found.contains(t)) {
            return Err(StoreError::invalid(
                "actions",
                format!("set_team names team {team_id}, which does not exist"),
            ));
        }
    }
    if !agents.is_empty() {
        let (text, args) = missing("agents", &agents, "deactivated_at IS NULL AND ").into_parts();
        let found: Vec<i64> = sqlx::query_scalar_with(&text, args)
            .fetch_all(db.reader())
            .await?;
        if let Some(agent_id) = agents.iter().find(|a| !found.contains(a)) {
            return Err(StoreError::invalid(
                "actions",
                format!("assign names agent {agent_id}, who does not exist or is deactivated"),
            ));
        }
    }
    Ok(())
}

pub async fn update(
    db: &Db,
    kind: RuleKind,
    id: i64,
    patch: RulePatch,
) -> Result<Rule, StoreError> {
    let mut rule = get(db, kind, id).await?;
    if let Some(v) = patch.name {
        rule.name = v;
    }
    if let Some(v) = patch.position {
        rule.position = v;
    }
    if let Some(v) = patch.event {
        rule.event = Some(v);
    }
    if let Some(v) = patch.conditions {
        rule.conditions = v;
    }
    if let Some(v) = patch.actions {
        rule.actions = v;
    }
    if let Some(v) = patch.active {
        rule.active = v;
    }
    rule.updated_at = now();
    validate(kind, &rule)?;
    check_references(db, &rule).await?;
    write(db, kind, &rule, false).await
}

pub async fn delete(db: &Db, kind: RuleKind, id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(&format!("DELETE FROM {} WHERE id = $1", kind.table()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found(kind.entity(), id));
    }
    events::append(
        &mut tx,
        Actor::system(),
        now(),
        &[NewEvent::new(kind.entity(), id, "rule.deleted", json!({}))],
    )
    .await?;
    tx.commit().await?;
    db.snapshots().clear::<TriggerSet>();
    Ok(())
}

/// Active triggers in order, cached per process.
#[derive(Debug)]
pub struct TriggerSet(Vec<Rule>);

async fn triggers(db: &Db) -> Result<Arc<TriggerSet>, StoreError> {
    if let Some(set) = db.snapshots().get::<TriggerSet>() {
        return Ok(set);
    }
    let set = Arc::new(TriggerSet(
        list(db, RuleKind::Trigger)
            .await?
            .into_iter()
            .filter(|t| t.active)
            .collect(),
    ));
    db.snapshots().put(set.clone());
    Ok(set)
}

/// Runs the triggers listening to `event` on a locked ticket, in order, each at most once.
/// Changes made by triggers raise no further trigger events, so rules cannot loop.
pub async fn run_triggers(
    db: &Db,
    tx: &mut Tx,
    ticket: &mut Ticket,
    event: TriggerEvent,
    at: Timestamp,
) -> Result<Vec<NewEvent>, StoreError> {
    let set = triggers(db).await?;
    let mut log = Vec::new();
    for trigger in set.0.iter().filter(|t| t.event == Some(event)) {
        if !all_hold(&trigger.conditions, &rule_facts(ticket, at)) {
            continue;
        }
        let changes = apply(&trigger.actions, &ticket.tags)?;
        log.push(NewEvent::new(
            "ticket",
            ticket.id,
            "trigger.fired",
            json!({"trigger_id": trigger.id, "name": trigger.name, "event": event}),
        ));
        log.extend(apply_changes(db, tx, ticket, &changes, Actor::system(), at).await?);
    }
    Ok(log)
}

/// An agent applies a macro to a ticket they may see: its actions and reply, in one step.
pub async fn apply_macro(
    db: &Db,
    viewer: &Viewer,
    ticket_id: i64,
    macro_id: i64,
) -> Result<Ticket, StoreError> {
    let rule = get(db, RuleKind::Macro, macro_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => StoreError::not_found("macro", macro_id),
            other => other,
        })?;
    let mut tx = db.begin().await?;
    let mut ticket = tickets::lock_for_viewer(db, &mut tx, viewer, ticket_id).await?;
    if ticket.status.is_final() {
        return Err(StoreError::conflict(
            "ticket_closed",
            format!(
                "ticket {ticket_id} is {}; it takes no further changes",
                ticket.status
            ),
        ));
    }
    let at = now();
    let changes = apply(&rule.actions, &ticket.tags)?;
    let actor = Actor::agent(viewer.agent_id);
    let mut log = vec![NewEvent::new(
        "ticket",
        ticket_id,
        "macro.applied",
        json!({"macro_id": rule.id, "name": rule.name}),
    )];
    log.extend(apply_changes(db, &mut tx, &mut ticket, &changes, actor, at).await?);
    events::append(&mut tx, actor, at, &log).await?;
    crate::sla::schedule_alerts(db, &mut tx, &ticket).await?;
    tx.commit().await?;
    Ok(ticket)
}

/// How many tickets one automation pass looks at per automation, oldest change first.
const AUTOMATION_BATCH: i64 = 500;

/// Runs every active automation over the tickets whose conditions hold now; returns how many
/// tickets changed. Each ticket is re-checked under its lock before anything is applied.
pub async fn run_automations(db: &Db) -> Result<usize, StoreError> {
    let at = now();
    let mut changed = 0;
    for automation in list(db, RuleKind::Automation)
        .await?
        .into_iter()
        .filter(|a| a.active)
    {
        let hours = automation
            .conditions
            .iter()
            .filter_map(|c| match c {
                Condition::HoursSinceUpdate { at_least } => Some(*at_least),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let cutoff = at
            .checked_sub(jiff::SignedDuration::from_hours(i64::from(hours)))
            .unwrap_or(at);
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM tickets WHERE status IN ('new', 'open', 'pending', 'on_hold', 'solved') AND updated_at <= $1 \
             ORDER BY updated_at LIMIT $2",
        )
        .bind(to_micros(cutoff))
        .bind(AUTOMATION_BATCH)
        .fetch_all(db.reader())
        .await?;
        for id in ids {
            let mut tx = db.begin().await?;
            let mut ticket = tickets::lock_as_system(db, &mut tx, id).await?;
            if !all_hold(&automation.conditions, &rule_facts(&ticket, at)) {
                continue;
            }
            let changes = apply(&automation.actions, &ticket.tags)?;
            let mut log = vec![NewEvent::new(
                "ticket",
                id,
                "automation.fired",
                json!({"automation_id": automation.id, "name": automation.name}),
            )];
            log.extend(
                apply_changes(db, &mut tx, &mut ticket, &changes, Actor::system(), at).await?,
            );
            events::append(&mut tx, Actor::system(), at, &log).await?;
            crate::sla::schedule_alerts(db, &mut tx, &ticket).await?;
            tx.commit().await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Applies what rules decided (`Changes`) to a locked ticket inside `tx`: validates each change,
/// writes messages, saves the ticket, and returns the events to log. A change that the ticket
/// cannot take (an illegal status step, an assignee outside the team) is skipped and logged as
/// `rule.skipped`, so one bad rule does not undo the request that triggered it.
pub async fn apply_changes(
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
        let sent = ferrodesk_store::notifications::notify(
            tx,
            ferrodesk_store::notifications::Audience::TicketOwners,
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
pub fn rule_facts(ticket: &Ticket, now: Timestamp) -> ferrodesk_core::rules::RuleFacts<'_> {
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

/// Automations act on time; one pass over them runs this often.
const AUTOMATIONS_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);
pub const AUTOMATIONS_JOB: &str = "automations.run";

async fn automations_job(db: &Db) -> Result<(), StoreError> {
    let changed = run_automations(db).await?;
    if changed > 0 {
        tracing::info!(changed, "automations applied");
    }
    Ok(())
}

pub fn register(jobs: &mut ferrodesk_store::jobs::JobHandlers) {
    jobs.every(AUTOMATIONS_JOB, AUTOMATIONS_EVERY, |db, _| {
        Box::pin(automations_job(db))
    });
}
