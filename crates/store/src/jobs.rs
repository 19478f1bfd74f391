//! The jobs table: work that must happen at a time, once in effect, whichever node runs it.
//! A job is claimed with a lease (a conditional UPDATE that only one node can win), its effect
//! and its completion commit together, and a failure retries with backoff.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use futures_util::future::BoxFuture;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use sqlx::Row;

use crate::tx::PendingJob;
use crate::{Db, StoreError, Tx, from_micros, now, to_micros};

/// How long a claim holds before another node may take the job over.
const LEASE: SignedDuration = SignedDuration::from_secs(60);
/// The longest the worker sleeps without looking (jobs scheduled by other nodes).
const MAX_SLEEP: Duration = Duration::from_secs(5);
const CLAIM_BATCH: i64 = 20;

#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub payload: Value,
    pub attempts: i64,
    lease_until: i64,
}

/// Schedules `kind` under `key` at `run_at`, or moves the live job with that key there.
pub async fn schedule(
    tx: &mut Tx,
    kind: &str,
    key: &str,
    payload: &Value,
    run_at: Timestamp,
) -> Result<(), StoreError> {
    tx.defer_job(PendingJob {
        kind: kind.to_string(),
        key: key.to_string(),
        payload: payload.to_string(),
        run_at: to_micros(run_at),
        created_at: to_micros(now()),
    });
    Ok(())
}

/// Marks a claimed job done inside the transaction that carries its effect. `false` means the
/// lease was lost (another node took the job over): roll back.
pub async fn finish(tx: &mut Tx, job: &Job) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE jobs SET done_at = $1, locked_until = NULL WHERE id = $2 AND locked_until = $3",
    )
    .bind(to_micros(now()))
    .bind(job.id)
    .bind(job.lease_until)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims up to a batch of due jobs for this node.
async fn claim(db: &Db) -> Result<Vec<Job>, StoreError> {
    let at = to_micros(now());
    let rows = sqlx::query(
        "SELECT id, kind, key, payload, attempts FROM jobs \
         WHERE done_at IS NULL AND run_at <= $1 AND (locked_until IS NULL OR locked_until < $1) ORDER BY run_at LIMIT $2",
    )
    .bind(at)
    .bind(CLAIM_BATCH)
    .fetch_all(db.reader())
    .await?;
    let lease_until = to_micros(now().checked_add(LEASE).expect("lease fits"));
    let mut claimed = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let won = sqlx::query(
            "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 \
             WHERE id = $2 AND done_at IS NULL AND (locked_until IS NULL OR locked_until < $3)",
        )
        .bind(lease_until)
        .bind(id)
        .bind(at)
        .execute(db.writer())
        .await?;
        if won.rows_affected() == 1 {
            let payload: String = row.try_get("payload")?;
            claimed.push(Job {
                id,
                kind: row.try_get("kind")?,
                key: row.try_get("key")?,
                payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
                attempts: row.try_get::<i64, _>("attempts")? + 1,
                lease_until,
            });
        }
    }
    Ok(claimed)
}

/// Gives a failed job back, to run again after a backoff that grows with its attempts.
async fn retry_later(db: &Db, job: &Job, error: &StoreError) -> Result<(), StoreError> {
    let backoff = SignedDuration::from_secs(5i64.saturating_mul(1 << job.attempts.clamp(0, 10)));
    let run_at = now().checked_add(backoff).unwrap_or_else(|_| now());
    sqlx::query("UPDATE jobs SET locked_until = NULL, run_at = $1, last_error = $2 WHERE id = $3 AND locked_until = $4")
        .bind(to_micros(run_at))
        .bind(error.to_string())
        .bind(job.id)
        .bind(job.lease_until)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// What runs a job of one kind. The handler commits the job's effect together with
/// [`finish`]; an error gives the job back to run again later.
pub type JobHandler = for<'a> fn(&'a Db, &'a Job) -> BoxFuture<'a, Result<(), StoreError>>;

/// The job kinds this node runs, registered at start-up by the capabilities that own them. The
/// runner below knows none of them.
#[derive(Default, Clone)]
pub struct JobHandlers {
    handlers: HashMap<&'static str, JobHandler>,
    recurring: Vec<(&'static str, SignedDuration)>,
}

impl JobHandlers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs jobs of `kind` with `handler`. A kind registered twice is a start-up bug.
    pub fn register(&mut self, kind: &'static str, handler: JobHandler) -> &mut Self {
        let previous = self.handlers.insert(kind, handler);
        assert!(previous.is_none(), "job kind {kind:?} registered twice");
        self
    }

    /// Runs `handler` every `every`, on whichever node claims it: one live job of this kind
    /// always exists (the first node to start creates it). The handler does the work in
    /// transactions of its own; the runner then marks the run done and schedules the next.
    pub fn every(
        &mut self,
        kind: &'static str,
        every: SignedDuration,
        handler: JobHandler,
    ) -> &mut Self {
        self.register(kind, handler);
        self.recurring.push((kind, every));
        self
    }

    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.handlers.keys().copied()
    }
}

