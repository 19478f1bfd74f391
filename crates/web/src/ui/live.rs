//! Live updates and collision detection.
//!
//! `/live` is a Server-Sent Events stream fed by following the event log from the moment the
//! page connects (each connection polls `events` after its cursor once a second, re-reading a
//! short window behind it because PostgreSQL may commit ids out of order). It sends only the
//! ids of changed tickets; pages re-fetch what they show, through the usual permission checks.
//!
//! Presence is in memory per node: each open ticket page reports "viewing" or "typing" every
//! few seconds and gets back who else is there; entries expire after [`PRESENCE_TTL`].

use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use ferrodesk_store::views;
use futures_util::stream::Stream;

use crate::shell::AppState;
use crate::shell::i18n::Tr;
use crate::shell::{AgentSession, render};

const POLL: Duration = Duration::from_secs(1);
/// How far behind its cursor a follower re-reads (ids committed out of order).
const REREAD: i64 = 64;

#[derive(Template)]
#[template(path = "agent/presence.html")]
pub struct PresenceFragment {
    pub lines: Vec<String>,
}

#[derive(serde::Deserialize)]
pub struct PresenceForm {
    pub state: Option<String>,
}

pub async fn presence(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Form(f): Form<PresenceForm>,
) -> Response {
    if let Err(e) = ferrodesk_store::tickets::get(&s.db, &me.viewer, id).await {
        return crate::shell::UiError::from_store(e, me.lang).into_response();
    }
    let typing = f.state.as_deref() == Some("typing");
    let others = s.presence.touch(id, me.agent.id, &me.agent.name, typing);
    let tr: Tr = me.tr();
    let lines = others
        .iter()
        .map(|(name, typing)| {
            tr.a(
                if *typing {
                    "presence-typing"
                } else {
                    "presence-viewing"
                },
                "name",
                name,
            )
        })
        .collect();
    render(&PresenceFragment { lines })
}

struct Follower {
    db: ferrodesk_store::Db,
    cursor: i64,
    seen: VecDeque<i64>,
    seen_set: HashSet<i64>,
    queue: VecDeque<String>,
    first: bool,
    start: i64,
}

pub async fn stream(
    State(s): State<AppState>,
    _me: AgentSession,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let cursor = views::latest_event_id(&s.db).await.unwrap_or(0);
    let f = Follower {
        db: s.db.clone(),
        cursor,
        seen: VecDeque::new(),
        seen_set: HashSet::new(),
        queue: VecDeque::new(),
        first: true,
        start: cursor,
    };
    let stream = futures_util::stream::unfold(f, |mut f| async move {
        loop {
            if f.first {
                f.first = false;
                return Some((Ok(Event::default().event("ready").data("ok")), f));
            }
            if let Some(data) = f.queue.pop_front() {
                return Some((Ok(Event::default().event("ticket").data(data)), f));
            }
            tokio::time::sleep(POLL).await;
            let from = (f.cursor - REREAD).max(0);
            let Ok(events) = ferrodesk_store::events::list_after(&f.db, from, 500).await else {
                continue;
            };
            let mut touched: Vec<i64> = Vec::new();
            for e in events {
                f.cursor = f.cursor.max(e.id);
                if e.id <= f.start {
                    continue;
                }
                if !f.seen_set.insert(e.id) {
                    continue;
                }
                f.seen.push_back(e.id);
                if f.seen.len() > 4 * REREAD as usize
                    && let Some(old) = f.seen.pop_front()
                {
                    f.seen_set.remove(&old);
                }
                if e.entity_type == "ticket" && !touched.contains(&e.entity_id) {
                    touched.push(e.entity_id);
                }
            }
            for id in touched {
                f.queue.push_back(id.to_string());
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
