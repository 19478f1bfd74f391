//! Ticket tags as a whole: the tags in use with their counts, renaming one (onto an existing
//! tag, which merges them) and removing one from every ticket. Each ticket touched logs its
//! own `ticket.updated` (field `tags`) in the same transaction, so histories and the search
//! index follow.

use ferrodesk_core::text;
use serde_json::json;

use crate::events::{self, Actor, NewEvent};
use crate::{Db, Page, StoreError, Tx, now};

/// A tag and how many tickets carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TagCount {
    pub name: String,
    pub tickets: i64,
}

/// Tags in use, by name; the cursor is the last name of the previous page.
pub async fn list(db: &Db, after: Option<&str>, limit: i64) -> Result<Page<TagCount>, StoreError> {
    let limit = limit.clamp(1, crate::MAX_PAGE_SIZE);
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT tag, COUNT(*) FROM ticket_tags WHERE tag > $1 GROUP BY tag ORDER BY tag LIMIT $2",
    )
    .bind(after.unwrap_or(""))
    .bind(limit + 1)
    .fetch_all(db.reader())
    .await?;
    let mut items: Vec<TagCount> = rows
        .into_iter()
        .map(|(name, tickets)| TagCount { name, tickets })
        .collect();
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|t| t.name.clone())
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

fn one_tag(raw: &str) -> Result<String, StoreError> {
    let mut v = text::tags(&[raw.to_string()])?;
    Ok(v.remove(0))
}

/// The tickets carrying `tag` and their tags before the change (one query).
async fn carriers(tx: &mut Tx, tag: &str) -> Result<Vec<(i64, Vec<String>)>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT t.ticket_id, o.tag FROM ticket_tags t JOIN ticket_tags o ON o.ticket_id = t.ticket_id \
         WHERE t.tag = $1 ORDER BY t.ticket_id, o.tag",
    )
    .bind(tag)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: Vec<(i64, Vec<String>)> = Vec::new();
    for (id, t) in rows {
        match out.last_mut() {
            Some((last, tags)) if *last == id => tags.push(t),
            _ => out.push((id, vec![t])),
        }
    }
    Ok(out)
}

fn change_events(changed: &[(i64, Vec<String>, Vec<String>)]) -> Vec<NewEvent> {
    changed
        .iter()
        .map(|(id, old, new)| {
            NewEvent::new(
                "ticket",
                *id,
                "ticket.updated",
                json!({"field": "tags", "old": old, "new": new}),
            )
        })
        .collect()
}

/// Renames `from` to `to` on every ticket; where `to` exists already the two merge. Returns
/// how many tickets changed.
pub async fn rename(db: &Db, actor: Actor, from: &str, to: &str) -> Result<u64, StoreError> {
    let from = one_tag(from)?;
    let to = one_tag(to)?;
    if from == to {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let before = carriers(&mut tx, &from).await?;
    if before.is_empty() {
        return Err(StoreError::not_found("tag", 0));
    }
    sqlx::query(
        "INSERT INTO ticket_tags (ticket_id, tag) SELECT ticket_id, $1 FROM ticket_tags \
         WHERE tag = $2 AND ticket_id NOT IN (SELECT ticket_id FROM ticket_tags WHERE tag = $1)",
    )
    .bind(&to)
    .bind(&from)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM ticket_tags WHERE tag = $1")
        .bind(&from)
        .execute(&mut *tx)
        .await?;
    let changed: Vec<(i64, Vec<String>, Vec<String>)> = before
        .into_iter()
        .map(|(id, old)| {
            let mut new: Vec<String> = Vec::with_capacity(old.len());
            for t in &old {
                let t = if *t == from { to.clone() } else { t.clone() };
                if !new.contains(&t) {
                    new.push(t);
                }
            }
            new.sort();
            (id, old, new)
        })
        .collect();
    append_in_chunks(&mut tx, actor, &change_events(&changed)).await?;
    tx.commit().await?;
    Ok(changed.len() as u64)
}

/// Removes `tag` from every ticket; returns how many changed.
pub async fn delete(db: &Db, actor: Actor, tag: &str) -> Result<u64, StoreError> {
    let tag = one_tag(tag)?;
    let mut tx = db.begin().await?;
    let before = carriers(&mut tx, &tag).await?;
    if before.is_empty() {
        return Err(StoreError::not_found("tag", 0));
    }
    sqlx::query("DELETE FROM ticket_tags WHERE tag = $1")
        .bind(&tag)
        .execute(&mut *tx)
        .await?;
    let changed: Vec<(i64, Vec<String>, Vec<String>)> = before
        .into_iter()
        .map(|(id, old)| {
            let new = old.iter().filter(|t| **t != tag).cloned().collect();
            (id, old, new)
        })
        .collect();
    append_in_chunks(&mut tx, actor, &change_events(&changed)).await?;
    tx.commit().await?;
    Ok(changed.len() as u64)
}

/// Appends many events with statements of bounded size (bind-parameter limits).
async fn append_in_chunks(tx: &mut Tx, actor: Actor, evs: &[NewEvent]) -> Result<(), StoreError> {
    let at = now();
    for chunk in evs.chunks(500) {
        events::append(tx, actor, at, chunk).await?;
    }
    Ok(())
}
