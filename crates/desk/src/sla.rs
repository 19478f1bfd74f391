//! SLA policies and calendars (admin-managed), and running each ticket's clocks as it changes.
//! The clock rules live in `ferrodesk_core::sla`; this module loads policies, keeps the
//! deadlines on the ticket row, and logs what the clocks did.

use std::collections::HashMap;
use std::sync::Arc;

use ferrodesk_core::calendar::Calendar;
use ferrodesk_core::sla::{
    BreachActions, ClockEvent, ClockHistory, FiredAlerts, SlaClock, SlaConditions, SlaTargets,
    TicketChange, TicketFacts, next_alert_at, rebuild, select_policy,
};
use ferrodesk_core::{Status, text};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use ferrodesk_store::error::on_unique;
use ferrodesk_store::events::{self, Actor, FieldChanges, NewEvent};
use ferrodesk_store::patch::double_option;
use ferrodesk_store::tickets::Ticket;
use ferrodesk_store::{Db, StoreError, Tx, from_micros, now, to_micros};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SlaPolicy {
    pub id: i64,
    pub name: String,
    /// Policies are tried in ascending position; the first that matches applies.
    pub position: i64,
    pub conditions: SlaConditions,
    #[serde(flatten)]
    pub targets: SlaTargets,
    /// `null`: the clock runs around the clock.
    pub calendar_id: Option<i64>,
    /// Statuses in which the clocks pause.
    pub pause_statuses: Vec<Status>,
    /// Minutes of business time before a deadline when an `sla.warning` is logged.
    pub warn_before_min: Option<u32>,
    pub breach_actions: BreachActions,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSlaPolicy {
    pub name: String,
    pub position: i64,
    #[serde(default)]
    pub conditions: SlaConditions,
    #[schema(maximum = 525600)]
    pub first_response_min: Option<u32>,
    #[schema(maximum = 525600)]
    pub next_response_min: Option<u32>,
    #[schema(maximum = 525600)]
    pub resolution_min: Option<u32>,
    pub calendar_id: Option<i64>,
    /// Default: `["pending", "on_hold"]`.
    pub pause_statuses: Option<Vec<Status>>,
    #[schema(maximum = 525600)]
    pub warn_before_min: Option<u32>,
    #[serde(default)]
    pub breach_actions: BreachActions,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicyPatch {
    pub name: Option<String>,
    pub position: Option<i64>,
    pub conditions: Option<SlaConditions>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<u32>, maximum = 525600)]
    pub first_response_min: Option<Option<u32>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<u32>, maximum = 525600)]
    pub next_response_min: Option<Option<u32>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<u32>, maximum = 525600)]
    pub resolution_min: Option<Option<u32>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub calendar_id: Option<Option<i64>>,
    pub pause_statuses: Option<Vec<Status>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<u32>, maximum = 525600)]
    pub warn_before_min: Option<Option<u32>>,
    pub breach_actions: Option<BreachActions>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CalendarRecord {
    pub id: i64,
    pub name: String,
    /// `{"tz", "hours": {"mon": [["09:00","17:00"]], …}, "holidays": [...], "working_days": [...]}`
    #[schema(value_type = Object)]
    pub definition: Calendar,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarInput {
    pub name: String,
    #[schema(value_type = Object)]
    pub definition: Calendar,
}

/// Every policy in order and the calendars they use, as one consistent snapshot.
#[derive(Debug)]
pub struct PolicySet {
    policies: Vec<SlaPolicy>,
    calendars: HashMap<i64, Calendar>,
    around_the_clock: Calendar,
}

fn around_the_clock() -> Calendar {
    let day = json!([["00:00", "24:00"]]);
    serde_json::from_value(json!({
        "tz": "UTC",
        "hours": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": day, "sun": day},
        "holidays": []
    }))
    .expect("the around-the-clock calendar is valid")
}

const POLICY_COLUMNS: &str = "id, name, position, conditions, first_response_min, next_response_min, resolution_min, \
    calendar_id, pause_statuses, warn_before_min, breach_actions, created_at, updated_at";

fn invalid_json(what: &str, e: serde_json::Error) -> StoreError {
    StoreError::Schema(format!("stored {what} is not valid: {e}"))
}

fn minutes(row: &AnyRow, col: &str) -> Result<Option<u32>, StoreError> {
    Ok(row
        .try_get::<Option<i64>, _>(col)?
        .map(|m| m.clamp(0, i64::from(u32::MAX)) as u32))
}

fn policy_from_row(row: &AnyRow) -> Result<SlaPolicy, StoreError> {
    let conditions: String = row.try_get("conditions")?;
    let pause: String = row.try_get("pause_statuses")?;
    Ok(SlaPolicy {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        conditions: serde_json::from_str(&conditions)
            .map_err(|e| invalid_json("policy conditions", e))?,
        targets: SlaTargets {
            first_response_min: minutes(row, "first_response_min")?,
            next_response_min: minutes(row, "next_response_min")?,
            resolution_min: minutes(row, "resolution_min")?,
        },
        calendar_id: row.try_get("calendar_id")?,
        pause_statuses: serde_json::from_str(&pause)
            .map_err(|e| invalid_json("pause statuses", e))?,
        warn_before_min: minutes(row, "warn_before_min")?,
        breach_actions: serde_json::from_str(&row.try_get::<String, _>("breach_actions")?)
            .map_err(|e| invalid_json("breach actions", e))?,
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

fn calendar_from_row(row: &AnyRow) -> Result<CalendarRecord, StoreError> {
    let definition: String = row.try_get("definition")?;
    Ok(CalendarRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        definition: serde_json::from_str(&definition).map_err(|e| invalid_json("calendar", e))?,
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

pub async fn list_policies(db: &Db) -> Result<Vec<SlaPolicy>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {POLICY_COLUMNS} FROM sla_policies ORDER BY position, id"
    ))
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(policy_from_row).collect()
}

pub async fn list_calendars(db: &Db) -> Result<Vec<CalendarRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, definition, created_at, updated_at FROM calendars ORDER BY id",
    )
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(calendar_from_row).collect()
}

/// The current policy set, from the cache or the database.
pub async fn policy_set(db: &Db) -> Result<Arc<PolicySet>, StoreError> {
    if let Some(set) = db.snapshots().get::<PolicySet>() {
        return Ok(set);
    }
    let policies = list_policies(db).await?;
    let calendars = list_calendars(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.definition))
        .collect();
    let set = Arc::new(PolicySet {
        policies,
        calendars,
        around_the_clock: around_the_clock(),
    });
    db.snapshots().put(set.clone());
    Ok(set)
}

