//! Agents: the people who work tickets, with a role and team memberships.

use ferrodesk_core::routing::Availability;
use ferrodesk_core::{EmailAddress, Role, text};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::auth::hash_password;
use crate::error::on_unique;
use crate::events::{self, Actor, FieldChanges, NewEvent};
use crate::memberships::{self, Side, sorted_unique};
use crate::patch::double_option;
use crate::{Db, Page, PageRequest, StoreError, Tx, from_micros, now, to_micros};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Agent {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub locale: String,
    pub time_zone: String,
    pub team_ids: Vec<i64>,
    /// Whether routing gives the agent new tickets now.
    pub availability: Availability,
    /// Most open tickets routing gives the agent; `null` is no limit.
    pub capacity: Option<u32>,
    /// Ticket categories the agent handles, for skill-based routing.
    pub skills: Vec<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgent {
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    /// At least 8 characters. Without one, the agent cannot sign in until it is set.
    pub password: Option<String>,
    #[serde(default)]
    pub team_ids: Vec<i64>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentPatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub password: Option<String>,
    pub active: Option<bool>,
    /// Replaces the agent's team memberships.
    pub team_ids: Option<Vec<i64>>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub availability: Option<Availability>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<u32>)]
    pub capacity: Option<Option<u32>>,
    pub skills: Option<Vec<String>>,
}

const COLUMNS: &str = "id, email, name, role, locale, time_zone, deactivated_at, availability, capacity, skills, \
    created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Agent, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(Agent {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: role.parse()?,
        active: row.try_get::<Option<i64>, _>("deactivated_at")?.is_none(),
        locale: row.try_get("locale")?,
        time_zone: row.try_get("time_zone")?,
        team_ids: Vec::new(),
        availability: row.try_get::<String, _>("availability")?.parse()?,
        capacity: row
            .try_get::<Option<i64>, _>("capacity")?
            .map(|c| c.clamp(0, i64::from(u32::MAX)) as u32),
        skills: serde_json::from_str(&row.try_get::<String, _>("skills")?).unwrap_or_default(),
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

/// Fills `team_ids` for a page of agents with one query.
async fn fill_teams(db: &Db, agents: &mut [Agent]) -> Result<(), StoreError> {
    let ids: Vec<i64> = agents.iter().map(|a| a.id).collect();
    let mut teams = memberships::load(db, Side::Agent, &ids).await?;
    for a in agents {
        a.team_ids = teams.remove(&a.id).unwrap_or_default();
    }
    Ok(())
}

pub const LOCALES: &[&str] = &["en", "ru"];

fn parse_locale(locale: &str) -> Result<String, StoreError> {
    if LOCALES.contains(&locale) {
        Ok(locale.to_string())
    } else {
        Err(StoreError::invalid(
            "locale",
            format!(
                "unknown locale {locale:?}; expected one of: {}",
                LOCALES.join(", ")
            ),
        ))
    }
}

fn parse_time_zone(tz: &str) -> Result<String, StoreError> {
    jiff::tz::TimeZone::get(tz)
        .map(|_| tz.to_string())
        .map_err(|_| {
            StoreError::invalid(
                "time_zone",
                format!("{tz:?} is not an IANA time zone like Europe/Moscow"),
            )
        })
}

pub async fn create(db: &Db, actor: Actor, new: NewAgent) -> Result<Agent, StoreError> {
    let name = text::required("name", &new.name, text::MAX_NAME_CHARS)?;
    let locale = parse_locale(new.locale.as_deref().unwrap_or("en"))?;
    let time_zone = parse_time_zone(new.time_zone.as_deref().unwrap_or("UTC"))?;
    let password_hash = match &new.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let team_ids = sorted_unique(&new.team_ids);
    let at = now();
    let mut tx = db.begin().await?;
    memberships::check_exist(&mut tx, Side::Agent, &team_ids).await?;
    let row = sqlx::query(&format!(
        "INSERT INTO agents (email, name, role, password_hash, locale, time_zone, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}"
    ))
    .bind(new.email.as_str())
    .bind(&name)
    .bind(new.role.as_str())
    .bind(password_hash)
    .bind(&locale)
    .bind(&time_zone)
    .bind(to_micros(at))
    .fetch_one(&mut *tx)
    .await
    .map_err(on_unique("agent_exists", || format!("an agent with the email {} already exists", new.email)))?;
    let mut agent = from_row(&row)?;
    memberships::replace(&mut tx, Side::Agent, agent.id, &team_ids).await?;
    agent.team_ids = team_ids.clone();
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "agent",
            agent.id,
            "agent.created",
            json!({"email": agent.email, "name": name, "role": agent.role, "team_ids": team_ids}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(agent)
}

pub async fn get(db: &Db, id: i64) -> Result<Agent, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM agents WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::not_found("agent", id))?;
    let mut agents = [from_row(&row)?];
    fill_teams(db, &mut agents).await?;
    let [agent] = agents;
    Ok(agent)
}

pub async fn list(db: &Db, page: PageRequest) -> Result<Page<Agent>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM agents WHERE id < $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(page.cursor_id.unwrap_or(i64::MAX))
    .bind(page.limit + 1)
    .fetch_all(db.reader())
    .await?;
    let mut items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let mut page = page.finish(std::mem::take(&mut items), |a| a.id);
    fill_teams(db, &mut page.items).await?;
    Ok(page)
}

