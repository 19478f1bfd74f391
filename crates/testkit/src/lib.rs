//! Test harness: `spawn_app()` runs the real Ferrodesk HTTP server on 127.0.0.1:0 against a
//! fresh database, SQLite by default or PostgreSQL when `FERRODESK_TEST_POSTGRES` holds a server
//! URL (e.g. `postgres://postgres@127.0.0.1:5432`): each app gets its own new database.

pub mod mailserver;

use std::path::PathBuf;
use std::sync::Arc;

use ferrodesk_core::{EmailAddress, Role};
use ferrodesk_search::SearchIndex;
use ferrodesk_store::agents::{self, NewAgent};
use ferrodesk_store::teams::{self, NewTeam};
use ferrodesk_store::{Actor, Backend, Db, DbConfig, auth};
use ferrodesk_web::{AppState, WebConfig};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub const POSTGRES_ENV: &str = "FERRODESK_TEST_POSTGRES";

pub struct TestApp {
    pub base_url: String,
    /// The separate listener serving `/metrics` (as `serve --metrics-listen` does).
    pub metrics_url: String,
    pub db: Db,
    pub client: reqwest::Client,
    /// An admin's API token.
    pub admin_token: String,
    pub admin_id: i64,
    /// The database URL, to drive the `ferrodesk` binary against the same data.
    pub database_url: String,
    /// The app's search index, kept up to date by its follower of the event log.
    pub search: Arc<SearchIndex>,
    search_dir: PathBuf,
    /// Mail the server sent (portal links), kept in memory.
    pub mail: std::sync::Arc<ferrodesk_desk::mailer::MemoryMailer>,
    shutdown: Option<oneshot::Sender<()>>,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    PgDatabase { server: String, name: String },
}

