//! Who is viewing or typing on which ticket, in memory on this node: each open ticket page
//! reports every few seconds and gets back who else is there; entries expire after
//! [`PRESENCE_TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const PRESENCE_TTL: Duration = Duration::from_secs(10);

/// Agent id → (name, typing, last seen).
type Here = HashMap<i64, (String, bool, Instant)>;

#[derive(Default)]
pub struct Presence {
    tickets: Mutex<HashMap<i64, Here>>,
}

impl Presence {
    /// Records that `agent` is on `ticket` (typing or not) and returns the others there.
    pub fn touch(&self, ticket: i64, agent: i64, name: &str, typing: bool) -> Vec<(String, bool)> {
        let mut map = self.tickets.lock().expect("presence lock");
        let now = Instant::now();
        map.retain(|_, agents| {
            agents.retain(|_, (_, _, at)| now.duration_since(*at) < PRESENCE_TTL);
            !agents.is_empty()
        });
        let here = map.entry(ticket).or_default();
        here.insert(agent, (name.to_string(), typing, now));
        let mut others: Vec<(String, bool)> = here
            .iter()
            .filter(|(id, _)| **id != agent)
            .map(|(_, (n, t, _))| (n.clone(), *t))
            .collect();
        others.sort();
        others
    }
}