/// Refuses a change that would leave no active admin (nobody could manage the instance). The
/// other admins' rows are locked, so two admins demoting each other at once cannot both win.
async fn ensure_another_admin(db: &Db, tx: &mut Tx, id: i64) -> Result<(), StoreError> {
    let others: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM agents WHERE role = 'admin' AND deactivated_at IS NULL AND id <> $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    if others.is_empty() {
        return Err(StoreError::conflict(
            "last_admin",
            format!(
                "agent {id} is the last active admin; make another agent an admin before changing this one's role or deactivating them"
            ),
        ));
    }
    Ok(())
}

pub async fn update(
    db: &Db,
    actor: Actor,
    id: i64,
    patch: AgentPatch,
) -> Result<Agent, StoreError> {
    let password_hash = match &patch.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM agents WHERE id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::not_found("agent", id))?;
    let mut old = from_row(&row)?;
    old.team_ids = memberships::load_one(&mut tx, Side::Agent, id).await?;
    let mut new = old.clone();
    if let Some(name) = &patch.name {
        new.name = text::required("name", name, text::MAX_NAME_CHARS)?;
    }
    if let Some(role) = patch.role {
        new.role = role;
    }
    if let Some(active) = patch.active {
        new.active = active;
    }
    if let Some(locale) = &patch.locale {
        new.locale = parse_locale(locale)?;
    }
    if let Some(tz) = &patch.time_zone {
        new.time_zone = parse_time_zone(tz)?;
    }
    if let Some(availability) = patch.availability {
        new.availability = availability;
    }
    if let Some(capacity) = patch.capacity {
        new.capacity = capacity;
    }
    if let Some(skills) = &patch.skills {
        new.skills = text::tags(skills).map_err(|e| StoreError::invalid("skills", e.message))?;
    }
    if let Some(teams) = &patch.team_ids {
        let teams = sorted_unique(teams);
        memberships::check_exist(&mut tx, Side::Agent, &teams).await?;
        new.team_ids = teams;
    }
    let mut changes = FieldChanges::new("agent", id, "agent.updated");
    changes
        .field("name", &old.name, &new.name)
        .field("role", &old.role, &new.role)
        .field("active", &old.active, &new.active)
        .field("locale", &old.locale, &new.locale)
        .field("time_zone", &old.time_zone, &new.time_zone)
        .field("team_ids", &old.team_ids, &new.team_ids)
        .field("availability", &old.availability, &new.availability)
        .field("capacity", &old.capacity, &new.capacity)
        .field("skills", &old.skills, &new.skills);
    if password_hash.is_some() {
        // The hash itself never enters the log.
        changes.push(NewEvent::new(
            "agent",
            id,
            "agent.password_changed",
            json!({}),
        ));
    }
    if changes.is_empty() {
        return Ok(old);
    }
    let was_admin = old.active && old.role == Role::Admin;
    if was_admin && !(new.active && new.role == Role::Admin) {
        ensure_another_admin(db, &mut tx, id).await?;
    }
    let at = now();
    new.updated_at = at;
    let deactivated_at: Option<i64> = match (old.active, new.active) {
        (_, true) => None,
        (false, false) => row.try_get("deactivated_at")?,
        (true, false) => Some(to_micros(at)),
    };
    sqlx::query(
        "UPDATE agents SET name = $1, role = $2, locale = $3, time_zone = $4, deactivated_at = $5, \
         password_hash = COALESCE($6, password_hash), updated_at = $7, availability = $9, capacity = $10, \
         skills = $11 WHERE id = $8",
    )
    .bind(&new.name)
    .bind(new.role.as_str())
    .bind(&new.locale)
    .bind(&new.time_zone)
    .bind(deactivated_at)
    .bind(password_hash)
    .bind(to_micros(at))
    .bind(id)
    .bind(new.availability.as_str())
    .bind(new.capacity.map(i64::from))
    .bind(json!(new.skills).to_string())
    .execute(&mut *tx)
    .await?;
    if new.team_ids != old.team_ids {
        memberships::replace(&mut tx, Side::Agent, id, &new.team_ids).await?;
    }
    if !new.active {
        sqlx::query("DELETE FROM sessions WHERE agent_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    events::append(&mut tx, actor, at, changes.events()).await?;
    tx.commit().await?;
    Ok(new)
}

/// Agents are never deleted (tickets and history name them); this deactivates one, which ends
/// their sessions and stops their API tokens.
pub async fn deactivate(db: &Db, actor: Actor, id: i64) -> Result<Agent, StoreError> {
    update(
        db,
        actor,
        id,
        AgentPatch {
            active: Some(false),
            ..Default::default()
        },
    )
    .await
}

/// Creates or updates an agent by email (the CLI's `admin create-agent`).
pub async fn upsert(db: &Db, actor: Actor, new: NewAgent) -> Result<Agent, StoreError> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM agents WHERE email = $1")
        .bind(new.email.as_str())
        .fetch_optional(db.reader())
        .await?;
    match existing {
        None => create(db, actor, new).await,
        Some(id) => {
            update(
                db,
                actor,
                id,
                AgentPatch {
                    name: Some(new.name),
                    role: Some(new.role),
                    password: new.password,
                    active: Some(true),
                    team_ids: (!new.team_ids.is_empty()).then_some(new.team_ids),
                    locale: new.locale,
                    time_zone: new.time_zone,
                    ..Default::default()
                },
            )
            .await
        }
    }
}
