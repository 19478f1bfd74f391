//! Followers of the event log: the search index, and whatever else turns the log into something
//! else (rollups, realtime fan-out, model training). Each capability registers its follower at
//! start-up; [`run`] drives every registered follower in its own task and knows none of them.
//!
//! A follower keeps its own cursor (the last event it applied). Where its output is per node,
//! the cursor lives with that output, so the two can never disagree (the search index commits
//! its cursor with its documents). Where the output is shared by every node, the cursor lives
//! in the database, written in the same transaction as the output: [`cursor`] and
//! [`save_cursor`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::sync::{Notify, watch};

use crate::{Db, StoreError, Tx, now, to_micros};

pub type FollowError = Box<dyn std::error::Error + Send + Sync>;

/// What one step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// More events are waiting: step again at once.
    Behind,
    /// Nothing more to apply now: wait for the poll interval or a wake-up.
    CaughtUp,
}

pub trait Follower: Send + Sync + 'static {
    /// For the logs.
    fn name(&self) -> &'static str;

    /// Applies the next batch of events after this follower's cursor and moves the cursor.
    fn step<'a>(&'a self, db: &'a Db) -> BoxFuture<'a, Result<Progress, FollowError>>;

    /// Notified when this node wrote something the follower should see without waiting for the
    /// poll interval.
    fn woken(&self) -> Option<&Notify> {
        None
    }

    /// How often to look for new events when nothing wakes the follower.
    fn poll_every(&self) -> Duration {
        Duration::from_secs(1)
    }
}

/// The followers this node runs, registered at start-up.
#[derive(Default, Clone)]
pub struct Followers(Vec<Arc<dyn Follower>>);

impl Followers {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn register(&mut self, follower: Arc<dyn Follower>) -> &mut Self {
        self.0.push(follower);
        self
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|f| f.name()).collect()
    }
}

/// Runs every registered follower until `shutdown` resolves. A failing step is retried with a
/// backoff that grows with consecutive failures (up to 25 poll intervals).
pub async fn run(db: Db, followers: Followers, shutdown: impl Future<Output = ()>) {
    let (stop, stopped) = watch::channel(false);
    let tasks: Vec<_> = followers
        .0
        .into_iter()
        .map(|f| tokio::spawn(follow(db.clone(), f, stopped.clone())))
        .collect();
    shutdown.await;
    let _ = stop.send(true);
    for task in tasks {
        let _ = task.await;
    }
}

async fn follow(db: Db, follower: Arc<dyn Follower>, mut stopped: watch::Receiver<bool>) {
    let mut failures = 0u32;
    loop {
        let wait = tokio::select! {
            _ = stopped.changed() => return,
            r = follower.step(&db) => match r {
                Ok(Progress::Behind) => { failures = 0; Duration::ZERO }
                Ok(Progress::CaughtUp) => { failures = 0; follower.poll_every() }
                Err(e) => {
                    failures += 1;
                    tracing::warn!(follower = follower.name(), error = %e, "follower failed; retrying");
                    follower.poll_every() * failures.min(25)
                }
            },
        };
        if wait.is_zero() {
            continue;
        }
        let woken = async {
            match follower.woken() {
                Some(n) => n.notified().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = stopped.changed() => return,
            _ = woken => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Where a shared follower stands: the id of the last event it applied (0 before the first).
pub async fn cursor(db: &Db, name: &str) -> Result<i64, StoreError> {
    let at: Option<i64> =
        sqlx::query_scalar("SELECT last_event_id FROM follower_cursors WHERE name = $1")
            .bind(name)
            .fetch_optional(db.reader())
            .await?;
    Ok(at.unwrap_or(0))
}

/// Moves a shared follower's cursor, in the transaction that writes what it applied.
pub async fn save_cursor(tx: &mut Tx, name: &str, last_event_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO follower_cursors (name, last_event_id, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET last_event_id = excluded.last_event_id, updated_at = excluded.updated_at",
    )
    .bind(name)
    .bind(last_event_id)
    .bind(to_micros(now()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
