//! The `ferrodesk` binary itself: admin commands, seed, serve and demo.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use ferrodesk_testkit::fresh_database_url;
use reqwest::StatusCode;

fn ferrodesk(database: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ferrodesk"));
    // A data directory per command: each server keeps its own search index there.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let data =
        std::env::temp_dir().join(format!("ferrodesk-cli-data-{}-{run}", std::process::id()));
    cmd.arg("--database")
        .arg(database)
        .arg("--data")
        .arg(data)
        .args(args);
    cmd.env_remove("FERRODESK_DATABASE_URL")
        .env("FERRODESK_LOG", "warn");
    cmd
}

fn run_ok(database: &str, args: &[&str]) -> String {
    let out = ferrodesk(database, args).output().expect("run ferrodesk");
    assert!(
        out.status.success(),
        "ferrodesk {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Starts a server command and returns it with the URL it printed.
fn start(database: &str, args: &[&str]) -> (Child, String, Vec<String>) {
    let mut child = ferrodesk(database, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn ferrodesk");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push(line.clone());
        if let Some(rest) = line.strip_prefix("Ferrodesk is running at ") {
            let url = rest.split_whitespace().next().unwrap().to_string();
            // Keep reading what follows (the demo logins) in the background.
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for l in lines.map_while(Result::ok) {
                    let _ = tx.send(l);
                }
            });
            std::thread::sleep(std::time::Duration::from_millis(200));
            seen.extend(rx.try_iter());
            return (child, url, seen);
        }
    }
    let _ = child.kill();
    let status = child.wait();
    panic!("ferrodesk exited without serving ({status:?}): {seen:?}");
}

fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[tokio::test]
async fn admin_commands_create_an_agent_and_a_token_that_works() {
    let (db, _guard) = fresh_database_url().await;
    let migrated = run_ok(&db, &["migrate"]);
    assert!(migrated.contains("schema is at version"), "{migrated}");
    run_ok(
        &db,
        &[
            "admin",
            "create-agent",
            "--email",
            "Boss@Example.com",
            "--name",
            "Boss",
            "--password",
            "a-long-password",
            "--role",
            "admin",
        ],
    );
    let token = run_ok(
        &db,
        &["admin", "create-token", "--email", "boss@example.com"],
    );
    let token = token.trim();
    assert!(
        token.starts_with("fdt_") && !token.contains(char::is_whitespace),
        "only the token is printed: {token:?}"
    );

    let bad = ferrodesk(
        &db,
        &["admin", "create-token", "--email", "nobody@example.com"],
    )
    .output()
    .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no agent has the email"));

    let (child, url, _) = start(&db, &["serve", "--bind", "127.0.0.1:0"]);
    let client = reqwest::Client::new();
    let me = client
        .get(format!("{url}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], "boss@example.com");
    assert_eq!(me["role"], "admin");
    stop(child);
}

#[tokio::test]
async fn seed_loads_tickets_with_conversations() {
    let (db, _guard) = fresh_database_url().await;
    let out = ferrodesk(&db, &["seed", "--tickets", "120"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("seeded 120 tickets"));
    run_ok(
        &db,
        &[
            "admin",
            "create-agent",
            "--email",
            "s@example.com",
            "--name",
            "S",
            "--password",
            "a-long-password",
            "--role",
            "supervisor",
        ],
    );
    let token = run_ok(&db, &["admin", "create-token", "--email", "s@example.com"]);
    let (child, url, _) = start(&db, &["serve", "--bind", "127.0.0.1:0"]);
    let client = reqwest::Client::new();
    let page: serde_json::Value = client
        .get(format!("{url}/api/v1/tickets?limit=200"))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 120);
    let with_team = items.iter().filter(|t| t["team_id"].is_i64()).count();
    assert_eq!(with_team, 120, "every seeded ticket belongs to a line");
    let id = &items[0]["id"];
    let messages: serde_json::Value = client
        .get(format!("{url}/api/v1/tickets/{id}/messages"))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!messages["items"].as_array().unwrap().is_empty());
    let events: serde_json::Value = client
        .get(format!("{url}/api/v1/tickets/{id}/events"))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(events["items"][0]["kind"], "ticket.created");
    // A second run adds to what is there.
    run_ok(&db, &["seed", "--tickets", "30", "--seed", "9"]);
    let page: serde_json::Value = client
        .get(format!("{url}/api/v1/tickets?limit=200"))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 150);
    stop(child);
}

