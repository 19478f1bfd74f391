//! View counts, cached per agent for a few seconds (stale-while-revalidate): over a million
//! tickets a count of a busy queue costs tens of milliseconds, so a page shows the last count
//! (at most [`FRESH`] old, or being refreshed in the background) instead of recounting each time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ferrodesk_core::Viewer;
use ferrodesk_store::views::{self, View};
use ferrodesk_store::{Db, StoreError};

/// Counts younger than this are served as they are.
pub const FRESH: Duration = Duration::from_secs(5);
/// Counts older than this are recomputed before answering.
pub const MAX_STALE: Duration = Duration::from_secs(60);

#[derive(Clone)]
struct Entry {
    views: Vec<View>,
    counts: Vec<i64>,
    at: Instant,
    refreshing: bool,
}

#[derive(Default)]
pub struct CountCache {
    entries: Mutex<HashMap<i64, Entry>>,
}

impl CountCache {
    /// The counts of `views` for the viewer.
    pub async fn get(
        self: &Arc<Self>,
        db: &Db,
        viewer: &Viewer,
        views: &[View],
    ) -> Result<Vec<i64>, StoreError> {
        let key = viewer.agent_id;
        let cached = self.entries.lock().expect("count cache").get(&key).cloned();
        if let Some(e) = cached
            && e.views == views
        {
            let age = e.at.elapsed();
            if age < FRESH {
                return Ok(e.counts);
            }
            if age < MAX_STALE {
                if !e.refreshing {
                    if let Some(entry) = self.entries.lock().expect("count cache").get_mut(&key) {
                        entry.refreshing = true;
                    }
                    let (this, db, viewer, list) =
                        (self.clone(), db.clone(), viewer.clone(), views.to_vec());
                    tokio::spawn(async move {
                        let _ = this.compute(&db, &viewer, &list).await;
                    });
                }
                return Ok(e.counts);
            }
        }
        self.compute(db, viewer, views).await
    }

    async fn compute(
        &self,
        db: &Db,
        viewer: &Viewer,
        list: &[View],
    ) -> Result<Vec<i64>, StoreError> {
        let result = views::counts(db, viewer, list).await;
        let mut map = self.entries.lock().expect("count cache");
        match &result {
            Ok(counts) => {
                if map.len() > 10_000 {
                    map.clear();
                }
                map.insert(
                    viewer.agent_id,
                    Entry {
                        views: list.to_vec(),
                        counts: counts.clone(),
                        at: Instant::now(),
                        refreshing: false,
                    },
                );
            }
            Err(_) => {
                map.remove(&viewer.agent_id);
            }
        }
        result
    }

    /// Forgets one agent's counts (after they changed tickets through the page).
    pub fn forget(&self, agent_id: i64) {
        self.entries.lock().expect("count cache").remove(&agent_id);
    }
}