impl PolicySet {
    pub fn by_id(&self, id: i64) -> Option<&SlaPolicy> {
        self.policies.iter().find(|p| p.id == id)
    }

    fn calendar(&self, policy: &SlaPolicy) -> &Calendar {
        policy
            .calendar_id
            .and_then(|id| self.calendars.get(&id))
            .unwrap_or(&self.around_the_clock)
    }
}

pub fn clock_of(t: &Ticket) -> SlaClock {
    SlaClock {
        first_response_due: t.first_response_due_at,
        next_response_due: t.next_response_due_at,
        resolution_due: t.resolution_due_at,
        paused_since: t.sla_paused_since,
        paused_total: jiff::SignedDuration::from_secs(t.sla_paused_secs),
    }
}

fn set_clock(t: &mut Ticket, c: &SlaClock) {
    t.first_response_due_at = c.first_response_due;
    t.next_response_due_at = c.next_response_due;
    t.resolution_due_at = c.resolution_due;
    t.sla_paused_since = c.paused_since;
    t.sla_paused_secs = c.paused_total.as_secs();
}

fn log(ticket_id: i64, policy_id: i64, events: Vec<ClockEvent>) -> Vec<NewEvent> {
    events
        .into_iter()
        .map(|e| {
            let kind = match e {
                ClockEvent::Started { .. } => "sla.started",
                ClockEvent::Paused { .. } => "sla.paused",
                ClockEvent::Resumed { .. } => "sla.resumed",
                // `breached` in the data says whether it came late; `sla.breached` is reserved
                // for the moment a deadline passes (logged once, by the alert job).
                ClockEvent::Fulfilled { .. } => "sla.fulfilled",
                ClockEvent::Stopped { .. } => "sla.stopped",
            };
            let mut data = serde_json::to_value(&e).unwrap_or_default();
            data["policy_id"] = json!(policy_id);
            NewEvent::new("ticket", ticket_id, kind, data)
        })
        .collect()
}

/// The clocks a new ticket starts with, before it has an id.
pub struct StartedClock {
    pub policy_id: i64,
    pub clock: SlaClock,
    events: Vec<ClockEvent>,
}

