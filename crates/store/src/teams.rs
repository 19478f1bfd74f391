//! Teams: groups of agents working one support line (tier 1, 2 or 3).

use std::collections::HashMap;

use ferrodesk_core::{Tier, text};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::on_unique;
use crate::events::{self, Actor, NewEvent};
use crate::sql::Sql;
use crate::{Db, Page, PageRequest, StoreError, Tx, from_micros, now, to_micros};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub tier: Tier,
    pub member_ids: Vec<i64>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub name: String,
    pub tier: Tier,
    #[serde(default)]
    pub member_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    pub name: Option<String>,
    pub tier: Option<Tier>,
    /// Replaces the team's members.
    pub member_ids: Option<Vec<i64>>,
}

const COLUMNS: &str = "id, name, tier, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Team, StoreError> {
    Ok(Team {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        tier: Tier::new(row.try_get("tier")?)?,
        member_ids: Vec::new(),
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

async fn load_members(db: &Db, teams: &mut [Team]) -> Result<(), StoreError> {
    if teams.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("SELECT team_id, agent_id FROM team_members WHERE team_id IN ");
    sql.bind_list(teams.iter().map(|t| t.id));
    sql.push(" ORDER BY agent_id");
    let (text, args) = sql.into_parts();
    let rows: Vec<(i64, i64)> = sqlx::query_as_with(&text, args)
        .fetch_all(db.reader())
        .await?;
    let mut by_team: HashMap<i64, Vec<i64>> = HashMap::new();
    for (team, agent) in rows {
        by_team.entry(team).or_default().push(agent);
    }
    for t in teams {
        t.member_ids = by_team.remove(&t.id).unwrap_or_default();
    }
    Ok(())
}

async fn check_agents(tx: &mut Tx, ids: &[i64]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("SELECT id FROM agents WHERE id IN ");
    sql.bind_list(ids.iter().copied());
    let (text, args) = sql.into_parts();
    let found: Vec<i64> = sqlx::query_scalar_with(&text, args)
        .fetch_all(&mut **tx)
        .await?;
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !found.contains(id))
        .map(|id| id.to_string())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::unprocessable(
            "agent_not_found",
            format!("member_ids: no agent has id {}", missing.join(", ")),
        ))
    }
}

async fn set_members(tx: &mut Tx, team_id: i64, member_ids: &[i64]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM team_members WHERE team_id = $1")
        .bind(team_id)
        .execute(&mut **tx)
        .await?;
    if member_ids.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("INSERT INTO team_members (team_id, agent_id) VALUES ");
    for (i, agent) in member_ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(team_id)
            .push(", ")
            .bind(*agent)
            .push(")");
    }
    let (text, args) = sql.into_parts();
    sqlx::query_with(&text, args).execute(&mut **tx).await?;
    Ok(())
}

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

pub async fn create(db: &Db, actor: Actor, new: NewTeam) -> Result<Team, StoreError> {
    let name = text::required("name", &new.name, text::MAX_NAME_CHARS)?;
    let members = dedup(&new.member_ids);
    let at = now();
    let mut tx = db.begin().await?;
    check_agents(&mut tx, &members).await?;
    let row = sqlx::query(&format!("INSERT INTO teams (name, tier, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING {COLUMNS}"))
        .bind(&name)
        .bind(new.tier.get())
        .bind(to_micros(at))
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("team_exists", || format!("a team named {name:?} already exists")))?;
    let mut team = from_row(&row)?;
    set_members(&mut tx, team.id, &members).await?;
    team.member_ids = members;
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "team",
            team.id,
            "team.created",
            json!({"name": team.name, "tier": team.tier, "member_ids": team.member_ids}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(team)
}

pub async fn get(db: &Db, id: i64) -> Result<Team, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM teams WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::not_found("team", id))?;
    let mut teams = [from_row(&row)?];
    load_members(db, &mut teams).await?;
    let [team] = teams;
    Ok(team)
}

pub async fn list(db: &Db, page: PageRequest) -> Result<Page<Team>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM teams WHERE id < $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(page.cursor_id.unwrap_or(i64::MAX))
    .bind(page.limit + 1)
    .fetch_all(db.reader())
    .await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let mut page = page.finish(items, |t| t.id);
    load_members(db, &mut page.items).await?;
    Ok(page)
}

pub async fn update(db: &Db, actor: Actor, id: i64, patch: TeamPatch) -> Result<Team, StoreError> {
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM teams WHERE id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::not_found("team", id))?;
    let mut old = from_row(&row)?;
    old.member_ids = sqlx::query_scalar(
        "SELECT agent_id FROM team_members WHERE team_id = $1 ORDER BY agent_id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let mut new = old.clone();
    if let Some(name) = &patch.name {
        new.name = text::required("name", name, text::MAX_NAME_CHARS)?;
    }
    if let Some(tier) = patch.tier {
        new.tier = tier;
    }
    if let Some(members) = &patch.member_ids {
        let members = dedup(members);
        check_agents(&mut tx, &members).await?;
        new.member_ids = members;
    }
    let mut changes = Vec::new();
    let mut diff = |field: &str, a: serde_json::Value, b: serde_json::Value| {
        if a != b {
            changes.push(NewEvent::field_change(
                "team",
                id,
                "team.updated",
                field,
                a,
                b,
            ));
        }
    };
    diff("name", json!(old.name), json!(new.name));
    diff("tier", json!(old.tier), json!(new.tier));
    diff("member_ids", json!(old.member_ids), json!(new.member_ids));
    if changes.is_empty() {
        return Ok(old);
    }
    let at = now();
    new.updated_at = at;
    sqlx::query("UPDATE teams SET name = $1, tier = $2, updated_at = $3 WHERE id = $4")
        .bind(&new.name)
        .bind(new.tier.get())
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("team_exists", || {
            format!("a team named {:?} already exists", new.name)
        }))?;
    if new.member_ids != old.member_ids {
        set_members(&mut tx, id, &new.member_ids).await?;
    }
    events::append(&mut tx, actor, at, &changes).await?;
    tx.commit().await?;
    Ok(new)
}

/// Deletes a team that no ticket belongs to.
pub async fn delete(db: &Db, actor: Actor, id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let used: Option<i64> = sqlx::query_scalar("SELECT id FROM tickets WHERE team_id = $1 LIMIT 1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    if used.is_some() {
        return Err(StoreError::conflict(
            "team_has_tickets",
            format!("team {id} still has tickets; move them to another team first"),
        ));
    }
    sqlx::query("DELETE FROM team_members WHERE team_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM teams WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("team", id));
    }
    events::append(
        &mut tx,
        actor,
        now(),
        &[NewEvent::new("team", id, "team.deleted", json!({}))],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
