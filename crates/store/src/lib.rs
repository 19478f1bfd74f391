//! Ferrodesk storage: one code path for SQLite and PostgreSQL (sqlx's `Any` driver), the
//! embedded migrations, the repositories, and the event log every change appends to.

pub mod affinity;
pub mod agents;
pub mod attachments;
pub mod auth;
pub mod blobs;
pub mod categories;
pub mod channels;
pub mod customers;
pub mod db;
pub mod error;
pub mod events;
pub mod followers;
pub mod jobs;
pub mod mail;
pub mod mailboxes;
pub mod memberships;
pub mod migrations;
pub mod notifications;
pub mod organizations;
pub mod patch;
pub mod portal;
pub mod search_source;
pub mod seed;
pub mod snapshot;
pub mod sql;
pub mod tags;
pub mod teams;
pub mod tickets;
pub mod time;
pub mod tx;
pub mod views;

pub use db::{Backend, Db, DbConfig, SchemaState, Tx};
pub use error::StoreError;
pub use events::{Actor, Event};
pub use time::{from_micros, now, to_micros};

/// One page of a cursor-paginated list. `next_cursor` is `None` on the last page.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Where a list starts and how long it is. Cursors are opaque to clients.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: i64,
    /// Where the previous page ended: lists newest first continue below this id, histories
    /// (oldest first) above it.
    pub cursor_id: Option<i64>,
}

pub const DEFAULT_PAGE_SIZE: i64 = 25;
pub const MAX_PAGE_SIZE: i64 = 200;

impl PageRequest {
    /// Parses `limit` and `cursor` from a query string, refusing out-of-range values.
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<Self, StoreError> {
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            return Err(StoreError::invalid(
                "limit",
                format!("must be between 1 and {MAX_PAGE_SIZE}; got {limit}"),
            ));
        }
        let cursor_id = match cursor.filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(c.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| {
                StoreError::invalid(
                    "cursor",
                    "is not a cursor this server returned; pass next_cursor from the previous page",
                )
            })?),
        };
        Ok(Self { limit, cursor_id })
    }

    pub fn first(limit: i64) -> Self {
        Self {
            limit,
            cursor_id: None,
        }
    }

    /// Cuts the one extra row fetched to learn whether another page exists.
    pub fn finish<T>(self, mut rows: Vec<T>, id_of: impl Fn(&T) -> i64) -> Page<T> {
        let next_cursor = if rows.len() as i64 > self.limit {
            rows.truncate(self.limit as usize);
            rows.last().map(|r| id_of(r).to_string())
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }
}
