//! The event log: append-only, written in the same transaction as the change it records.

use ferrodesk_core::AuthorKind;
use jiff::Timestamp;
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::sql::Sql;
use crate::tx::PendingEvent;
use crate::{Db, Page, PageRequest, StoreError, Tx, from_micros, to_micros};

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub kind: AuthorKind,
    pub id: Option<i64>,
}

impl Actor {
    pub fn agent(id: i64) -> Self {
        Self {
            kind: AuthorKind::Agent,
            id: Some(id),
        }
    }
    pub fn customer(id: i64) -> Self {
        Self {
            kind: AuthorKind::Customer,
            id: Some(id),
        }
    }
    pub fn system() -> Self {
        Self {
            kind: AuthorKind::System,
            id: None,
        }
    }
}

/// One entry of the log, as shown in a ticket's history.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Event {
    pub id: i64,
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: Timestamp,
    /// `agent`, `customer`, `bot` or `system`.
    #[schema(value_type = String)]
    pub actor_type: AuthorKind,
    pub actor_id: Option<i64>,
    pub entity_type: String,
    pub entity_id: i64,
    /// e.g. `ticket.created`, `ticket.updated`, `message.created`.
    pub kind: String,
    /// What changed: for `ticket.updated`, `{"field", "old", "new"}`.
    #[schema(value_type = Object)]
    pub data: Value,
}

/// An event to append; `entity_id` may be filled in after the entity's insert.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub entity_type: &'static str,
    pub entity_id: i64,
    pub kind: &'static str,
    pub data: Value,
}

impl NewEvent {
    pub fn new(entity_type: &'static str, entity_id: i64, kind: &'static str, data: Value) -> Self {
        Self {
            entity_type,
            entity_id,
            kind,
            data,
        }
    }
}

/// Collects one `{"field", "old", "new"}` event per field whose value changed.
#[derive(Debug)]
pub struct FieldChanges {
    entity_type: &'static str,
    entity_id: i64,
    kind: &'static str,
    events: Vec<NewEvent>,
}

impl FieldChanges {
    /// Changes to `entity_type` `entity_id`, logged as `kind` (e.g. `ticket.updated`).
    pub fn new(entity_type: &'static str, entity_id: i64, kind: &'static str) -> Self {
        Self {
            entity_type,
            entity_id,
            kind,
            events: Vec::new(),
        }
    }

    pub fn field<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        old: &T,
        new: &T,
    ) -> &mut Self {
        let (old, new) = (serde_json::json!(old), serde_json::json!(new));
        if old != new {
            self.events.push(NewEvent::new(
                self.entity_type,
                self.entity_id,
                self.kind,
                serde_json::json!({"field": name, "old": old, "new": new}),
            ));
        }
        self
    }

    pub fn push(&mut self, event: NewEvent) -> &mut Self {
        self.events.push(event);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn events(&self) -> &[NewEvent] {
        &self.events
    }
}

/// Appends `events` to the log; they are written when `tx` commits (see [`Tx`]).
pub async fn append(
    tx: &mut Tx,
    actor: Actor,
    at: Timestamp,
    events: &[NewEvent],
) -> Result<(), StoreError> {
    for e in events {
        tx.defer_event(PendingEvent {
            occurred_at: to_micros(at),
            actor_type: actor.kind.as_str(),
            actor_id: actor.id,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            kind: e.kind,
            data: e.data.to_string(),
        });
    }
    Ok(())
}

/// The history of one entity, oldest first, cursor-paginated by event id.
pub async fn list_for(
    db: &Db,
    entity_type: &str,
    entity_id: i64,
    page: PageRequest,
) -> Result<Page<Event>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, occurred_at, actor_type, actor_id, entity_type, entity_id, kind, data FROM events \
         WHERE entity_type = $1 AND entity_id = $2 AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(entity_type)
    .bind(entity_id)
    .bind(page.cursor_id.unwrap_or(0))
    .bind(page.limit + 1)
    .fetch_all(db.reader())
    .await?;
    let items = rows
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(page.finish(items, |e| e.id))
}

/// The latest `limit` events of one entity, oldest first, and whether older ones exist.
pub async fn latest_for(
    db: &Db,
    entity_type: &str,
    entity_id: i64,
    limit: i64,
) -> Result<(Vec<Event>, bool), StoreError> {
    let rows = sqlx::query(
        "SELECT id, occurred_at, actor_type, actor_id, entity_type, entity_id, kind, data FROM events \
         WHERE entity_type = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(entity_type)
    .bind(entity_id)
    .bind(limit + 1)
    .fetch_all(db.reader())
    .await?;
    let mut items = rows
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let older = items.len() as i64 > limit;
    items.truncate(limit as usize);
    items.reverse();
    Ok((items, older))
}

/// Events after `after_id` across all entities, for followers of the log.
pub async fn list_after(db: &Db, after_id: i64, limit: i64) -> Result<Vec<Event>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, occurred_at, actor_type, actor_id, entity_type, entity_id, kind, data FROM events \
         WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(event_from_row).collect()
}

/// The events with these ids that exist (a follower re-checks ids it saw missing: on
/// PostgreSQL a transaction that commits late may hold a smaller id than ones already read).
pub async fn list_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Event>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT id, occurred_at, actor_type, actor_id, entity_type, entity_id, kind, data FROM events WHERE id IN ",
    );
    sql.bind_list(ids.iter().copied());
    sql.push(" ORDER BY id");
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    rows.iter().map(event_from_row).collect()
}

fn event_from_row(row: &AnyRow) -> Result<Event, StoreError> {
    let actor_type: String = row.try_get("actor_type")?;
    let data: String = row.try_get("data")?;
    Ok(Event {
        id: row.try_get("id")?,
        occurred_at: from_micros(row.try_get("occurred_at")?),
        actor_type: actor_type.parse()?,
        actor_id: row.try_get("actor_id")?,
        entity_type: row.try_get("entity_type")?,
        entity_id: row.try_get("entity_id")?,
        kind: row.try_get("kind")?,
        data: serde_json::from_str(&data).unwrap_or(Value::String(data)),
    })
}
