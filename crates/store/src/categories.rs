//! Ticket categories as a whole: those in use with their counts, and renaming one on every
//! ticket (onto an existing name, which merges them) or clearing it. Each ticket touched logs
//! its own `ticket.updated` (field `category`) in the same transaction.

use ferrodesk_core::text;
use serde_json::json;

use crate::events::{self, Actor, NewEvent};
use crate::{Db, Page, StoreError, now};

/// A category and how many tickets carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CategoryCount {
    pub name: String,
    pub tickets: i64,
}

/// Categories in use, by name; the cursor is the last name of the previous page.
pub async fn list(
    db: &Db,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<CategoryCount>, StoreError> {
    let limit = limit.clamp(1, crate::MAX_PAGE_SIZE);
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT category, COUNT(*) FROM tickets WHERE category IS NOT NULL AND category > $1 \
         GROUP BY category ORDER BY category LIMIT $2",
    )
    .bind(after.unwrap_or(""))
    .bind(limit + 1)
    .fetch_all(db.reader())
    .await?;
    let mut items: Vec<CategoryCount> = rows
        .into_iter()
        .map(|(name, tickets)| CategoryCount { name, tickets })
        .collect();
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|c| c.name.clone())
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

/// Renames category `from` to `to` on every ticket (`to` empty: clears it). Returns how many
/// tickets changed.
pub async fn rename(db: &Db, actor: Actor, from: &str, to: &str) -> Result<u64, StoreError> {
    let to = text::optional("category", Some(to), text::MAX_CATEGORY_CHARS)?;
    if to.as_deref() == Some(from) {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM tickets WHERE category = $1 ORDER BY id{}",
        db.for_update()
    ))
    .bind(from)
    .fetch_all(&mut *tx)
    .await?;
    if ids.is_empty() {
        return Err(StoreError::not_found("category", 0));
    }
    sqlx::query("UPDATE tickets SET category = $1 WHERE category = $2")
        .bind(to.clone())
        .bind(from)
        .execute(&mut *tx)
        .await?;
    let evs: Vec<NewEvent> = ids
        .iter()
        .map(|id| {
            NewEvent::new(
                "ticket",
                *id,
                "ticket.updated",
                json!({"field": "category", "old": from, "new": to}),
            )
        })
        .collect();
    let at = now();
    for chunk in evs.chunks(500) {
        events::append(&mut tx, actor, at, chunk).await?;
    }
    tx.commit().await?;
    Ok(ids.len() as u64)
}