fn random_suffix() -> String {
    let mut buf = [0u8; 6];
    getrandom::fill(&mut buf).expect("random source");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// The backend the suite runs against.
pub fn backend() -> Backend {
    match std::env::var(POSTGRES_ENV) {
        Ok(v) if !v.is_empty() => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// An empty database of the suite's backend: its URL and how to remove it afterwards.
async fn empty_database() -> (String, Cleanup) {
    match std::env::var(POSTGRES_ENV).ok().filter(|v| !v.is_empty()) {
        Some(server) => {
            let server = server.trim_end_matches('/').to_string();
            let name = format!("ferrodesk_test_{}", random_suffix());
            sqlx::any::install_default_drivers();
            let mut admin =
                <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{server}/postgres"))
                    .await
                    .unwrap_or_else(|e| {
                        panic!("{POSTGRES_ENV}={server}: cannot connect to PostgreSQL: {e}")
                    });
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create test database");
            (
                format!("{server}/{name}"),
                Cleanup::PgDatabase { server, name },
            )
        }
        None => {
            let dir = std::env::temp_dir().join(format!("ferrodesk-test-{}", random_suffix()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            (
                format!("sqlite://{}/ferrodesk.db", dir.display()),
                Cleanup::Dir(dir),
            )
        }
    }
}

/// A fresh, migrated database of the suite's backend, and how to remove it afterwards.
async fn fresh_db() -> (Db, Cleanup, String) {
    let (url, cleanup) = empty_database().await;
    let db = Db::connect(&DbConfig {
        url: Some(url.clone()),
        data_dir: PathBuf::from("."),
        max_connections: 4,
    })
    .await
    .expect("connect to the test database");
    db.migrate().await.expect("migrate the test database");
    (db, cleanup, url)
}

/// A fresh database, migrated, without a server (for store-level tests).
pub async fn fresh_database() -> (Db, impl Drop) {
    let (db, cleanup, _) = fresh_db().await;
    (db, CleanupGuard(Some(cleanup)))
}

/// A fresh database, migrated, and its URL (for tests that also run the binary on it).
pub async fn fresh_database_and_url() -> (Db, String, impl Drop) {
    let (db, cleanup, url) = fresh_db().await;
    (db, url, CleanupGuard(Some(cleanup)))
}

struct CleanupGuard(Option<Cleanup>);

impl Drop for CleanupGuard {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.run();
        }
    }
}

impl Cleanup {
    fn run(self) {
        match self {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { server, name } => {
                // Drop runs outside any runtime we may block; use a short-lived one on a thread.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    rt.block_on(async {
                        if let Ok(mut c) = <sqlx::AnyConnection as sqlx::Connection>::connect(
                            &format!("{server}/postgres"),
                        )
                        .await
                        {
                            let _ = sqlx::query(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .execute(&mut c)
                            .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Starts the server on a free port with a fresh database and an admin with a token.
pub async fn spawn_app() -> TestApp {
    let (db, cleanup, database_url) = fresh_db().await;
    let admin = agents::create(
        &db,
        Actor::system(),
        NewAgent {
            email: EmailAddress::parse("admin@test.example").unwrap(),
            name: "Test Admin".into(),
            role: Role::Admin,
            password: None,
            team_ids: vec![],
            locale: None,
            time_zone: None,
        },
    )
    .await
    .expect("create the test admin");
    let admin_token = auth::create_token(
        &db,
        &EmailAddress::parse("admin@test.example").unwrap(),
        "test",
    )
    .await
    .expect("admin token");
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let metrics_listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port for metrics");
    let metrics_url = format!("http://{}", metrics_listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel();
    let search_dir = std::env::temp_dir().join(format!("ferrodesk-index-{}", random_suffix()));
    let search = SearchIndex::open(&search_dir).expect("open the search index");
    let mail = std::sync::Arc::new(ferrodesk_desk::mailer::MemoryMailer::default());
    let state = AppState::new(db.clone(), WebConfig::default())
        .with_search(search.clone())
        .with_mailer(mail.clone());
    let worker_db = db.clone();
    let channel_db = db.clone();
    let (follower_db, follower_index) = (db.clone(), search.clone());
    tokio::spawn(async move {
        let (stop_worker, worker_stopped) = oneshot::channel::<()>();
        let worker = tokio::spawn(ferrodesk_store::jobs::run_worker(
            worker_db,
            ferrodesk_desk::jobs::handlers(),
            async {
                let _ = worker_stopped.await;
            },
        ));
        let (stop_follower, follower_stopped) = oneshot::channel::<()>();
        let mut followers = ferrodesk_store::followers::Followers::new();
        followers.register(Arc::new(ferrodesk_search::IndexFollower(follower_index)));
        let follower = tokio::spawn(ferrodesk_store::followers::run(
            follower_db,
            followers,
            async {
                let _ = follower_stopped.await;
            },
        ));
        // The email channel's spool worker (IMAP pollers and the listener are started by the
        // tests that use them).
        let mail_channel = ferrodesk_channel_email::start(
            channel_db,
            ferrodesk_channel_email::Settings {
                poll_imap: false,
                ..Default::default()
            },
        )
        .await
        .expect("start the email channel");
        let (stop_metrics, metrics_stopped) = oneshot::channel::<()>();
        let metrics = tokio::spawn(ferrodesk_web::serve_metrics(
            metrics_listener,
            state.clone(),
            async {
                let _ = metrics_stopped.await;
            },
        ));
        ferrodesk_web::serve(listener, state, async {
            let _ = rx.await;
        })
        .await
        .expect("server runs");
        let _ = stop_metrics.send(());
        let _ = metrics.await;
        mail_channel.stop().await;
        let _ = stop_worker.send(());
        let _ = stop_follower.send(());
        let _ = worker.await;
        let _ = follower.await;
    });
    TestApp {
        base_url,
        metrics_url,
        db,
        client: reqwest::Client::new(),
        admin_token,
        admin_id: admin.id,
        database_url,
        search,
        search_dir,
        mail,
        shutdown: Some(tx),
        cleanup,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = std::fs::remove_dir_all(&self.search_dir);
        let cleanup = std::mem::replace(&mut self.cleanup, Cleanup::Dir(PathBuf::new()));
        if let Cleanup::Dir(d) = &cleanup
            && d.as_os_str().is_empty()
        {
            return;
        }
        cleanup.run();
    }
}

impl TestApp {
    /// The link in the last mail sent to `to`.
    pub fn last_link_to(&self, to: &str) -> Option<String> {
        let sent = self.mail.sent.lock().unwrap();
        let mail = sent.iter().rev().find(|m| m.to == to)?;
        mail.body
            .split_whitespace()
            .find(|w| w.starts_with("http"))
            .map(str::to_owned)
    }
}

/// An HTTP answer: status and JSON body (`Value::Null` when there is none).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The stable error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }

    pub fn id(&self) -> i64 {
        self.body["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {}", self.body))
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Sends a request with a bearer token (if any) and an optional JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Self::answer(req.send().await.expect("request sent")).await
    }

    pub async fn answer(res: reqwest::Response) -> Answer {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body read");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Answer {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Answer {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Creates a team of `tier` directly in the store; returns its id.
    pub async fn team(&self, name: &str, tier: i64) -> i64 {
        teams::create(
            &self.db,
            Actor::system(),
            NewTeam {
                name: name.into(),
                tier: ferrodesk_core::Tier::new(tier).unwrap(),
                member_ids: vec![],
                assignment: None,
                auto_ack: None,
            },
        )
        .await
        .expect("create team")
        .id
    }

    /// Creates an agent with `role` in `team_ids` (and `password`, if given); returns
    /// (agent id, API token).
    pub async fn agent(
        &self,
        email: &str,
        role: Role,
        team_ids: &[i64],
        password: Option<&str>,
    ) -> (i64, String) {
        let email = EmailAddress::parse(email).unwrap();
        let agent = agents::create(
            &self.db,
            Actor::system(),
            NewAgent {
                email: email.clone(),
                name: email.local_part().to_string(),
                role,
                password: password.map(str::to_owned),
                team_ids: team_ids.to_vec(),
                locale: None,
                time_zone: None,
            },
        )
        .await
        .expect("create agent");
        let token = auth::create_token(&self.db, &email, "test")
            .await
            .expect("token");
        (agent.id, token)
    }

    /// Waits until the search index has applied every event in the log so far (the index
    /// follows the log asynchronously).
    pub async fn indexed(&self) {
        let target = ferrodesk_store::search_source::max_id(&self.db, "events")
            .await
            .expect("read the event log");
        let mut cursor = self.search.subscribe();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            {
                let c = cursor.borrow_and_update();
                if c.built && c.last >= target {
                    return;
                }
            }
            self.search.wake();
            tokio::select! {
                _ = cursor.changed() => {}
                _ = tokio::time::sleep(std::time::Duration::from_millis(20)) => {}
                _ = tokio::time::sleep_until(deadline) => panic!("the search index did not catch up with event {target} in 30 s"),
            }
        }
    }

    /// Opens a ticket through the API as `token`'s agent; returns the ticket JSON.
    pub async fn ticket(&self, token: &str, body: Value) -> Value {
        let a = self.post("/api/v1/tickets", token, body).await;
        assert_eq!(a.status, StatusCode::CREATED, "create ticket: {:?}", a.body);
        a.body
    }
}

/// A fresh, empty database for driving the `ferrodesk` binary: the value for `--database` (an
/// SQLite file URL or a PostgreSQL URL) and a guard that removes it.
pub async fn fresh_database_url() -> (String, impl Drop) {
    let (url, cleanup) = empty_database().await;
    (url, CleanupGuard(Some(cleanup)))
}