impl StartedClock {
    /// The events to log once the ticket has its id.
    pub fn events(self, ticket_id: i64) -> Vec<NewEvent> {
        log(ticket_id, self.policy_id, self.events)
    }
}

/// Picks the policy for a new ticket and starts its clocks at `at`.
pub async fn start(
    db: &Db,
    facts: &TicketFacts<'_>,
    at: Timestamp,
) -> Result<Option<StartedClock>, StoreError> {
    let set = policy_set(db).await?;
    let Some(policy) = select_policy(&set.policies, facts, |p| &p.conditions) else {
        return Ok(None);
    };
    let (clock, events) = SlaClock::start(set.calendar(policy), &policy.targets, at)
        .map_err(|e| StoreError::Schema(format!("SLA policy {:?}: {e}", policy.name)))?;
    Ok(Some(StartedClock {
        policy_id: policy.id,
        clock,
        events,
    }))
}

/// Moves the ticket's clocks for `change`; returns the events to log.
pub async fn react(
    db: &Db,
    ticket: &mut Ticket,
    change: TicketChange,
) -> Result<Vec<NewEvent>, StoreError> {
    let Some(policy_id) = ticket.sla_policy_id else {
        return Ok(Vec::new());
    };
    let set = policy_set(db).await?;
    let Some(policy) = set.by_id(policy_id) else {
        return Ok(Vec::new());
    };
    let mut clock = clock_of(ticket);
    let events = clock
        .apply(
            set.calendar(policy),
            &policy.targets,
            &policy.pause_statuses,
            change,
        )
        .map_err(|e| StoreError::Schema(format!("SLA policy {:?}: {e}", policy.name)))?;
    set_clock(ticket, &clock);
    Ok(log(ticket.id, policy.id, events))
}

/// The longest target or warning a policy takes, in minutes: a year.
pub const MAX_POLICY_MINUTES: u32 = 525_600;

fn check_policy(
    name: &str,
    targets: &SlaTargets,
    warn_before_min: Option<u32>,
) -> Result<String, StoreError> {
    let name = text::required("name", name, text::MAX_NAME_CHARS)?;
    for (field, v) in [
        ("first_response_min", targets.first_response_min),
        ("next_response_min", targets.next_response_min),
        ("resolution_min", targets.resolution_min),
        ("warn_before_min", warn_before_min),
    ] {
        if v.is_some_and(|m| m > MAX_POLICY_MINUTES) {
            return Err(StoreError::invalid(
                field,
                "must be at most 525600 minutes (a year)",
            ));
        }
    }
    Ok(name)
}

async fn check_calendar(tx: &mut Tx, id: Option<i64>) -> Result<(), StoreError> {
    ferrodesk_store::sql::require_row(
        tx,
        "calendars",
        id,
        "calendar_not_found",
        "calendar_id",
        "calendar",
    )
    .await
}

pub async fn create_policy(
    db: &Db,
    actor: Actor,
    new: NewSlaPolicy,
) -> Result<SlaPolicy, StoreError> {
    let targets = SlaTargets {
        first_response_min: new.first_response_min,
        next_response_min: new.next_response_min,
        resolution_min: new.resolution_min,
    };
    let name = check_policy(&new.name, &targets, new.warn_before_min)?;
    let pause = new
        .pause_statuses
        .unwrap_or_else(|| vec![Status::Pending, Status::OnHold]);
    let at = now();
    let mut tx = db.begin().await?;
    check_calendar(&mut tx, new.calendar_id).await?;
    let row = sqlx::query(&format!(
        "INSERT INTO sla_policies (name, position, conditions, first_response_min, next_response_min, resolution_min, calendar_id, \
         pause_statuses, warn_before_min, breach_actions, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $9, $9) RETURNING {POLICY_COLUMNS}"
    ))
    .bind(&name)
    .bind(new.position)
    .bind(json!(new.conditions).to_string())
    .bind(targets.first_response_min.map(i64::from))
    .bind(targets.next_response_min.map(i64::from))
    .bind(targets.resolution_min.map(i64::from))
    .bind(new.calendar_id)
    .bind(json!(pause).to_string())
    .bind(to_micros(at))
    .bind(new.warn_before_min.map(i64::from))
    .bind(json!(new.breach_actions).to_string())
    .fetch_one(&mut *tx)
    .await
    .map_err(on_unique("sla_policy_exists", || format!("an SLA policy named {name:?} already exists")))?;
    let policy = policy_from_row(&row)?;
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "sla_policy",
            policy.id,
            "sla_policy.created",
            json!(policy),
        )],
    )
    .await?;
    tx.commit().await?;
    db.snapshots().clear::<PolicySet>();
    Ok(policy)
}