/// Makes sure the recurring jobs exist (the first node to start creates them).
async fn ensure_recurring(db: &Db, handlers: &JobHandlers) -> Result<(), StoreError> {
    for (kind, _) in &handlers.recurring {
        sqlx::query(
            "INSERT INTO jobs (kind, key, payload, run_at, created_at) VALUES ($1, $1, '{}', $2, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(*kind)
        .bind(to_micros(now()))
        .execute(db.writer())
        .await?;
    }
    Ok(())
}

/// After a recurring job's run: done, and the next one scheduled, in one transaction.
async fn reschedule(db: &Db, job: &Job, every: SignedDuration) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    if finish(&mut tx, job).await? {
        let next = now().checked_add(every).unwrap_or_else(|_| now());
        schedule(
            &mut tx,
            &job.kind,
            &job.key,
            &Value::Object(Default::default()),
            next,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

async fn run_one(db: &Db, handlers: &JobHandlers, job: &Job) -> Result<(), StoreError> {
    let Some(handler) = handlers.handlers.get(job.kind.as_str()) else {
        return Err(StoreError::Schema(format!(
            "no handler for job kind {:?} on this node",
            job.kind
        )));
    };
    handler(db, job).await?;
    match handlers
        .recurring
        .iter()
        .find(|(kind, _)| *kind == job.kind)
    {
        Some((_, every)) => reschedule(db, job, *every).await,
        None => Ok(()),
    }
}

/// Runs every job that is due now; returns how many ran.
pub async fn run_due(db: &Db, handlers: &JobHandlers) -> Result<usize, StoreError> {
    let mut ran = 0;
    loop {
        let jobs = claim(db).await?;
        if jobs.is_empty() {
            return Ok(ran);
        }
        for job in &jobs {
            if let Err(e) = run_one(db, handlers, job).await {
                tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, error = %e, "job failed; will retry");
                retry_later(db, job, &e).await?;
            }
            ran += 1;
        }
    }
}

/// When the next job falls due, if any.
async fn next_run_at(db: &Db) -> Result<Option<Timestamp>, StoreError> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(run_at) FROM jobs WHERE done_at IS NULL AND (locked_until IS NULL OR locked_until < $1)",
    )
    .bind(to_micros(now()))
    .fetch_one(db.reader())
    .await?;
    Ok(at.map(from_micros))
}

/// The worker loop: runs due jobs, then sleeps until the next one is due (or a job is scheduled
/// on this node, or `MAX_SLEEP` passes), until `shutdown` resolves.
pub async fn run_worker(db: Db, handlers: JobHandlers, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    if let Err(e) = ensure_recurring(&db, &handlers).await {
        tracing::error!(error = %e, "cannot schedule the recurring jobs");
    }
    loop {
        if let Err(e) = run_due(&db, &handlers).await {
            tracing::error!(error = %e, "job worker pass failed");
        }
        let sleep = match next_run_at(&db).await {
            Ok(Some(at)) => {
                let wait = at.duration_since(now());
                Duration::try_from(wait)
                    .unwrap_or(Duration::ZERO)
                    .min(MAX_SLEEP)
            }
            _ => MAX_SLEEP,
        };
        tokio::select! {
            () = &mut shutdown => return,
            () = db.jobs_scheduled().notified() => {},
            () = tokio::time::sleep(sleep.max(Duration::from_millis(20))) => {},
        }
    }
}
