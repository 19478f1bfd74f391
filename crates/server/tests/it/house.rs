//! The registries the house runs on: job kinds and followers of the event log are registered by
//! the capabilities that own them, and the runners know none of them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;

use ferrodesk_store::followers::{self, FollowError, Follower, Followers, Progress};
use ferrodesk_store::jobs::{self, Job, JobHandlers};
use ferrodesk_store::{Db, StoreError, events};
use ferrodesk_testkit::spawn_app;
use serde_json::json;

use crate::ticket_body;

/// Counts the events it applies; its cursor is shared, so it lives in the database.
struct Counter {
    applied: AtomicI64,
}

const COUNTER: &str = "test-counter";

impl Follower for Counter {
    fn name(&self) -> &'static str {
        COUNTER
    }

    fn step<'a>(
        &'a self,
        db: &'a Db,
    ) -> Pin<Box<dyn Future<Output = Result<Progress, FollowError>> + Send + 'a>> {
        Box::pin(async move {
            let after = followers::cursor(db, COUNTER).await?;
            let batch = events::list_after(db, after, 50).await?;
            let Some(last) = batch.last() else {
                return Ok(Progress::CaughtUp);
            };
            let mut tx = db.begin().await?;
            followers::save_cursor(&mut tx, COUNTER, last.id).await?;
            tx.commit().await?;
            self.applied.fetch_add(batch.len() as i64, Ordering::SeqCst);
            Ok(if batch.len() == 50 {
                Progress::Behind
            } else {
                Progress::CaughtUp
            })
        })
    }

    fn poll_every(&self) -> Duration {
        Duration::from_millis(20)
    }
}

async fn last_event_id(db: &Db) -> i64 {
    sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM events")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .unwrap_or(0)
}

/// Runs the registered followers until the counter's cursor reaches the log's end.
async fn follow_to_end(db: &Db, counter: &Arc<Counter>) {
    let end = last_event_id(db).await;
    let mut registered = Followers::new();
    registered.register(counter.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let runner = tokio::spawn(followers::run(db.clone(), registered, async {
        let _ = stopped.await;
    }));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while followers::cursor(db, COUNTER).await.unwrap() < end {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the follower did not reach event {end}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(());
    runner.await.unwrap();
}

#[tokio::test]
async fn a_registered_follower_applies_every_event_once_across_restarts() {
    let app = spawn_app().await;
    for i in 0..30 {
        app.ticket(
            &app.admin_token,
            ticket_body(&format!("follow{i}@example.com")),
        )
        .await;
    }
    let counter = Arc::new(Counter {
        applied: AtomicI64::new(0),
    });
    follow_to_end(&app.db, &counter).await;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    let seen = counter.applied.load(Ordering::SeqCst);
    assert!(seen >= 60, "30 tickets log at least 60 events; saw {seen}");

    // A restart starts from the stored cursor: only what came after is applied.
    app.ticket(&app.admin_token, ticket_body("after-restart@example.com"))
        .await;
    follow_to_end(&app.db, &counter).await;
    let total_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(
        counter.applied.load(Ordering::SeqCst),
        seen + (total_after - total),
        "each event applied exactly once"
    );
}

static ECHOED: AtomicUsize = AtomicUsize::new(0);

async fn echo(db: &Db, job: &Job) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    if jobs::finish(&mut tx, job).await? {
        tx.commit().await?;
        ECHOED.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[tokio::test]
async fn jobs_run_only_through_the_handler_registered_for_their_kind() {
    // No server: nothing but this test runs the database's jobs.
    let (db, _cleanup) = ferrodesk_testkit::fresh_database().await;
    let mut tx = db.begin().await.unwrap();
    jobs::schedule(
        &mut tx,
        "test.echo",
        "echo-1",
        &json!({}),
        ferrodesk_store::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // A node without a handler for the kind keeps the job (with the reason) for one that has.
    let none = JobHandlers::new();
    jobs::run_due(&db, &none).await.unwrap();
    let (done, error): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT done_at, last_error FROM jobs WHERE key = 'echo-1'")
            .fetch_one(db.reader())
            .await
            .unwrap();
    assert_eq!(done, None);
    assert!(
        error.as_deref().unwrap_or("").contains("test.echo"),
        "{error:?}"
    );
    assert_eq!(ECHOED.load(Ordering::SeqCst), 0);

    sqlx::query("UPDATE jobs SET run_at = 0 WHERE key = 'echo-1'")
        .execute(db.writer())
        .await
        .unwrap();
    let mut registered = JobHandlers::new();
    registered.register("test.echo", |db, job| Box::pin(echo(db, job)));
    jobs::run_due(&db, &registered).await.unwrap();
    assert_eq!(ECHOED.load(Ordering::SeqCst), 1);
    let done: Option<i64> = sqlx::query_scalar("SELECT done_at FROM jobs WHERE key = 'echo-1'")
        .fetch_one(db.reader())
        .await
        .unwrap();
    assert!(done.is_some(), "the registered handler finished the job");
}

#[tokio::test]
async fn a_portal_mail_waits_on_the_jobs_table_until_it_is_sent_or_given_up() {
    use ferrodesk_desk::mailer::{Mail, Mailer, SmtpMailer};
    let (db, _cleanup) = ferrodesk_testkit::fresh_database().await;
    // A mailbox whose SMTP server is down.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let new: ferrodesk_store::mailboxes::NewMailbox = serde_json::from_value(json!({
        "address": "help@down.example", "display_name": "Help", "smtp_host": "127.0.0.1",
        "smtp_port": closed, "smtp_security": "none"
    }))
    .unwrap();
    ferrodesk_store::mailboxes::create(&db, ferrodesk_store::Actor::system(), new)
        .await
        .unwrap();
    SmtpMailer::new(db.clone())
        .send(Mail {
            to: "dana@cust.example".into(),
            subject: "Your sign-in link".into(),
            body: "https://desk.example/portal/link?token=secret".into(),
        })
        .await;
    let job = || async {
        sqlx::query_as::<_, (i64, Option<i64>, Option<String>, String)>(
            "SELECT attempts, done_at, last_error, payload FROM jobs WHERE kind = 'email.notice'",
        )
        .fetch_one(db.reader())
        .await
        .unwrap()
    };
    ferrodesk_desk::jobs::run_due(&db).await.unwrap();
    let (attempts, done, error, payload) = job().await;
    assert_eq!((attempts, done), (1, None), "kept for another attempt");
    assert!(error.as_deref().unwrap_or("").contains("SMTP"), "{error:?}");
    assert!(payload.contains("dana@cust.example"));

    // After the last attempt it is given up, and the link it carried is erased.
    sqlx::query("UPDATE jobs SET attempts = 7, run_at = 0 WHERE kind = 'email.notice'")
        .execute(db.writer())
        .await
        .unwrap();
    ferrodesk_desk::jobs::run_due(&db).await.unwrap();
    let (attempts, done, _, payload) = job().await;
    assert_eq!(attempts, 8);
    assert!(done.is_some());
    assert_eq!(payload, "{}");
}