pub async fn update_policy(
    db: &Db,
    actor: Actor,
    id: i64,
    patch: SlaPolicyPatch,
) -> Result<SlaPolicy, StoreError> {
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "SELECT {POLICY_COLUMNS} FROM sla_policies WHERE id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::not_found("sla_policy", id))?;
    let old = policy_from_row(&row)?;
    let mut new = old.clone();
    if let Some(v) = &patch.name {
        new.name = v.clone();
    }
    if let Some(v) = patch.position {
        new.position = v;
    }
    if let Some(v) = &patch.conditions {
        new.conditions = v.clone();
    }
    if let Some(v) = patch.first_response_min {
        new.targets.first_response_min = v;
    }
    if let Some(v) = patch.next_response_min {
        new.targets.next_response_min = v;
    }
    if let Some(v) = patch.resolution_min {
        new.targets.resolution_min = v;
    }
    if let Some(v) = patch.calendar_id {
        check_calendar(&mut tx, v).await?;
        new.calendar_id = v;
    }
    if let Some(v) = &patch.pause_statuses {
        new.pause_statuses = v.clone();
    }
    if let Some(v) = patch.warn_before_min {
        new.warn_before_min = v;
    }
    if let Some(v) = patch.breach_actions {
        new.breach_actions = v;
    }
    new.name = check_policy(&new.name, &new.targets, new.warn_before_min)?;
    let mut changes = FieldChanges::new("sla_policy", id, "sla_policy.updated");
    changes
        .field("name", &old.name, &new.name)
        .field("position", &old.position, &new.position)
        .field("conditions", &old.conditions, &new.conditions)
        .field("targets", &old.targets, &new.targets)
        .field("calendar_id", &old.calendar_id, &new.calendar_id)
        .field("pause_statuses", &old.pause_statuses, &new.pause_statuses)
        .field(
            "warn_before_min",
            &old.warn_before_min,
            &new.warn_before_min,
        )
        .field("breach_actions", &old.breach_actions, &new.breach_actions);
    if changes.is_empty() {
        return Ok(old);
    }
    let at = now();
    new.updated_at = at;
    sqlx::query(
        "UPDATE sla_policies SET name = $1, position = $2, conditions = $3, first_response_min = $4, next_response_min = $5, \
         resolution_min = $6, calendar_id = $7, pause_statuses = $8, updated_at = $9, warn_before_min = $11, \
         breach_actions = $12 WHERE id = $10",
    )
    .bind(&new.name)
    .bind(new.position)
    .bind(json!(new.conditions).to_string())
    .bind(new.targets.first_response_min.map(i64::from))
    .bind(new.targets.next_response_min.map(i64::from))
    .bind(new.targets.resolution_min.map(i64::from))
    .bind(new.calendar_id)
    .bind(json!(new.pause_statuses).to_string())
    .bind(to_micros(at))
    .bind(id)
    .bind(new.warn_before_min.map(i64::from))
    .bind(json!(new.breach_actions).to_string())
    .execute(&mut *tx)
    .await
    .map_err(on_unique("sla_policy_exists", || format!("an SLA policy named {:?} already exists", new.name)))?;
    events::append(&mut tx, actor, at, changes.events()).await?;
    // Its open tickets follow the new rules (conditions may now send them to another policy).
    schedule_recompute(&mut tx, RecomputeScope::Policy(id)).await?;
    tx.commit().await?;
    db.snapshots().clear::<PolicySet>();
    db.jobs_scheduled().notify_one();
    Ok(new)
}

/// Removes a policy; the open tickets it governed are matched again (another policy may take
/// them) in the background.
pub async fn delete_policy(db: &Db, actor: Actor, id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE tickets SET sla_policy_id = NULL WHERE sla_policy_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM sla_policies WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("sla_policy", id));
    }
    events::append(
        &mut tx,
        actor,
        now(),
        &[NewEvent::new(
            "sla_policy",
            id,
            "sla_policy.deleted",
            json!({}),
        )],
    )
    .await?;
    schedule_recompute(&mut tx, RecomputeScope::WithoutPolicy).await?;
    tx.commit().await?;
    db.jobs_scheduled().notify_one();
    db.snapshots().clear::<PolicySet>();
    Ok(())
}

