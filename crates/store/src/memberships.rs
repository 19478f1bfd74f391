//! Team membership (`team_members`), seen from either side: an agent's teams or a team's agents.

use std::collections::HashMap;

use crate::sql::Sql;
use crate::{Db, StoreError, Tx};

/// Which side of the membership a call is keyed by.
#[derive(Debug, Clone, Copy)]
pub enum Side {
    /// Keyed by agent id; values are team ids.
    Agent,
    /// Keyed by team id; values are agent ids.
    Team,
}

impl Side {
    /// (key column, value column)
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            Side::Agent => ("agent_id", "team_id"),
            Side::Team => ("team_id", "agent_id"),
        }
    }

    /// The table the values point at, for existence checks.
    fn value_table(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Side::Agent => ("teams", "team_not_found", "team_ids: no team has id"),
            Side::Team => ("agents", "agent_not_found", "member_ids: no agent has id"),
        }
    }
}

/// Sorted, without repeats: the stored and returned form of an id set.
pub fn sorted_unique(ids: &[i64]) -> Vec<i64> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// The memberships of every key in `keys`, with one query.
pub async fn load(db: &Db, side: Side, keys: &[i64]) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    if keys.is_empty() {
        return Ok(out);
    }
    let (key, value) = side.columns();
    let mut sql = Sql::new(format!(
        "SELECT {key}, {value} FROM team_members WHERE {key} IN "
    ));
    sql.bind_list(keys.iter().copied());
    sql.push(&format!(" ORDER BY {value}"));
    let (text, args) = sql.into_parts();
    let rows: Vec<(i64, i64)> = sqlx::query_as_with(&text, args)
        .fetch_all(db.reader())
        .await?;
    for (k, v) in rows {
        out.entry(k).or_default().push(v);
    }
    Ok(out)
}

/// The memberships of one key, read inside a write transaction.
pub async fn load_one(tx: &mut Tx, side: Side, key_id: i64) -> Result<Vec<i64>, StoreError> {
    let (key, value) = side.columns();
    Ok(sqlx::query_scalar(&format!(
        "SELECT {value} FROM team_members WHERE {key} = $1 ORDER BY {value}"
    ))
    .bind(key_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// Checks every id in `values` exists on the other side; answers which do not.
pub async fn check_exist(tx: &mut Tx, side: Side, values: &[i64]) -> Result<(), StoreError> {
    if values.is_empty() {
        return Ok(());
    }
    let (table, code, message) = side.value_table();
    let mut sql = Sql::new(format!("SELECT id FROM {table} WHERE id IN "));
    sql.bind_list(values.iter().copied());
    let (text, args) = sql.into_parts();
    let found: Vec<i64> = sqlx::query_scalar_with(&text, args)
        .fetch_all(&mut **tx)
        .await?;
    let missing: Vec<String> = values
        .iter()
        .filter(|id| !found.contains(id))
        .map(|id| id.to_string())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::unprocessable(
            code,
            format!("{message} {}", missing.join(", ")),
        ))
    }
}

/// Replaces the memberships of `key_id` with `values`.
pub async fn replace(
    tx: &mut Tx,
    side: Side,
    key_id: i64,
    values: &[i64],
) -> Result<(), StoreError> {
    let (key, _) = side.columns();
    sqlx::query(&format!("DELETE FROM team_members WHERE {key} = $1"))
        .bind(key_id)
        .execute(&mut **tx)
        .await?;
    if values.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("INSERT INTO team_members (team_id, agent_id) VALUES ");
    for (i, v) in values.iter().enumerate() {
        let (team, agent) = match side {
            Side::Agent => (*v, key_id),
            Side::Team => (key_id, *v),
        };
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(").bind(team).push(", ").bind(agent).push(")");
    }
    let (text, args) = sql.into_parts();
    sqlx::query_with(&text, args).execute(&mut **tx).await?;
    Ok(())
}
