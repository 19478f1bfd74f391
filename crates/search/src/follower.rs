//! Keeping the index in step with the database: a full [`rebuild`], and [`follow`], which
//! re-indexes the entities each new event of the log touches.
//!
//! Event ids on PostgreSQL are not committed in order (a transaction that commits later may
//! hold a smaller id), so the follower remembers the ids it skipped over — the gaps below the
//! highest id it read — and looks for them again on each poll until they appear or are older
//! than [`GAP_TIMEOUT_US`] (then they belonged to transactions that rolled back). The cursor,
//! gaps included, is stored with each commit of the index.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use ferrodesk_kb as kb;
use ferrodesk_store::events::{self, Event};
use ferrodesk_store::followers::{FollowError, Follower, Progress};
use ferrodesk_store::search_source::{self as source, Select};
use ferrodesk_store::{Db, now, to_micros};
use futures_util::future::BoxFuture;
use tantivy::TantivyDocument;

use crate::docs::{self, ARTICLE, CUSTOMER, ORGANIZATION, TICKET};
use crate::{SearchError, SearchIndex};

/// Events read per poll.
const BATCH_EVENTS: i64 = 2000;
/// Rows read per batch during a rebuild.
const REBUILD_BATCH: i64 = 2000;
/// A gap in the event ids older than this is a rolled-back transaction, not a late one.
pub const GAP_TIMEOUT_US: i64 = 60_000_000;
/// At most this many gaps are remembered.
const MAX_GAPS: usize = 10_000;
/// How often the follower looks at the log when nothing wakes it (each look that finds events
/// ends in a commit; under a write load, longer batches cost less).
const POLL: Duration = Duration::from_millis(1000);
/// A customer whose name changes has their tickets re-indexed, up to this many (and an
/// organisation's rename, its customers).
const MAX_TICKETS_PER_CUSTOMER: usize = 10_000;

/// Where the index stands in the event log.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cursor {
    /// The highest event id applied; 0 before the first build.
    pub last: i64,
    /// Ids below `last` not seen yet, with when they were first missed (µs).
    #[serde(default)]
    pub gaps: Vec<(i64, i64)>,
    /// Set once the index has been built from the database.
    #[serde(default)]
    pub built: bool,
}

impl Cursor {
    /// Advances over `events` (read after `last`) and `late` (found among the gaps).
    fn advance(&self, events: &[Event], late: &[Event], now_us: i64) -> Cursor {
        let found: BTreeSet<i64> = late.iter().map(|e| e.id).collect();
        let mut gaps: Vec<(i64, i64)> = self
            .gaps
            .iter()
            .copied()
            .filter(|(id, since)| !found.contains(id) && now_us - since < GAP_TIMEOUT_US)
            .collect();
        let mut last = self.last;
        for e in events {
            if e.id > last + 1 {
                let skipped = (e.id - last - 1) as usize;
                let from = e.id - skipped.min(MAX_GAPS) as i64;
                gaps.extend((from..e.id).map(|id| (id, now_us)));
            }
            last = last.max(e.id);
        }
        if gaps.len() > MAX_GAPS {
            gaps.drain(..gaps.len() - MAX_GAPS);
        }
        Cursor {
            last,
            gaps,
            built: self.built,
        }
    }
}

/// Entities to re-index, by document type.
#[derive(Default)]
struct Touched {
    ids: BTreeMap<&'static str, BTreeSet<i64>>,
    customers_renamed: BTreeSet<i64>,
    organizations_renamed: BTreeSet<i64>,
}

impl Touched {
    fn add(&mut self, e: &Event) {
        let kind = match e.entity_type.as_str() {
            "ticket" => TICKET,
            "customer" => {
                if e.kind != "customer.created" {
                    self.customers_renamed.insert(e.entity_id);
                }
                CUSTOMER
            }
            "organization" => {
                if e.kind == "organization.updated" {
                    self.organizations_renamed.insert(e.entity_id);
                }
                ORGANIZATION
            }
            "kb_article" => {
                if e.kind == "kb_article.voted" {
                    return;
                }
                ARTICLE
            }
            _ => return,
        };
        self.ids.entry(kind).or_default().insert(e.entity_id);
    }

    fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Reads the current state of the touched entities: documents to write, keys to delete.
async fn load(
    db: &Db,
    index: &SearchIndex,
    mut touched: Touched,
) -> Result<(Vec<tantivy::Term>, Vec<TantivyDocument>), SearchError> {
    for org in std::mem::take(&mut touched.organizations_renamed) {
        let customers = source::customer_ids_of_organization(db, org).await?;
        let set = touched.ids.entry(CUSTOMER).or_default();
        set.extend(customers.into_iter().take(MAX_TICKETS_PER_CUSTOMER));
    }
    for customer in std::mem::take(&mut touched.customers_renamed) {
        let tickets = source::ticket_ids_of_customer(db, customer).await?;
        let set = touched.ids.entry(TICKET).or_default();
        set.extend(tickets.into_iter().take(MAX_TICKETS_PER_CUSTOMER));
    }
    let f = &index.fields;
    let mut deletes = Vec::new();
    let mut docs_out = Vec::new();
    for (kind, ids) in &touched.ids {
        let ids: Vec<i64> = ids.iter().copied().collect();
        for chunk in ids.chunks(500) {
            for id in chunk {
                deletes.push(index.key_term(kind, *id));
            }
            let select = Select::Ids(chunk);
            match *kind {
                TICKET => docs_out.extend(
                    source::tickets(db, select)
                        .await?
                        .iter()
                        .map(|t| docs::ticket(f, t)),
                ),
                CUSTOMER => docs_out.extend(
                    source::customers(db, select)
                        .await?
                        .iter()
                        .map(|c| docs::customer(f, c)),
                ),
                ORGANIZATION => docs_out.extend(
                    source::organizations(db, select)
                        .await?
                        .iter()
                        .map(|o| docs::organization(f, o)),
                ),
                _ => docs_out.extend(
                    kb::articles_for_index(db, Some(chunk), 0, 0)
                        .await?
                        .iter()
                        .map(|a| docs::article(f, a)),
                ),
            }
        }
    }
    Ok((deletes, docs_out))
}

/// Applies deletes and additions and commits with `cursor`, on the blocking pool.
async fn write(
    index: &Arc<SearchIndex>,
    deletes: Vec<tantivy::Term>,
    additions: Vec<TantivyDocument>,
    cursor: Cursor,
) -> Result<(), SearchError> {
    let index = index.clone();
    tokio::task::spawn_blocking(move || {
        {
            let writer = index.writer();
            for t in deletes {
                writer.delete_term(t);
            }
            for d in additions {
                writer.add_document(d)?;
            }
        }
        index.commit(cursor)
    })
    .await
    .map_err(|e| SearchError::Other(e.to_string()))?
}

/// Applies the events after the cursor (and late ones in its gaps); returns how many events
/// were read, so the caller knows whether more are waiting.
pub async fn poll(db: &Db, index: &Arc<SearchIndex>) -> Result<usize, SearchError> {
    let cursor = index.cursor();
    let fresh = events::list_after(db, cursor.last, BATCH_EVENTS).await?;
    let gap_ids: Vec<i64> = cursor.gaps.iter().map(|(id, _)| *id).collect();
    let mut late = Vec::new();
    for chunk in gap_ids.chunks(500) {
        late.extend(events::list_by_ids(db, chunk).await?);
    }
    let next = cursor.advance(&fresh, &late, to_micros(now()));
    if next == cursor {
        return Ok(0);
    }
    let mut touched = Touched::default();
    for e in late.iter().chain(&fresh) {
        touched.add(e);
    }
    let (deletes, additions) = if touched.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        load(db, index, touched).await?
    };
    write(index, deletes, additions, next).await?;
    Ok(fresh.len())
}

