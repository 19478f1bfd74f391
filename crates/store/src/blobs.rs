//! Content-addressed blobs (raw messages, attachment contents): each distinct content stored
//! once per table, found again by its SHA-256.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use crate::sql::Sql;
use crate::{StoreError, Tx, now, to_micros};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores `content` once under its hash; returns its row id.
pub async fn store_blob(tx: &mut Tx, table: &str, content: &[u8]) -> Result<i64, StoreError> {
    let ids = store_blobs(tx, table, &[content]).await?;
    Ok(ids[0])
}

/// Stores each of `contents` once under its hash, in one statement for all the new ones (plus
/// one lookup when some were stored before); returns their row ids in order.
pub async fn store_blobs(
    tx: &mut Tx,
    table: &str,
    contents: &[&[u8]],
) -> Result<Vec<i64>, StoreError> {
    let hashes: Vec<String> = contents.iter().map(|c| sha256_hex(c)).collect();
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(contents.len());
    let mut sql = Sql::new(format!(
        "INSERT INTO {table} (sha256, size, content, created_at) VALUES "
    ));
    let at = to_micros(now());
    let mut distinct = HashSet::new();
    for (hash, content) in hashes.iter().zip(contents) {
        if !distinct.insert(hash.as_str()) {
            continue;
        }
        sql.push(if distinct.len() == 1 { "(" } else { ", (" })
            .bind(hash.clone())
            .push(", ")
            .bind(content.len() as i64)
            .push(", ")
            .bind(content.to_vec())
            .push(", ")
            .bind(at)
            .push(")");
    }
    if distinct.is_empty() {
        return Ok(Vec::new());
    }
    sql.push(" ON CONFLICT (sha256) DO NOTHING RETURNING id, sha256");
    let (text, args) = sql.into_parts();
    let inserted: Vec<(i64, String)> = sqlx::query_as_with(&text, args)
        .fetch_all(&mut **tx)
        .await?;
    ids.extend(inserted.into_iter().map(|(id, hash)| (hash, id)));
    // Contents stored before: one lookup for all of them.
    let known: Vec<String> = distinct
        .iter()
        .filter(|h| !ids.contains_key(**h))
        .map(|h| h.to_string())
        .collect();
    if !known.is_empty() {
        let mut sql = Sql::new(format!("SELECT id, sha256 FROM {table} WHERE sha256 IN "));
        sql.bind_list(known);
        let (text, args) = sql.into_parts();
        let found: Vec<(i64, String)> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut **tx)
            .await?;
        ids.extend(found.into_iter().map(|(id, hash)| (hash, id)));
    }
    hashes
        .iter()
        .map(|h| {
            ids.get(h)
                .copied()
                .ok_or_else(|| StoreError::Schema(format!("content {h} was not stored")))
        })
        .collect()
}
