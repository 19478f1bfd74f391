//! A short-lived cache of API token → acting agent, so a request does not pay a database query
//! to learn who sent it. Entries live `TTL`; changes to agents and teams made through this node
//! clear it at once, other nodes see them within `TTL`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ferrodesk_core::Viewer;

pub const TTL: Duration = Duration::from_secs(10);
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<String, (Viewer, Instant)>>,
}

impl AuthCache {
    /// The agent for a token's hash, if cached and fresh.
    pub fn get(&self, token_hash: &str) -> Option<Viewer> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token_hash)
            .filter(|(_, at)| at.elapsed() < TTL)
            .map(|(v, _)| v.clone())
    }

    pub fn put(&self, token_hash: String, viewer: Viewer) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (_, at)| at.elapsed() < TTL);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(token_hash, (viewer, Instant::now()));
    }

    /// Forgets everything: called after any change to agents, teams or memberships.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrodesk_core::Role;

    fn viewer(id: i64) -> Viewer {
        Viewer {
            agent_id: id,
            role: Role::Agent,
            team_ids: vec![1],
        }
    }

    #[test]
    fn caches_until_cleared() {
        let cache = AuthCache::default();
        assert!(cache.get("h").is_none());
        cache.put("h".into(), viewer(3));
        assert_eq!(cache.get("h").map(|v| v.agent_id), Some(3));
        cache.clear();
        assert!(cache.get("h").is_none());
    }

    #[test]
    fn stays_bounded() {
        let cache = AuthCache::default();
        for i in 0..(MAX_ENTRIES as i64 + 5) {
            cache.put(format!("h{i}"), viewer(i));
        }
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
