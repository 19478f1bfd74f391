//! Teams: groups of agents working one support line (tier 1, 2 or 3).

use ferrodesk_core::routing::Assignment;
use ferrodesk_core::{Tier, text};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::on_unique;
use crate::events::{self, Actor, FieldChanges, NewEvent};
use crate::memberships::{self, Side, sorted_unique};
use crate::{Db, Page, PageRequest, StoreError, from_micros, now, to_micros};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub tier: Tier,
    pub member_ids: Vec<i64>,
    /// How new tickets of the team find an agent.
    pub assignment: Assignment,
    /// Acknowledgement sent for new email tickets (from mailboxes with `auto_ack` on); the
    /// built-in text where a language has none.
    pub auto_ack: Option<AckTemplates>,
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
    /// Default `manual`.
    pub assignment: Option<Assignment>,
    pub auto_ack: Option<AckTemplates>,
}

/// Acknowledgement texts per language. Placeholders: `{name}` (the customer), `{number}`,
/// `{subject}`, `{team}`.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct AckTemplates {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
}

impl AckTemplates {
    /// Trimmed and checked; `None` when no language has a text.
    fn checked(self) -> Result<Option<Self>, StoreError> {
        let en = text::optional("auto_ack.en", self.en.as_deref(), 5000)?;
        let ru = text::optional("auto_ack.ru", self.ru.as_deref(), 5000)?;
        Ok((en.is_some() || ru.is_some()).then_some(Self { en, ru }))
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    pub name: Option<String>,
    pub tier: Option<Tier>,
    /// Replaces the team's members.
    pub member_ids: Option<Vec<i64>>,
    pub assignment: Option<Assignment>,
    /// `{}` removes the team's templates.
    pub auto_ack: Option<AckTemplates>,
}

const COLUMNS: &str = "id, name, tier, assignment, auto_ack, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Team, StoreError> {
    Ok(Team {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        tier: Tier::new(row.try_get("tier")?)?,
        member_ids: Vec::new(),
        assignment: row.try_get::<String, _>("assignment")?.parse()?,
        auto_ack: row
            .try_get::<Option<String>, _>("auto_ack")?
            .and_then(|t| serde_json::from_str(&t).ok()),
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

/// Fills `member_ids` for a page of teams with one query.
async fn fill_members(db: &Db, teams: &mut [Team]) -> Result<(), StoreError> {
    let ids: Vec<i64> = teams.iter().map(|t| t.id).collect();
    let mut members = memberships::load(db, Side::Team, &ids).await?;
    for t in teams {
        t.member_ids = members.remove(&t.id).unwrap_or_default();
    }
    Ok(())
}

pub async fn create(db: &Db, actor: Actor, new: NewTeam) -> Result<Team, StoreError> {
    let name = text::required("name", &new.name, text::MAX_NAME_CHARS)?;
    let members = sorted_unique(&new.member_ids);
    let auto_ack = match new.auto_ack {
        Some(t) => t.checked()?,
        None => None,
    };
    let at = now();
    let mut tx = db.begin().await?;
    memberships::check_exist(&mut tx, Side::Team, &members).await?;
    let row = sqlx::query(&format!(
        "INSERT INTO teams (name, tier, assignment, auto_ack, created_at, updated_at) VALUES ($1, $2, $4, $5, $3, $3) RETURNING {COLUMNS}"
    ))
        .bind(&name)
        .bind(new.tier.get())
        .bind(to_micros(at))
        .bind(new.assignment.unwrap_or(Assignment::Manual).as_str())
        .bind(auto_ack.as_ref().map(|t| json!(t).to_string()))
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("team_exists", || format!("a team named {name:?} already exists")))?;
    let mut team = from_row(&row)?;
    memberships::replace(&mut tx, Side::Team, team.id, &members).await?;
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
    crate::channels::forget(db);
    Ok(team)
}

pub async fn get(db: &Db, id: i64) -> Result<Team, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM teams WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::not_found("team", id))?;
    let mut teams = [from_row(&row)?];
    fill_members(db, &mut teams).await?;
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
    fill_members(db, &mut page.items).await?;
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
    old.member_ids = memberships::load_one(&mut tx, Side::Team, id).await?;
    let mut new = old.clone();
    if let Some(name) = &patch.name {
        new.name = text::required("name", name, text::MAX_NAME_CHARS)?;
    }
    if let Some(tier) = patch.tier {
        new.tier = tier;
    }
    if let Some(assignment) = patch.assignment {
        new.assignment = assignment;
    }
    if let Some(templates) = patch.auto_ack {
        new.auto_ack = templates.checked()?;
    }
    if let Some(members) = &patch.member_ids {
        let members = sorted_unique(members);
        memberships::check_exist(&mut tx, Side::Team, &members).await?;
        new.member_ids = members;
    }
    let mut changes = FieldChanges::new("team", id, "team.updated");
    changes
        .field("name", &old.name, &new.name)
        .field("tier", &old.tier, &new.tier)
        .field("assignment", &old.assignment, &new.assignment)
        .field("auto_ack", &old.auto_ack, &new.auto_ack)
        .field("member_ids", &old.member_ids, &new.member_ids);
    if changes.is_empty() {
        return Ok(old);
    }
    let at = now();
    new.updated_at = at;
    sqlx::query(
        "UPDATE teams SET name = $1, tier = $2, updated_at = $3, assignment = $5, auto_ack = $6 WHERE id = $4",
    )
    .bind(&new.name)
    .bind(new.tier.get())
    .bind(to_micros(at))
    .bind(id)
    .bind(new.assignment.as_str())
    .bind(new.auto_ack.as_ref().map(|t| json!(t).to_string()))
    .execute(&mut *tx)
    .await
    .map_err(on_unique("team_exists", || {
        format!("a team named {:?} already exists", new.name)
    }))?;
    if new.member_ids != old.member_ids {
        memberships::replace(&mut tx, Side::Team, id, &new.member_ids).await?;
    }
    events::append(&mut tx, actor, at, changes.events()).await?;
    tx.commit().await?;
    crate::channels::forget(db);
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
    let mailboxes: Vec<String> =
        sqlx::query_scalar("SELECT address FROM mailboxes WHERE team_id = $1 ORDER BY address")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    let channels: Vec<String> =
        sqlx::query_scalar("SELECT channel FROM channel_teams WHERE team_id = $1 ORDER BY channel")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    if !channels.is_empty() {
        return Err(StoreError::conflict(
            "team_in_use",
            format!(
                "team {id} is the default team of the channels {}; give them another team first",
                channels.join(", ")
            ),
        ));
    }
    if !mailboxes.is_empty() {
        return Err(StoreError::conflict(
            "team_in_use",
            format!(
                "team {id} is the team of the mailboxes {}; give them another team first",
                mailboxes.join(", ")
            ),
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
    crate::channels::forget(db);
    Ok(())
}
