//! SLA alerts: the job that logs warnings and breaches when they fall due and runs a
//! policy's breach actions (triggers, escalation to the next line, notifying supervisors).

use ferrodesk_core::rules::TriggerEvent;
use ferrodesk_core::sla::{AlertKind, BreachActions, due_alerts, next_alert_at};
use serde_json::json;

use ferrodesk_store::events::{self, Actor, FieldChanges, NewEvent};
use ferrodesk_store::tickets::Ticket;
use ferrodesk_store::{Db, StoreError, Tx, now};

use crate::sla::{ALERTS_JOB, alerts_key, clock_of, policy_set, warn_before};

/// The next team up the support lines from `team_id`'s tier (the lowest id among them).
async fn next_tier_team(tx: &mut Tx, team_id: Option<i64>) -> Result<Option<i64>, StoreError> {
    let tier: i64 = match team_id {
        Some(id) => sqlx::query_scalar("SELECT tier FROM teams WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or(0),
        None => 0,
    };
    Ok(
        sqlx::query_scalar("SELECT id FROM teams WHERE tier = $1 ORDER BY id LIMIT 1")
            .bind(tier + 1)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Runs an alert job: logs the warnings and breaches now due, applies the policy's breach
/// actions, remembers what fired, and schedules the next alert — all in one transaction with
/// the job's completion, so each alert happens once.
pub async fn fire_alerts(db: &Db, job: &ferrodesk_store::jobs::Job) -> Result<(), StoreError> {
    let ticket_id = job.payload["ticket_id"]
        .as_i64()
        .ok_or_else(|| StoreError::Schema(format!("job {} has no ticket_id", job.id)))?;
    let set = policy_set(db).await?;
    let mut tx = db.begin().await?;
    let (mut ticket, mut fired) =
        ferrodesk_store::tickets::lock_for_alerts(db, &mut tx, ticket_id).await?;
    let at = now();
    let mut log = Vec::new();
    if let Some(policy) = ticket.sla_policy_id.and_then(|id| set.by_id(id)) {
        for alert in due_alerts(&clock_of(&ticket), warn_before(policy), &fired, at) {
            fired.record(&alert);
            let kind = match alert.kind {
                AlertKind::Warning => "sla.warning",
                AlertKind::Breach => "sla.breached",
            };
            log.push(NewEvent::new(
                "ticket",
                ticket.id,
                kind,
                json!({"target": alert.target, "due": alert.due, "policy_id": policy.id}),
            ));
            if alert.kind == AlertKind::Breach {
                log.extend(breach_actions(&mut tx, &mut ticket, &policy.breach_actions).await?);
            }
            let event = match alert.kind {
                AlertKind::Warning => TriggerEvent::SlaWarning,
                AlertKind::Breach => TriggerEvent::SlaBreached,
            };
            log.extend(crate::rules::run_triggers(db, &mut tx, &mut ticket, event, at).await?);
        }
    }
    if !ferrodesk_store::jobs::finish(&mut tx, job).await? {
        return Ok(()); // another node took the job over; it will do the work
    }
    if !log.is_empty() {
        ticket.updated_at = at;
        ferrodesk_store::tickets::save_with_alerts(&mut tx, &ticket, &fired).await?;
        events::append(&mut tx, Actor::system(), at, &log).await?;
    }
    if let Some(policy) = ticket.sla_policy_id.and_then(|id| set.by_id(id))
        && let Some(next) = next_alert_at(&clock_of(&ticket), warn_before(policy), &fired)
    {
        ferrodesk_store::jobs::schedule(
            &mut tx,
            ALERTS_JOB,
            &alerts_key(ticket.id),
            &json!({"ticket_id": ticket.id}),
            next,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn breach_actions(
    tx: &mut Tx,
    ticket: &mut Ticket,
    actions: &BreachActions,
) -> Result<Vec<NewEvent>, StoreError> {
    let mut changes = FieldChanges::new("ticket", ticket.id, "ticket.updated");
    if actions.raise_priority {
        let raised = ticket.priority.raised();
        changes.field("priority", &ticket.priority, &raised);
        ticket.priority = raised;
    }
    let mut escalated_to = None;
    if actions.escalate_to_next_tier
        && let Some(team) = next_tier_team(tx, ticket.team_id).await?
    {
        changes.field("team_id", &ticket.team_id, &Some(team));
        if ticket.assignee_id.is_some() {
            changes.field("assignee_id", &ticket.assignee_id, &None::<i64>);
            ticket.assignee_id = None;
        }
        escalated_to = Some(team);
        ticket.team_id = Some(team);
    }
    if actions.notify_supervisor {
        let message = format!(
            "SLA breached on ticket #{}: {}",
            ticket.number, ticket.subject
        );
        ferrodesk_store::notifications::notify(
            tx,
            ferrodesk_store::notifications::Audience::Supervisors,
            ticket,
            "sla.breached",
            &message,
            now(),
        )
        .await?;
    }
    if escalated_to.is_some() || actions.notify_supervisor {
        changes.push(NewEvent::new(
            "ticket",
            ticket.id,
            "sla.escalated",
            json!({"to_team_id": escalated_to, "notify_supervisor": actions.notify_supervisor}),
        ));
    }
    Ok(changes.events().to_vec())
}

pub fn register(jobs: &mut ferrodesk_store::jobs::JobHandlers) {
    jobs.register(crate::sla::ALERTS_JOB, |db, job| {
        Box::pin(fire_alerts(db, job))
    });
}