pub async fn create_calendar(
    db: &Db,
    actor: Actor,
    input: CalendarInput,
) -> Result<CalendarRecord, StoreError> {
    let name = text::required("name", &input.name, text::MAX_NAME_CHARS)?;
    let at = now();
    let mut tx = db.begin().await?;
    let row = sqlx::query(
        "INSERT INTO calendars (name, definition, created_at, updated_at) VALUES ($1, $2, $3, $3) \
         RETURNING id, name, definition, created_at, updated_at",
    )
    .bind(&name)
    .bind(json!(input.definition).to_string())
    .bind(to_micros(at))
    .fetch_one(&mut *tx)
    .await
    .map_err(on_unique("calendar_exists", || {
        format!("a calendar named {name:?} already exists")
    }))?;
    let calendar = calendar_from_row(&row)?;
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "calendar",
            calendar.id,
            "calendar.created",
            json!({"name": name}),
        )],
    )
    .await?;
    tx.commit().await?;
    db.snapshots().clear::<PolicySet>();
    Ok(calendar)
}

/// A change to a calendar: fields left out stay as they are.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarPatch {
    pub name: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub definition: Option<Calendar>,
}

/// Renames a calendar or changes its hours; the open tickets of the policies that use it get
/// their deadlines recomputed in the background.
pub async fn update_calendar(
    db: &Db,
    actor: Actor,
    id: i64,
    patch: CalendarPatch,
) -> Result<CalendarRecord, StoreError> {
    let old = get_calendar(db, id).await?;
    let mut new = old.clone();
    if let Some(name) = &patch.name {
        new.name = text::required("name", name, text::MAX_NAME_CHARS)?;
    }
    if let Some(definition) = patch.definition {
        new.definition = definition;
    }
    let mut changes = FieldChanges::new("calendar", id, "calendar.updated");
    changes.field("name", &old.name, &new.name).field(
        "definition",
        &old.definition,
        &new.definition,
    );
    if changes.is_empty() {
        return Ok(old);
    }
    let at = now();
    new.updated_at = at;
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE calendars SET name = $1, definition = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(&new.name)
    .bind(json!(new.definition).to_string())
    .bind(to_micros(at))
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(on_unique("calendar_exists", || {
        format!("a calendar named {:?} already exists", new.name)
    }))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("calendar", id));
    }
    events::append(&mut tx, actor, at, changes.events()).await?;
    let policies: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM sla_policies WHERE calendar_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    for policy in &policies {
        schedule_recompute(&mut tx, RecomputeScope::Policy(*policy)).await?;
    }
    tx.commit().await?;
    db.snapshots().clear::<PolicySet>();
    if !policies.is_empty() {
        db.jobs_scheduled().notify_one();
    }
    Ok(new)
}

