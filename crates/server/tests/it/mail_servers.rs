//! Against real mail servers (`scripts/mailserver.sh`: Postfix delivering over LMTP to
//! Dovecot, on 127.0.0.1; `.ci/run` starts them): a customer's mail becomes a ticket through
//! the IMAP poller, the agent's reply reaches the customer's mailbox with threading headers and
//! the customer's answer lands on the same ticket; Postfix hands mail to Ferrodesk's own LMTP
//! listener; and SIGKILL in the middle of ingesting 5,000 IMAP messages loses and repeats none.
//! Each test skips, saying so, when `FERRODESK_TEST_MAIL` is not set.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ferrodesk_channel_email::{Protocol, Settings};
use ferrodesk_store::Actor;
use ferrodesk_store::mailboxes::{self, NewMailbox};
use ferrodesk_testkit::mailserver::{MailServer, PASSWORD};
use ferrodesk_testkit::{TestApp, spawn_app};
use serde_json::{Value, json};

async fn eventually<T>(what: &str, secs: u64, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if let Some(v) = probe().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out after {secs} s waiting for {what}");
}

/// A mailbox that reads `user`'s INBOX on the test Dovecot and sends through the test Postfix,
/// with `extra` fields (display name, options) added.
fn imap_mailbox(servers: &MailServer, user: &str, extra: Value) -> Value {
    let mut mailbox = json!({"address": user,
        "smtp_host": servers.smtp.ip().to_string(), "smtp_port": servers.smtp.port(), "smtp_security": "none",
        "imap_host": servers.imap.ip().to_string(), "imap_port": servers.imap.port(), "imap_security": "none",
        "imap_username": user, "imap_password": PASSWORD});
    if let (Some(m), Value::Object(extra)) = (mailbox.as_object_mut(), extra) {
        m.extend(extra);
    }
    mailbox
}

