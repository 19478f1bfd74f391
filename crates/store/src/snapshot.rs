//! A per-process snapshot of rarely-changing settings (SLA policies, triggers), so hot paths do
//! not query them per request. Writes through this node clear it at once; other nodes see a
//! change within `TTL`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(crate) const TTL: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub(crate) struct Snapshot<T>(Mutex<Option<(Instant, Arc<T>)>>);

impl<T> Default for Snapshot<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T> Snapshot<T> {
    pub(crate) fn get(&self) -> Option<Arc<T>> {
        let guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .as_ref()
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, v)| v.clone())
    }

    pub(crate) fn put(&self, value: Arc<T>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), value));
    }

    pub(crate) fn clear(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