/// Rebuilds the whole index from the database. `progress(done, total)` is called as rows are
/// indexed. Returns how many documents were indexed.
pub async fn rebuild(
    db: &Db,
    index: &Arc<SearchIndex>,
    mut progress: impl FnMut(u64, u64),
) -> Result<u64, SearchError> {
    // Events after this one are applied by the follower; a short window before it is replayed
    // too, for transactions that committed late (PostgreSQL).
    let last_event = source::max_id(db, "events").await?;
    let mut total = 0u64;
    for table in ["tickets", "customers", "organizations", "kb_articles"] {
        total += source::count(db, table).await? as u64;
    }
    {
        let writer = index.writer();
        writer.delete_all_documents()?;
    }
    let mut done = 0u64;
    progress(0, total);
    let f = index.fields;

    // Tickets: read the next batch while the previous one is handed to the writer.
    let max_ticket = source::max_id(db, "tickets").await?;
    let mut lo = 1;
    let mut pending: Option<tokio::task::JoinHandle<Result<(), SearchError>>> = None;
    while lo <= max_ticket {
        let hi = lo + REBUILD_BATCH - 1;
        let batch = source::tickets(db, Select::Range(lo, hi)).await?;
        if let Some(p) = pending.take() {
            p.await.map_err(|e| SearchError::Other(e.to_string()))??;
        }
        done += batch.len() as u64;
        let index2 = index.clone();
        pending = Some(tokio::task::spawn_blocking(move || {
            let writer = index2.writer();
            for t in &batch {
                writer.add_document(docs::ticket(&f, t))?;
            }
            Ok(())
        }));
        progress(done, total);
        lo = hi + 1;
    }
    if let Some(p) = pending.take() {
        p.await.map_err(|e| SearchError::Other(e.to_string()))??;
    }

    let add_all = |docs: Vec<TantivyDocument>| -> Result<u64, SearchError> {
        let writer = index.writer();
        let n = docs.len() as u64;
        for d in docs {
            writer.add_document(d)?;
        }
        Ok(n)
    };
    let max_customer = source::max_id(db, "customers").await?;
    let mut lo = 1;
    while lo <= max_customer {
        let hi = lo + REBUILD_BATCH * 5 - 1;
        let batch = source::customers(db, Select::Range(lo, hi)).await?;
        done += add_all(batch.iter().map(|c| docs::customer(&f, c)).collect())?;
        progress(done, total);
        lo = hi + 1;
    }
    let max_org = source::max_id(db, "organizations").await?;
    let orgs = source::organizations(db, Select::Range(1, max_org)).await?;
    done += add_all(orgs.iter().map(|o| docs::organization(&f, o)).collect())?;
    let mut after = 0;
    loop {
        let batch = kb::articles_for_index(db, None, after, REBUILD_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        done += add_all(batch.iter().map(|a| docs::article(&f, a)).collect())?;
    }
    progress(done, total);
    let cursor = Cursor {
        last: (last_event - 256).max(0),
        gaps: Vec::new(),
        built: true,
    };
    let index2 = index.clone();
    tokio::task::spawn_blocking(move || index2.commit(cursor))
        .await
        .map_err(|e| SearchError::Other(e.to_string()))??;
    Ok(done)
}

/// This node's search index as a follower of the event log: builds the index first if it
/// never was, then applies new events as they come (polling, or at once when
/// [`SearchIndex::wake`] is called). Its cursor is committed with the index.
pub struct IndexFollower(pub Arc<SearchIndex>);

impl Follower for IndexFollower {
    fn name(&self) -> &'static str {
        "search"
    }

    fn step<'a>(&'a self, db: &'a Db) -> BoxFuture<'a, Result<Progress, FollowError>> {
        Box::pin(async move {
            let index = &self.0;
            if !index.cursor().built {
                let started = std::time::Instant::now();
                let n = rebuild(db, index, |_, _| {}).await?;
                tracing::info!(
                    documents = n,
                    secs = started.elapsed().as_secs_f64(),
                    "search index built"
                );
                return Ok(Progress::Behind);
            }
            let applied = poll(db, index).await?;
            Ok(if applied as i64 >= BATCH_EVENTS {
                Progress::Behind
            } else {
                Progress::CaughtUp
            })
        })
    }

    fn woken(&self) -> Option<&tokio::sync::Notify> {
        Some(self.0.woken())
    }

    fn poll_every(&self) -> Duration {
        POLL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: i64) -> Event {
        Event {
            id,
            occurred_at: jiff::Timestamp::UNIX_EPOCH,
            actor_type: ferrodesk_core::AuthorKind::System,
            actor_id: None,
            entity_type: "ticket".into(),
            entity_id: 1,
            kind: "ticket.created".into(),
            data: serde_json::Value::Null,
        }
    }

    #[test]
    fn skipped_ids_are_remembered_until_found_or_stale() {
        let c = Cursor {
            last: 10,
            ..Default::default()
        };
        let c = c.advance(&[ev(11), ev(14)], &[], 1_000);
        assert_eq!(c.last, 14);
        assert_eq!(c.gaps, vec![(12, 1_000), (13, 1_000)]);
        // 12 commits late: found; 13 never does and is dropped after the timeout.
        let c = c.advance(&[], &[ev(12)], 2_000);
        assert_eq!(c.gaps, vec![(13, 1_000)]);
        let c = c.advance(&[], &[], 1_000 + GAP_TIMEOUT_US);
        assert!(c.gaps.is_empty());
        assert_eq!(c.last, 14);
    }
}