async fn ticket_messages(app: &TestApp, id: &Value) -> Vec<Value> {
    app.get(
        &format!("/api/v1/tickets/{id}/messages?limit=50"),
        &app.admin_token,
    )
    .await
    .body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn customer_mail_via_postfix_and_dovecot_becomes_a_ticket_and_the_conversation_threads() {
    let Some(servers) = MailServer::from_env("mail_servers::customer_mail…") else {
        return;
    };
    let support = "support@example.test";
    let customer = "customer@example.test";
    servers.clear(support).await;
    servers.clear(customer).await;
    let app = spawn_app().await;
    let t = &app.admin_token;
    let created = app
        .post(
            "/api/v1/mailboxes",
            t,
            imap_mailbox(
                &servers,
                support,
                json!({"display_name": "Example Support", "auto_ack": true}),
            ),
        )
        .await;
    assert_eq!(
        created.status,
        reqwest::StatusCode::CREATED,
        "{:?}",
        created.body
    );
    let channel = ferrodesk_channel_email::start(
        app.db.clone(),
        Settings {
            imap_interval: Duration::from_secs(2),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    // 1. The customer writes to support: Postfix → LMTP → Dovecot → IMAP poller → ticket.
    let original_id = format!("first-{}@example.test", std::process::id());
    servers
        .send(customer, support, format!(
            "From: Casey Customer <{customer}>\r\nTo: {support}\r\nSubject: Router keeps rebooting\r\nMessage-ID: <{original_id}>\r\n\
Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMy router reboots every hour.\r\n"
        ).as_bytes())
        .await;
    let ticket = eventually("the ticket from IMAP", 30, async || {
        let list = app.get("/api/v1/tickets?limit=50", t).await;
        list.body["items"]
            .as_array()?
            .iter()
            .find(|x| x["subject"] == "Router keeps rebooting")
            .cloned()
    })
    .await;
    assert_eq!(ticket["channel"], "email");
    let number = ticket["number"].as_i64().unwrap();
    let messages = ticket_messages(&app, &ticket["id"]).await;
    assert!(
        messages[0]["body"]
            .as_str()
            .unwrap()
            .contains("reboots every hour")
    );

    // 2. The acknowledgement and the agent's reply reach the customer's mailbox, threaded.
    let reply = app
        .post(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            t,
            json!({"body": "Please update the firmware to 2.1."}),
        )
        .await;
    assert_eq!(
        reply.status,
        reqwest::StatusCode::CREATED,
        "{:?}",
        reply.body
    );
    let inbox = eventually(
        "the acknowledgement and the reply in the customer's mailbox",
        30,
        async || {
            let all = servers.messages(customer).await;
            (all.len() >= 2).then_some(all)
        },
    )
    .await;
    let tag = format!("[#{number}]");
    let agent_reply = inbox
        .iter()
        .map(|(raw, _)| raw)
        .find(|raw| String::from_utf8_lossy(raw).contains("update the firmware"))
        .expect("the agent's reply arrived");
    let ack = inbox
        .iter()
        .map(|(raw, _)| raw)
        .find(|raw| String::from_utf8_lossy(raw).contains("has been registered"))
        .expect("the acknowledgement arrived");
    for raw in [agent_reply, ack] {
        let parsed = ferrodesk_mail::parse(raw);
        let subject = parsed.subject.unwrap_or_default();
        assert!(
            subject.contains(&tag) && subject.starts_with("Re: Router keeps rebooting"),
            "{subject}"
        );
        assert!(
            parsed.references.contains(&original_id),
            "References carry the customer's message: {:?}",
            parsed.references
        );
        assert!(parsed.in_reply_to.is_some());
        assert_eq!(parsed.from_email.as_deref(), Some(support));
    }
    let reply = ferrodesk_mail::parse(agent_reply);
    let reply_id = format!("<{}>", reply.message_id.expect("Message-ID"));
    let reply_references = reply
        .references
        .iter()
        .map(|id| format!("<{id}>"))
        .collect::<Vec<_>>()
        .join(" ");

    // 3. The customer answers the reply: it lands on the same ticket.
    servers
        .send(customer, support, format!(
            "From: Casey Customer <{customer}>\r\nTo: {support}\r\nSubject: Re: Router keeps rebooting {tag}\r\n\
Message-ID: <answer-{}@example.test>\r\nIn-Reply-To: {reply_id}\r\nReferences: {reply_references} {reply_id}\r\n\r\nUpdated, it is stable now. Thanks!\r\n",
            std::process::id()
        ).as_bytes())
        .await;
    let messages = eventually("the customer's answer on the ticket", 30, async || {
        let m = ticket_messages(&app, &ticket["id"]).await;
        m.iter()
            .any(|x| x["body"].as_str().is_some_and(|b| b.contains("stable now")))
            .then_some(m)
    })
    .await;
    let last = messages.last().unwrap();
    assert_eq!(last["author_type"], "customer");
    let tickets = app.get("/api/v1/tickets?limit=50", t).await.body["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(tickets, 1, "the answer threads onto the ticket; no new one");

    // The poller flags messages \Seen once their tickets are committed.
    eventually(
        "the support mailbox's messages flagged seen",
        30,
        async || {
            let all = servers.messages(support).await;
            (all.len() == 2 && all.iter().all(|(_, seen)| *seen)).then_some(())
        },
    )
    .await;
    channel.stop().await;
}

#[tokio::test]
async fn postfix_delivers_to_ferrodesks_own_lmtp_listener() {
    let Some(servers) = MailServer::from_env("mail_servers::postfix_delivers…") else {
        return;
    };
    let app = spawn_app().await;
    let t = &app.admin_token;
    let created = app
        .post("/api/v1/mailboxes", t, json!({"address": "help@direct.example.test", "display_name": "Direct",
            "smtp_host": servers.smtp.ip().to_string(), "smtp_port": servers.smtp.port(), "smtp_security": "none"}))
        .await;
    assert_eq!(
        created.status,
        reqwest::StatusCode::CREATED,
        "{:?}",
        created.body
    );
    let channel = ferrodesk_channel_email::start(
        app.db.clone(),
        Settings {
            listen: Some((servers.listener, Protocol::Lmtp)),
            poll_imap: false,
            ..Default::default()
        },
    )
    .await
    .expect("the listener binds the port Postfix relays to");
    servers
        .send("someone@example.test", "help@direct.example.test",
            b"From: Someone <someone@example.test>\r\nTo: help@direct.example.test\r\nSubject: Straight through LMTP\r\nMessage-ID: <direct-1@example.test>\r\n\r\nHello over LMTP.\r\n")
        .await;
    let ticket = eventually("the ticket from the LMTP listener", 30, async || {
        let list = app.get("/api/v1/tickets?limit=50", t).await;
        list.body["items"]
            .as_array()?
            .iter()
            .find(|x| x["subject"] == "Straight through LMTP")
            .cloned()
    })
    .await;
    let source: String = sqlx::query_scalar("SELECT source FROM mail_spool WHERE ticket_id = $1")
        .bind(ticket["id"].as_i64().unwrap())
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(source, "lmtp");
    channel.stop().await;
}

const CRASH_MESSAGES: usize = 5000;

fn serve(db_url: &str, data: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ferrodesk"))
        .args(["--database", db_url, "--data"])
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("FERRODESK_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start ferrodesk serve")
}

async fn count(db: &ferrodesk_store::Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn sigkill_in_the_middle_of_ingesting_5000_imap_messages_loses_and_repeats_none() {
    let Some(servers) = MailServer::from_env("mail_servers::sigkill…") else {
        return;
    };
    let user = "bulk@example.test";
    servers.clear(user).await;
    let tag = std::process::id();
    let ids: Vec<String> = (0..CRASH_MESSAGES)
        .map(|i| format!("bulk-{tag}-{i}@example.test"))
        .collect();
    let messages: Vec<Vec<u8>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            format!(
                "From: Customer {i} <c{i}@example.org>\r\nTo: {user}\r\nSubject: Bulk request {i}\r\nMessage-ID: <{id}>\r\n\
Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nRequest number {i}.\r\n"
            )
            .into_bytes()
        })
        .collect();
    let started = Instant::now();
    servers.append(user, &messages).await;
    println!(
        "appended {CRASH_MESSAGES} messages by IMAP in {:.1?}",
        started.elapsed()
    );

    let (db, url, _guard) = ferrodesk_testkit::fresh_database_and_url().await;
    mailboxes::create(
        &db,
        Actor::system(),
        serde_json::from_value::<NewMailbox>(imap_mailbox(
            &servers,
            user,
            json!({"display_name": "Bulk"}),
        ))
        .unwrap(),
    )
    .await
    .unwrap();
    let data = std::env::temp_dir().join(format!("ferrodesk-crash-{tag}-{}", rand_suffix()));

    // Kill it as soon as some messages are tickets and others are not.
    let mut server = serve(&url, &data);
    let at_kill = eventually("ingest under way", 120, async || {
        let stored = count(&db, "SELECT COUNT(*) FROM messages").await;
        (stored > 0).then_some(stored)
    })
    .await;
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let spooled = count(&db, "SELECT COUNT(*) FROM mail_spool").await;
    let stored = count(&db, "SELECT COUNT(*) FROM messages").await;
    println!(
        "killed with {stored} of {CRASH_MESSAGES} messages stored ({spooled} accepted from IMAP; {at_kill} seen before the kill)"
    );
    assert!((stored as usize) < CRASH_MESSAGES, "the kill came mid-way");

    // Restart: the rest arrives, nothing twice.
    let restarted = Instant::now();
    let mut server = serve(&url, &data);
    eventually("all messages stored after the restart", 300, async || {
        let stored = count(&db, "SELECT COUNT(*) FROM messages").await;
        let waiting = count(
            &db,
            "SELECT COUNT(*) FROM mail_spool WHERE state = 'pending'",
        )
        .await;
        (stored as usize >= CRASH_MESSAGES && waiting == 0).then_some(())
    })
    .await;
    println!(
        "after the restart, all {CRASH_MESSAGES} stored in {:.1?}",
        restarted.elapsed()
    );
    // Give a duplicate the chance to show up before the final count.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let _ = Command::new("kill").arg(server.id().to_string()).status();
    server.wait().unwrap();
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await as usize,
        CRASH_MESSAGES,
        "each message exactly once"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM tickets").await as usize,
        CRASH_MESSAGES
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM mail_spool").await as usize,
        CRASH_MESSAGES,
        "each UID accepted once"
    );
    let stored_ids: HashSet<String> = sqlx::query_scalar::<_, String>(
        "SELECT email_message_id FROM messages WHERE email_message_id IS NOT NULL",
    )
    .fetch_all(db.reader())
    .await
    .unwrap()
    .into_iter()
    .collect();
    let missing: Vec<&String> = ids.iter().filter(|id| !stored_ids.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "{} messages lost, e.g. {:?}",
        missing.len(),
        missing.first()
    );
    let _ = std::fs::remove_dir_all(&data);
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
}

#[tokio::test]
async fn imap_messages_are_moved_to_the_mailboxs_folder_once_their_tickets_exist() {
    let Some(servers) = MailServer::from_env("mail_servers::imap_messages_are_moved…") else {
        return;
    };
    let user = "moved@example.test";
    servers.clear(user).await;
    let app = spawn_app().await;
    let t = &app.admin_token;
    let created = app
        .post(
            "/api/v1/mailboxes",
            t,
            imap_mailbox(
                &servers,
                user,
                json!({"display_name": "Moves", "imap_move_to": "Processed"}),
            ),
        )
        .await;
    assert_eq!(
        created.status,
        reqwest::StatusCode::CREATED,
        "{:?}",
        created.body
    );
    assert_eq!(created.body["imap_move_to"], "Processed");
    let run = std::process::id();
    let ids: Vec<String> = (1..=3)
        .map(|i| format!("move-{run}-{i}@example.test"))
        .collect();
    let raw: Vec<Vec<u8>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            format!("From: Mo <mo@example.test>\r\nTo: {user}\r\nSubject: Move me {run} {i}\r\nMessage-ID: <{id}>\r\n\r\nPlease.\r\n")
                .into_bytes()
        })
        .collect();
    servers.append(user, &raw).await;
    let channel = ferrodesk_channel_email::start(
        app.db.clone(),
        Settings {
            imap_interval: Duration::from_secs(1),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    eventually("three tickets", 30, async || {
        let list = app.get("/api/v1/tickets?limit=50", t).await;
        let n = list.body["items"]
            .as_array()?
            .iter()
            .filter(|x| {
                x["subject"]
                    .as_str()
                    .is_some_and(|s| s.starts_with(&format!("Move me {run}")))
            })
            .count();
        (n == 3).then_some(())
    })
    .await;
    eventually("the INBOX emptied", 30, async || {
        servers.messages(user).await.is_empty().then_some(())
    })
    .await;
    let moved = servers.messages_in(user, "Processed").await;
    for id in &ids {
        assert!(
            moved
                .iter()
                .any(|(m, seen)| *seen && String::from_utf8_lossy(m).contains(id.as_str())),
            "{id} is in the folder, read"
        );
    }
    channel.stop().await;
}

#[tokio::test]
async fn imap_over_tls_and_starttls_is_polled_with_the_servers_certificate_verified() {
    let Some(servers) = MailServer::from_env("mail_servers::imap_over_tls…") else {
        return;
    };
    let (Some(imaps), Some(ca)) = (servers.imaps, servers.ca.clone()) else {
        eprintln!(
            "SKIPPED mail_servers::imap_over_tls…: FERRODESK_TEST_MAIL has no imaps= and ca="
        );
        return;
    };
    // Verification stays on: the test's CA is trusted, as an admin would trust a company CA.
    let pem = std::fs::read(&ca).expect("the test CA");
    assert!(ferrodesk_channel_email::imap::trust_roots_from_pem(&pem).unwrap() >= 1);
    let app = spawn_app().await;
    let customer = "customer@example.test";
    let cases = [
        ("tls@example.test", imaps, "tls", "127.0.0.1"),
        (
            "starttls@example.test",
            servers.imap,
            "starttls",
            "127.0.0.1",
        ),
        // The certificate names 127.0.0.1 only: under another name it is refused.
        ("wrongname@example.test", imaps, "tls", "localhost"),
    ];
    let mut ids = Vec::new();
    for (user, addr, security, host) in cases {
        servers.clear(user).await;
        let created = app
            .post(
                "/api/v1/mailboxes",
                &app.admin_token,
                imap_mailbox(
                    &servers,
                    user,
                    json!({"display_name": security, "imap_host": host, "imap_port": addr.port(),
                           "imap_security": security}),
                ),
            )
            .await;
        assert_eq!(
            created.status,
            reqwest::StatusCode::CREATED,
            "{:?}",
            created.body
        );
        ids.push(created.body["id"].clone());
    }
    let channel = ferrodesk_channel_email::start(
        app.db.clone(),
        Settings {
            imap_interval: Duration::from_secs(1),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (user, _, security, _) in &cases[..2] {
        let subject = format!("Over {security}");
        servers
            .send(customer, user, format!(
                "From: {customer}\r\nTo: {user}\r\nSubject: {subject}\r\nMessage-ID: <{security}-{}@example.test>\r\n\r\nSent over {security}.\r\n",
                std::process::id()
            ).as_bytes())
            .await;
        eventually(
            &format!("the ticket read over {security}"),
            30,
            async || {
                let list = app.get("/api/v1/tickets?limit=50", &app.admin_token).await;
                list.body["items"]
                    .as_array()?
                    .iter()
                    .find(|x| x["subject"] == subject.as_str())
                    .cloned()
            },
        )
        .await;
    }
    let refused = eventually("the wrong name refused", 30, async || {
        let m = app
            .get(&format!("/api/v1/mailboxes/{}", ids[2]), &app.admin_token)
            .await;
        let status = m.body["imap_status"].as_str()?.to_string();
        status.starts_with("error").then_some(status)
    })
    .await;
    assert!(
        refused.to_lowercase().contains("certificate") || refused.contains("NotValidForName"),
        "{refused}"
    );
    channel.stop().await;
}
