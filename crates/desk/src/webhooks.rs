//! Delivering webhooks that rules call: a job per delivery, POSTed as JSON with an
//! `Idempotency-Key`, retried with backoff until the receiver answers 2xx, given up (and logged)
//! after `MAX_ATTEMPTS`.

use std::sync::OnceLock;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::{Value, json};

use ferrodesk_store::events::{self, Actor, NewEvent};
use ferrodesk_store::jobs::{self, Job};
use ferrodesk_store::tickets::Ticket;
use ferrodesk_store::{Db, StoreError, Tx, now, to_micros};

pub const DELIVER_JOB: &str = "webhook.deliver";
const MAX_ATTEMPTS: i64 = 8;
const TIMEOUT: Duration = Duration::from_secs(10);

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!("ferrodesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client builds")
    })
}

/// Schedules a delivery of `ticket` to `url`, inside the transaction of the change.
pub async fn schedule(
    tx: &mut Tx,
    url: &str,
    ticket: &Ticket,
    cause: &str,
    at: Timestamp,
    n: usize,
) -> Result<(), StoreError> {
    let key = format!("webhook:{}:{}:{n}", ticket.id, to_micros(at));
    let payload = json!({"url": url, "body": {"cause": cause, "ticket": ticket, "sent_for": at}});
    jobs::schedule(tx, DELIVER_JOB, &key, &payload, at).await
}

/// Runs a delivery job: on 2xx the job is done and `webhook.delivered` logged; otherwise the
/// job is retried, and after the last attempt marked done with `webhook.failed`.
pub async fn deliver(db: &Db, job: &Job) -> Result<(), StoreError> {
    let url = job.payload["url"].as_str().unwrap_or_default().to_string();
    let body = job.payload["body"].clone();
    let ticket_id = body["ticket"]["id"].as_i64().unwrap_or(0);
    let outcome = client()
        .post(&url)
        .header("Idempotency-Key", &job.key)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("{e}"))
        .and_then(|r| {
            if r.status().is_success() {
                Ok(r.status().as_u16())
            } else {
                Err(format!("HTTP {}", r.status()))
            }
        });
    let (kind, data): (&str, Value) = match &outcome {
        Ok(status) => (
            "webhook.delivered",
            json!({"url": url, "status": status, "attempts": job.attempts}),
        ),
        Err(e) if job.attempts >= MAX_ATTEMPTS => (
            "webhook.failed",
            json!({"url": url, "error": e, "attempts": job.attempts}),
        ),
        Err(e) => return Err(StoreError::Schema(format!("webhook to {url}: {e}"))),
    };
    let mut tx = db.begin().await?;
    if jobs::finish(&mut tx, job).await? {
        events::append(
            &mut tx,
            Actor::system(),
            now(),
            &[NewEvent::new("ticket", ticket_id, kind, data)],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

pub fn register(jobs: &mut ferrodesk_store::jobs::JobHandlers) {
    jobs.register(DELIVER_JOB, |db, job| Box::pin(deliver(db, job)));
}
