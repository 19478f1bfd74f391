//! Finding the agent for a ticket by its team's assignment strategy (the choice itself is
//! `ferrodesk_core::routing::choose`).

use std::collections::HashMap;

use ferrodesk_core::Priority;
use ferrodesk_core::routing::{Assignment, Candidate, OpenLoad, choose};
use jiff::Timestamp;
use sqlx::Row;

use ferrodesk_store::sql::Sql;
use ferrodesk_store::{Db, StoreError, Tx, from_micros, to_micros};

/// The agent the team's strategy picks for a ticket (recording when they were picked), or
/// `None` for manual teams or when no member can take it. On PostgreSQL the team row is locked
/// so concurrent tickets of one team are handed out in turn.
pub async fn pick_assignee(
    db: &Db,
    tx: &mut Tx,
    team_id: i64,
    category: Option<&str>,
    at: Timestamp,
) -> Result<Option<(i64, Assignment)>, StoreError> {
    let strategy: Option<String> = sqlx::query_scalar(&format!(
        "SELECT assignment FROM teams WHERE id = $1{}",
        db.for_update()
    ))
    .bind(team_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(strategy) = strategy else {
        return Ok(None);
    };
    let strategy: Assignment = strategy.parse()?;
    if strategy == Assignment::Manual {
        return Ok(None);
    }
    let rows = sqlx::query(
        "SELECT a.id, a.availability, a.capacity, a.skills, a.last_assigned_at FROM team_members m \
         JOIN agents a ON a.id = m.agent_id WHERE m.team_id = $1 AND a.deactivated_at IS NULL",
    )
    .bind(team_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut candidates = Vec::with_capacity(rows.len());
    for row in &rows {
        candidates.push(Candidate {
            agent_id: row.try_get("id")?,
            availability: row.try_get::<String, _>("availability")?.parse()?,
            capacity: row
                .try_get::<Option<i64>, _>("capacity")?
                .map(|c| c.clamp(0, i64::from(u32::MAX)) as u32),
            open: OpenLoad::default(),
            skills: serde_json::from_str(&row.try_get::<String, _>("skills")?).unwrap_or_default(),
            last_assigned_at: row
                .try_get::<Option<i64>, _>("last_assigned_at")?
                .map(from_micros),
        });
    }
    if candidates.is_empty() {
        return Ok(None);
    }
    // Counting each candidate's open tickets reads every one of them: only when the choice
    // depends on it (load-based strategies, or a capacity to respect).
    let needs_load =
        strategy != Assignment::RoundRobin || candidates.iter().any(|c| c.capacity.is_some());
    if needs_load {
        count_open(tx, &mut candidates).await?;
    }
    let Some(agent) = choose(strategy, &candidates, category) else {
        return Ok(None);
    };
    sqlx::query("UPDATE agents SET last_assigned_at = $1 WHERE id = $2")
        .bind(to_micros(at))
        .bind(agent)
        .execute(&mut **tx)
        .await?;
    Ok(Some((agent, strategy)))
}

/// Fills each candidate's open tickets by priority, with one query.
async fn count_open(tx: &mut Tx, candidates: &mut [Candidate]) -> Result<(), StoreError> {
    let mut sql = Sql::new(
        "SELECT assignee_id, priority, COUNT(*) FROM tickets WHERE status IN ('new', 'open', 'pending', 'on_hold') \
         AND assignee_id IN ",
    );
    sql.bind_list(candidates.iter().map(|c| c.agent_id));
    sql.push(" GROUP BY assignee_id, priority");
    let (text, args) = sql.into_parts();
    let loads: Vec<(i64, String, i64)> = sqlx::query_as_with(&text, args)
        .fetch_all(&mut **tx)
        .await?;
    let mut by_agent: HashMap<i64, OpenLoad> = HashMap::new();
    for (agent, priority, n) in loads {
        let priority: Priority = priority.parse()?;
        by_agent
            .entry(agent)
            .or_default()
            .add(priority, n.clamp(0, i64::from(u32::MAX)) as u32);
    }
    for c in candidates.iter_mut() {
        c.open = by_agent.remove(&c.agent_id).unwrap_or_default();
    }
    Ok(())
}