#[tokio::test]
async fn demo_fills_a_fresh_instance_and_prints_logins() {
    let (db, _guard) = fresh_database_url().await;
    let (child, url, lines) = start(&db, &["demo", "--bind", "127.0.0.1:0"]);
    let text = lines.join("\n");
    assert!(text.contains("admin@example.com"), "{text}");
    assert!(text.contains("ferrodesk-demo"), "{text}");
    let client = reqwest::Client::new();
    let login = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "admin@example.com", "password": "ferrodesk-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut total = 0;
    let mut cursor = String::new();
    loop {
        let page: serde_json::Value = client
            .get(format!("{url}/api/v1/tickets?limit=200{cursor}"))
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        total += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(total, 1000);
    let teams: serde_json::Value = client
        .get(format!("{url}/api/v1/teams"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut tiers: Vec<i64> = teams["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tier"].as_i64().unwrap())
        .collect();
    tiers.sort();
    assert_eq!(tiers, [1, 2, 3]);
    stop(child);
}

#[tokio::test]
async fn bad_database_urls_fail_clearly() {
    let out = ferrodesk("mysql://localhost/x", &["migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unsupported database URL scheme \"mysql\""),
        "{err}"
    );
}

#[tokio::test]
async fn settings_come_from_env_and_the_toml_file() {
    let (db, _guard) = fresh_database_url().await;
    let dir = std::env::temp_dir().join(format!("ferrodesk-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // FERRODESK_DATABASE_URL when no flag is given.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ferrodesk"));
    let out = cmd
        .args(["migrate"])
        .env("FERRODESK_DATABASE_URL", &db)
        .env("FERRODESK_LOG", "warn")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A config file names the database and the address.
    let config = dir.join("ferrodesk.toml");
    std::fs::write(
        &config,
        format!("database = \"{db}\"\nbind = \"127.0.0.1:0\"\nlog_format = \"json\"\n"),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferrodesk"))
        .args(["--config", config.to_str().unwrap(), "serve"])
        .env_remove("FERRODESK_DATABASE_URL")
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("Ferrodesk is running at http://127.0.0.1:"),
        "{line}"
    );
    stop(child);

    // Unknown keys in the file are an error that names them.
    std::fs::write(&config, "databse = \"x\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ferrodesk"))
        .args(["--config", config.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown field `databse`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn sla_recompute_gives_seeded_open_tickets_their_deadlines() {
    let (db, _guard) = fresh_database_url().await;
    run_ok(&db, &["seed", "--tickets", "60"]);
    let out = ferrodesk(&db, &["sla", "recompute"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("open tickets") && err.contains("changed") && err.contains("peak RSS"),
        "{err}"
    );
    // Every open seeded ticket now has a policy: a second run changes nothing.
    let again = ferrodesk(&db, &["sla", "recompute"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("(0 changed)"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[tokio::test]
async fn metrics_are_served_only_on_the_metrics_listen_address() {
    let (db, _guard) = ferrodesk_testkit::fresh_database_url().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics_addr = format!("127.0.0.1:{port}");
    let (child, url, _) = start(
        &db,
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--metrics-listen",
            &metrics_addr,
        ],
    );
    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(format!("{url}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        reqwest::StatusCode::OK
    );
    let public = client.get(format!("{url}/metrics")).send().await.unwrap();
    assert_eq!(public.status(), reqwest::StatusCode::NOT_FOUND);
    let metrics = client
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), reqwest::StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("route=\"/healthz\""), "{text}");
    stop(child);
}
