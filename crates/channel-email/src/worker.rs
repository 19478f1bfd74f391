//! Drains the inbound spool: parses waiting messages (on blocking threads, in parallel) and
//! hands them to the store in batches, one transaction per batch.

use std::time::Duration;

use crate::spool::{self, Processed, RateLimit, ToProcess};
use ferrodesk_store::mail::IngestKind;
use ferrodesk_store::{Db, StoreError};
use tokio::sync::watch;

use crate::inbound::inbound;

/// Messages per transaction. Larger batches amortise the commit; smaller ones keep the
/// writer free for agents' requests.
pub const BATCH: i64 = 200;
/// The longest pause after a failed drain.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Renewed after every batch; a node that dies holds up the spool at most this long.
const LEASE: Duration = Duration::from_secs(10);

/// Counts of what a drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainStats {
    pub new_tickets: u64,
    pub replies: u64,
    pub duplicates: u64,
    pub flagged: u64,
    pub held: u64,
    pub bounces: u64,
}

impl DrainStats {
    pub fn total(&self) -> u64 {
        self.new_tickets + self.replies + self.duplicates + self.held + self.bounces
    }

    fn add(&mut self, p: &Processed) {
        match p {
            Processed::Stored(o) => {
                match o.kind {
                    IngestKind::NewTicket | IngestKind::FollowUp => self.new_tickets += 1,
                    IngestKind::Reply => self.replies += 1,
                    IngestKind::Duplicate => self.duplicates += 1,
                }
                if o.flagged {
                    self.flagged += 1;
                }
            }
            Processed::Held => self.held += 1,
            Processed::Bounce { .. } => self.bounces += 1,
        }
    }
}

/// Parses raw messages on the blocking pool, split across the machine's cores.
async fn parse_all(batch: Vec<spool::Spooled>) -> Vec<ToProcess> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = batch.len().div_ceil(workers).max(1);
    let mut batch = batch;
    let mut chunks = Vec::new();
    while !batch.is_empty() {
        let rest = batch.split_off(chunk.min(batch.len()));
        chunks.push(std::mem::replace(&mut batch, rest));
    }
    let handles: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            tokio::task::spawn_blocking(move || {
                ferrodesk_store::affinity::unpin_current_thread();
                chunk
                    .into_iter()
                    .map(|mut spooled| {
                        let mail = inbound(&spooled.raw);
                        // The raw bytes are stored already; no need to carry them on.
                        spooled.raw = Vec::new();
                        ToProcess { spooled, mail }
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut out = Vec::new();
    for h in handles {
        out.extend(h.await.expect("parsing never panics"));
    }
    out
}

/// Processes waiting messages until none are left (or another node holds the lease).
/// `progress` is called after each batch with the running totals.
pub async fn drain(
    db: &Db,
    owner: &str,
    limit: RateLimit,
    mut progress: impl FnMut(&DrainStats),
) -> Result<DrainStats, StoreError> {
    let mut stats = DrainStats::default();
    if !spool::take_lease(db, owner, LEASE).await? {
        return Ok(stats);
    }
    let result: Result<(), StoreError> = async {
        loop {
            let batch = spool::pending(db, BATCH).await?;
            if batch.is_empty() {
                return Ok(());
            }
            let parsed = parse_all(batch).await;
            for p in spool::process(db, parsed, limit).await? {
                stats.add(&p);
            }
            progress(&stats);
            if !spool::take_lease(db, owner, LEASE).await? {
                return Ok(());
            }
        }
    }
    .await;
    let released = spool::release_lease(db, owner).await;
    result?;
    released?;
    Ok(stats)
}

/// Drains the spool whenever mail is accepted on this node, and every few seconds for mail
/// accepted on others, until `shutdown` turns true.
pub async fn run(db: Db, owner: String, limit: RateLimit, mut shutdown: watch::Receiver<bool>) {
    let mut backoff = Duration::from_millis(200);
    loop {
        match drain(&db, &owner, limit, |_| {}).await {
            Ok(stats) => {
                if stats.total() > 0 {
                    tracing::info!(?stats, "inbound mail processed");
                }
                backoff = Duration::from_millis(200);
            }
            Err(e) => {
                tracing::warn!(error = %e, "processing inbound mail failed; will retry");
                tokio::time::sleep(backoff).await;
                // Retries stay frequent: an error here is usually a busy moment, and mail
                // waiting in the spool is mail a customer is waiting on.
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
        tokio::select! {
            _ = db.mail_spooled().notified() => {},
            _ = tokio::time::sleep(Duration::from_secs(3)) => {},
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
