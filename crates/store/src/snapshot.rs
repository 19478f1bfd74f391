//! Per-process snapshots of rarely-changing settings (SLA policies, triggers…), so hot paths do
//! not query them per request. Writes through this node clear a snapshot at once; other nodes
//! see a change within `TTL`. Keyed by the snapshot's type, so the database handle carries the
//! caches of capabilities it does not know.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(10);

type Entry = (Instant, Arc<dyn Any + Send + Sync>);

#[derive(Debug, Default)]
pub struct Snapshots(Mutex<HashMap<TypeId, Entry>>);

impl Snapshots {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<TypeId, Entry>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The snapshot of `T`, if one was taken less than `TTL` ago.
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        let entries = self.entries();
        let (at, value) = entries.get(&TypeId::of::<T>())?;
        if at.elapsed() >= TTL {
            return None;
        }
        value.clone().downcast::<T>().ok()
    }

    pub fn put<T: Send + Sync + 'static>(&self, value: Arc<T>) {
        self.entries()
            .insert(TypeId::of::<T>(), (Instant::now(), value));
    }

    pub fn clear<T: Send + Sync + 'static>(&self) {
        self.entries().remove(&TypeId::of::<T>());
    }
}