/// Removes a calendar no SLA policy uses; one in use answers 409 `calendar_in_use` naming
/// the policies.
pub async fn delete_calendar(db: &Db, actor: Actor, id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let users: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT name FROM sla_policies WHERE calendar_id = $1 ORDER BY position, id{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    if !users.is_empty() {
        return Err(StoreError::conflict(
            "calendar_in_use",
            format!(
                "calendar {id} is used by the SLA policies {}; give them another calendar first",
                users
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let done = sqlx::query("DELETE FROM calendars WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("calendar", id));
    }
    events::append(
        &mut tx,
        actor,
        now(),
        &[NewEvent::new("calendar", id, "calendar.deleted", json!({}))],
    )
    .await?;
    tx.commit().await?;
    db.snapshots().clear::<PolicySet>();
    Ok(())
}

pub async fn get_calendar(db: &Db, id: i64) -> Result<CalendarRecord, StoreError> {
    let row = sqlx::query(
        "SELECT id, name, definition, created_at, updated_at FROM calendars WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StoreError::not_found("calendar", id))?;
    calendar_from_row(&row)
}

/// The job kind that logs warnings and breaches and runs breach actions.
pub const ALERTS_JOB: &str = "sla.alerts";

pub fn alerts_key(ticket_id: i64) -> String {
    format!("sla:{ticket_id}")
}

pub fn warn_before(policy: &SlaPolicy) -> Option<jiff::SignedDuration> {
    policy
        .warn_before_min
        .map(|m| jiff::SignedDuration::from_mins(i64::from(m)))
}

/// Schedules the ticket's alert job at its next warning or deadline. Alerts that already fired
/// are skipped when the job runs, so this needs no read of what fired.
pub async fn schedule_alerts(db: &Db, tx: &mut Tx, ticket: &Ticket) -> Result<bool, StoreError> {
    let Some(policy_id) = ticket.sla_policy_id else {
        return Ok(false);
    };
    let set = policy_set(db).await?;
    let Some(policy) = set.by_id(policy_id) else {
        return Ok(false);
    };
    let Some(at) = next_alert_at(
        &clock_of(ticket),
        warn_before(policy),
        &FiredAlerts::default(),
    ) else {
        return Ok(false);
    };
    ferrodesk_store::jobs::schedule(
        tx,
        ALERTS_JOB,
        &alerts_key(ticket.id),
        &json!({"ticket_id": ticket.id}),
        at,
    )
    .await?;
    Ok(true)
}

/// Which open tickets a recomputation covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecomputeScope {
    /// Those the policy governs now.
    Policy(i64),
    /// Those no policy governs (after a removal: another may match them now).
    WithoutPolicy,
    /// Every open ticket.
    All,
}

pub const RECOMPUTE_JOB: &str = "sla.recompute";
const RECOMPUTE_BATCH: i64 = 1000;

/// Schedules a recomputation to run now in the job worker (policy changes answer at once and
/// the tickets follow in the background).
async fn schedule_recompute(tx: &mut Tx, scope: RecomputeScope) -> Result<(), StoreError> {
    let (key, payload) = match scope {
        RecomputeScope::Policy(id) => (format!("sla.recompute:{id}"), json!({"policy_id": id})),
        RecomputeScope::WithoutPolicy => (
            "sla.recompute:none".to_string(),
            json!({"without_policy": true}),
        ),
        RecomputeScope::All => ("sla.recompute:all".to_string(), json!({})),
    };
    ferrodesk_store::jobs::schedule(tx, RECOMPUTE_JOB, &key, &payload, now()).await
}

/// The job that runs a scheduled recomputation.
pub async fn run_recompute_job(
    db: &Db,
    job: &ferrodesk_store::jobs::Job,
) -> Result<(), StoreError> {
    let scope = match (
        job.payload["policy_id"].as_i64(),
        job.payload["without_policy"].as_bool(),
    ) {
        (Some(id), _) => RecomputeScope::Policy(id),
        (None, Some(true)) => RecomputeScope::WithoutPolicy,
        _ => RecomputeScope::All,
    };
    let changed = recompute(db, scope, |_| {}).await?;
    tracing::info!(?scope, changed, "SLA deadlines recomputed");
    let mut tx = db.begin().await?;
    if ferrodesk_store::jobs::finish(&mut tx, job).await? {
        tx.commit().await?;
    }
    Ok(())
}

/// Re-selects the policy of each open ticket in `scope` and rebuilds its deadlines from its
/// history (creation, first response, the customer's unanswered message, time paused), in
/// batches of one transaction each; `progress` hears each batch's size. Returns how many
/// tickets changed.
pub async fn recompute(
    db: &Db,
    scope: RecomputeScope,
    progress: impl Fn(u64),
) -> Result<u64, StoreError> {
    db.snapshots().clear::<PolicySet>();
    let set = policy_set(db).await?;
    let mut after = 0i64;
    let mut changed = 0u64;
    loop {
        let mut sql = ferrodesk_store::sql::Sql::new(format!(
            "SELECT {}, c.organization_id AS customer_organization_id FROM tickets t JOIN customers c ON c.id = t.customer_id \
             WHERE t.status IN ('new', 'open', 'pending', 'on_hold') AND t.id > ",
            ferrodesk_store::tickets::COLUMNS
        ));
        sql.bind(after);
        match scope {
            RecomputeScope::Policy(id) => {
                sql.push(" AND t.sla_policy_id = ").bind(id);
            }
            RecomputeScope::WithoutPolicy => {
                sql.push(" AND t.sla_policy_id IS NULL");
            }
            RecomputeScope::All => {}
        }
        sql.push(" ORDER BY t.id LIMIT ").bind(RECOMPUTE_BATCH);
        let (text, args) = sql.into_parts();
        let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        let mut batch = Vec::with_capacity(rows.len());
        for row in &rows {
            batch.push((
                ferrodesk_store::tickets::from_row(row)?,
                row.try_get::<Option<i64>, _>("customer_organization_id")?,
            ));
        }
        let waiting = waiting_since(db, &batch).await?;
        let mut updates = Vec::new();
        for (ticket, organization_id) in batch.iter() {
            let facts = TicketFacts {
                channel: ticket.channel,
                priority: ticket.priority,
                category: ticket.category.as_deref(),
                organization_id: *organization_id,
                team_id: ticket.team_id,
            };
            let policy = select_policy(&set.policies, &facts, |p| &p.conditions);
            let history = ClockHistory {
                created_at: ticket.created_at,
                status: ticket.status,
                first_response_at: ticket.first_response_at,
                waiting_since: waiting.get(&ticket.id).copied(),
                paused_since: ticket.sla_paused_since,
                paused_total: jiff::SignedDuration::from_secs(ticket.sla_paused_secs),
            };
            let clock = match policy {
                Some(p) => rebuild(set.calendar(p), &p.targets, &history)
                    .map_err(|e| StoreError::Schema(format!("SLA policy {:?}: {e}", p.name)))?,
                None => SlaClock::default(),
            };
            let policy_id = policy.map(|p| p.id);
            if policy_id != ticket.sla_policy_id || clock != clock_of(ticket) {
                let mut updated = ticket.clone();
                updated.sla_policy_id = policy_id;
                set_clock(&mut updated, &clock);
                let next = policy
                    .and_then(|p| next_alert_at(&clock, warn_before(p), &FiredAlerts::default()));
                updates.push((updated, next));
            }
        }
        if !updates.is_empty() {
            write_recomputed(db, &updates).await?;
            changed += updates.len() as u64;
        }
        progress(rows.len() as u64);
    }
    Ok(changed)
}

/// For tickets whose next-response clock runs: when the customer's latest message came.
async fn waiting_since(
    db: &Db,
    batch: &[(Ticket, Option<i64>)],
) -> Result<HashMap<i64, Timestamp>, StoreError> {
    let ids: Vec<i64> = batch
        .iter()
        .filter(|(t, _)| t.next_response_due_at.is_some())
        .map(|(t, _)| t.id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = ferrodesk_store::sql::Sql::new(
        "SELECT ticket_id, MAX(created_at) FROM messages WHERE author_type = 'customer' AND ticket_id IN ",
    );
    sql.bind_list(ids);
    sql.push(" GROUP BY ticket_id");
    let (text, args) = sql.into_parts();
    let rows: Vec<(i64, i64)> = sqlx::query_as_with(&text, args)
        .fetch_all(db.reader())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, at)| (id, from_micros(at)))
        .collect())
}

/// Saves recomputed clocks, logs `sla.recomputed` and moves each ticket's alert job, in one
/// transaction.
async fn write_recomputed(
    db: &Db,
    updates: &[(Ticket, Option<Timestamp>)],
) -> Result<(), StoreError> {
    let at = now();
    let mut tx = db.begin().await?;
    let mut log = Vec::with_capacity(updates.len());
    for (t, next) in updates {
        sqlx::query(
            "UPDATE tickets SET sla_policy_id = $1, first_response_due_at = $2, next_response_due_at = $3, \
             resolution_due_at = $4, sla_paused_since = $5 WHERE id = $6",
        )
        .bind(t.sla_policy_id)
        .bind(t.first_response_due_at.map(to_micros))
        .bind(t.next_response_due_at.map(to_micros))
        .bind(t.resolution_due_at.map(to_micros))
        .bind(t.sla_paused_since.map(to_micros))
        .bind(t.id)
        .execute(&mut *tx)
        .await?;
        log.push(NewEvent::new(
            "ticket",
            t.id,
            "sla.recomputed",
            json!({"policy_id": t.sla_policy_id, "first_response_due_at": t.first_response_due_at,
                   "next_response_due_at": t.next_response_due_at, "resolution_due_at": t.resolution_due_at}),
        ));
        if let Some(next) = next {
            ferrodesk_store::jobs::schedule(
                &mut tx,
                ALERTS_JOB,
                &alerts_key(t.id),
                &json!({"ticket_id": t.id}),
                *next,
            )
            .await?;
        }
    }
    for chunk in log.chunks(400) {
        events::append(&mut tx, Actor::system(), at, chunk).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub fn register(jobs: &mut ferrodesk_store::jobs::JobHandlers) {
    jobs.register(RECOMPUTE_JOB, |db, job| {
        Box::pin(run_recompute_job(db, job))
    });
}
