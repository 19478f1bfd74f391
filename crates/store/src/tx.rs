//! A write transaction that holds back its append-only writes (events, job schedules) and
//! writes them at commit, many rows per statement.
//!
//! Why: on SQLite every statement is a round trip to the driver's own thread — two thread
//! wake-ups that cost more than the SQL. A batch of 200 inbound emails appends about 350
//! events; written as they happen that is 350 round trips, written at commit it is one.
//! Nothing reads these rows back inside the transaction that writes them, and they are
//! written in the order they were appended, so ids and ordering are as before.

use std::any::TypeId;
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};

use sqlx::{Any, AnyConnection};

use crate::StoreError;
use crate::sql::Sql;

/// A write transaction: `BEGIN IMMEDIATE` on SQLite, so the write lock is taken up front.
/// Dereferences to the connection, so `&mut **tx` runs a statement in it.
pub struct Tx {
    inner: sqlx::Transaction<'static, Any>,
    events: Vec<PendingEvent>,
    jobs: Vec<PendingJob>,
    /// Read-ahead caches of this transaction, one per type (see [`Tx::scratch`]).
    scratch: HashMap<TypeId, Box<dyn std::any::Any + Send>>,
}

pub struct PendingEvent {
    pub occurred_at: i64,
    pub actor_type: &'static str,
    pub actor_id: Option<i64>,
    pub entity_type: &'static str,
    pub entity_id: i64,
    pub kind: &'static str,
    pub data: String,
}

pub struct PendingJob {
    pub kind: String,
    pub key: String,
    pub payload: String,
    pub run_at: i64,
    pub created_at: i64,
}

/// Rows per statement at commit (an event has 7 parameters, a job 5).
const ROWS_PER_STATEMENT: usize = crate::sql::rows_per_statement(7);

impl Tx {
    pub fn new(inner: sqlx::Transaction<'static, Any>) -> Self {
        Self {
            inner,
            events: Vec::new(),
            jobs: Vec::new(),
            scratch: HashMap::new(),
        }
    }

    pub fn defer_event(&mut self, event: PendingEvent) {
        self.events.push(event);
    }

    /// A job to insert, or to reschedule when one with the same key exists.
    pub fn defer_job(&mut self, job: PendingJob) {
        self.jobs.push(job);
    }

    /// This transaction's read-ahead cache of type `T` (e.g. the customers a batch of inbound
    /// mail will look up), created empty on first use. Typed by `T` so that the transaction
    /// need not know the repositories that keep something here.
    pub fn scratch<T: Default + Send + 'static>(&mut self) -> &mut T {
        self.scratch
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()))
            .downcast_mut::<T>()
            .expect("scratch is keyed by its type")
    }

    /// Writes what was held back, then commits.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        self.flush().await?;
        self.inner.commit().await?;
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), StoreError> {
        let events = std::mem::take(&mut self.events);
        for chunk in events.chunks(ROWS_PER_STATEMENT) {
            let mut sql = Sql::new(
                "INSERT INTO events (occurred_at, actor_type, actor_id, entity_type, entity_id, kind, data) VALUES ",
            );
            for (i, e) in chunk.iter().enumerate() {
                sql.push(if i == 0 { "(" } else { ", (" })
                    .bind(e.occurred_at)
                    .push(", ")
                    .bind(e.actor_type)
                    .push(", ")
                    .bind(e.actor_id)
                    .push(", ")
                    .bind(e.entity_type)
                    .push(", ")
                    .bind(e.entity_id)
                    .push(", ")
                    .bind(e.kind)
                    .push(", ")
                    .bind(e.data.clone())
                    .push(")");
            }
            let (text, args) = sql.into_parts();
            sqlx::query_with(&text, args)
                .execute(&mut *self.inner)
                .await?;
        }
        let jobs = latest_per_key(std::mem::take(&mut self.jobs));
        for chunk in jobs.chunks(ROWS_PER_STATEMENT) {
            let mut sql =
                Sql::new("INSERT INTO jobs (kind, key, payload, run_at, created_at) VALUES ");
            for (i, j) in chunk.iter().enumerate() {
                sql.push(if i == 0 { "(" } else { ", (" })
                    .bind(j.kind.clone())
                    .push(", ")
                    .bind(j.key.clone())
                    .push(", ")
                    .bind(j.payload.clone())
                    .push(", ")
                    .bind(j.run_at)
                    .push(", ")
                    .bind(j.created_at)
                    .push(")");
            }
            sql.push(
                " ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, payload = excluded.payload, run_at = excluded.run_at, \
                 attempts = 0, locked_until = NULL, last_error = NULL, done_at = NULL",
            );
            let (text, args) = sql.into_parts();
            sqlx::query_with(&text, args)
                .execute(&mut *self.inner)
                .await?;
        }
        Ok(())
    }
}

/// One row per key, the last scheduled winning (as upserts one after another would have it):
/// an upsert statement may not touch the same row twice.
fn latest_per_key(jobs: Vec<PendingJob>) -> Vec<PendingJob> {
    let mut position: HashMap<String, usize> = HashMap::with_capacity(jobs.len());
    let mut out: Vec<PendingJob> = Vec::with_capacity(jobs.len());
    for job in jobs {
        match position.get(&job.key) {
            Some(&i) => out[i] = job,
            None => {
                position.insert(job.key.clone(), out.len());
                out.push(job);
            }
        }
    }
    out
}

impl Deref for Tx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(key: &str, run_at: i64) -> PendingJob {
        PendingJob {
            kind: "k".into(),
            key: key.into(),
            payload: "{}".into(),
            run_at,
            created_at: 0,
        }
    }

    #[test]
    fn the_last_schedule_of_a_key_wins_and_first_order_is_kept() {
        let kept = latest_per_key(vec![job("a", 1), job("b", 2), job("a", 3)]);
        let seen: Vec<(&str, i64)> = kept.iter().map(|j| (j.key.as_str(), j.run_at)).collect();
        assert_eq!(seen, vec![("a", 3), ("b", 2)]);
    }
}
