//! The email channel in process: the SMTP/LMTP listener (250 only after the message is
//! stored), bounces matched to the reply they report on, the per-sender rate limit (held, not
//! dropped, releasable), auto-acknowledgement per team and language, and mailbox settings.

use std::net::SocketAddr;
use std::time::Duration;

use ferrodesk_channel_email::{Protocol, Running, Settings};
use ferrodesk_testkit::{TestApp, spawn_app};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

async fn listener(app: &TestApp, protocol: Protocol) -> (Running, SocketAddr) {
    let running = ferrodesk_channel_email::start(
        app.db.clone(),
        Settings {
            listen: Some(("127.0.0.1:0".parse().unwrap(), protocol)),
            poll_imap: false,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let addr = running.listening_on.unwrap();
    (running, addr)
}

async fn mailbox(app: &TestApp, body: Value) -> Value {
    let res = app.post("/api/v1/mailboxes", &app.admin_token, body).await;
    assert_eq!(res.status, reqwest::StatusCode::CREATED, "{:?}", res.body);
    res.body
}

/// A line-by-line SMTP client that shows every reply.
struct Dialog {
    lines: tokio::io::Lines<BufReader<tokio::net::tcp::OwnedReadHalf>>,
    write: tokio::net::tcp::OwnedWriteHalf,
}

impl Dialog {
    async fn open(addr: SocketAddr) -> (Self, String) {
        let (read, write) = TcpStream::connect(addr).await.unwrap().into_split();
        let mut d = Dialog {
            lines: BufReader::new(read).lines(),
            write,
        };
        let greeting = d.reply().await;
        (d, greeting)
    }

    /// One reply (the last line of a multi-line one).
    async fn reply(&mut self) -> String {
        loop {
            let line = tokio::time::timeout(Duration::from_secs(10), self.lines.next_line())
                .await
                .expect("a reply within 10 s")
                .unwrap()
                .expect("the server keeps the connection");
            if line.as_bytes().get(3) != Some(&b'-') {
                return line;
            }
        }
    }

    async fn send(&mut self, line: &str) -> String {
        self.write
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap();
        self.reply().await
    }

    /// DATA, the message (dot-stuffed), and the final reply.
    async fn data(&mut self, message: &str) -> String {
        assert!(self.send("DATA").await.starts_with("354"));
        let mut text = String::new();
        for line in message.lines() {
            if line.starts_with('.') {
                text.push('.');
            }
            text.push_str(line);
            text.push_str("\r\n");
        }
        text.push_str(".\r\n");
        self.write.write_all(text.as_bytes()).await.unwrap();
        self.reply().await
    }
}

/// Polls for up to 60 s (the whole suite shares two cores; the answer usually comes in ms).
async fn wait_for<T>(what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    for _ in 0..1200 {
        if let Some(v) = probe().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn tickets_with_subject(app: &TestApp, subject: &str) -> Vec<Value> {
    let list = app.get("/api/v1/tickets?limit=200", &app.admin_token).await;
    list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["subject"] == subject)
        .cloned()
        .collect()
}

/// The spool rows that are not done, and the drain lease: what to look at when mail is stuck.
async fn spool_report(app: &TestApp) -> String {
    type Row = (i64, String, String, Option<String>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, state, source, note, processed_at FROM mail_spool WHERE state <> 'done' ORDER BY id",
    )
    .fetch_all(app.db.reader())
    .await
    .unwrap();
    let lease: Vec<(String, i64)> = sqlx::query_as("SELECT owner, until FROM mail_spool_lease")
        .fetch_all(app.db.reader())
        .await
        .unwrap();
    format!("rows {rows:?}; lease {lease:?}")
}

async fn spool_count(app: &TestApp, state: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM mail_spool WHERE state = $1")
        .bind(state)
        .fetch_one(app.db.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_smtp_listener_stores_before_it_answers_250_and_refuses_unknown_recipients() {
    let app = spawn_app().await;
    mailbox(&app, json!({"address": "help@desk.example", "display_name": "Help", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"})).await;
    let (running, addr) = listener(&app, Protocol::Smtp).await;
    let (mut d, greeting) = Dialog::open(addr).await;
    assert!(greeting.starts_with("220"), "{greeting}");
    assert!(
        d.send("MAIL FROM:<x@example.org>").await.starts_with("503"),
        "hello first"
    );
    assert!(d.send("EHLO client.example.org").await.starts_with("250"));
    assert!(
        d.send("MAIL FROM:<pat@example.org>")
            .await
            .starts_with("250")
    );
    let unknown = d.send("RCPT TO:<nobody@desk.example>").await;
    assert!(unknown.starts_with("550"), "{unknown}");
    assert!(
        d.send("RCPT TO:<Help@Desk.Example>")
            .await
            .starts_with("250")
    );
    let done = d
        .data("From: Pat <pat@example.org>\nTo: help@desk.example\nSubject: Listener test\nMessage-ID: <listener-1@example.org>\n\nHello.\n.leading dot line\n")
        .await;
    assert!(done.starts_with("250"), "{done}");
    // "accepted as N": the spool row exists by the time the client hears 250.
    let spool_id: i64 = done.rsplit(' ').next().unwrap().parse().unwrap();
    let stored: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT source, envelope_from FROM mail_spool WHERE id = $1")
            .bind(spool_id)
            .fetch_optional(app.db.reader())
            .await
            .unwrap();
    assert_eq!(
        stored,
        Some(("smtp".into(), Some("pat@example.org".into())))
    );
    assert!(d.send("QUIT").await.starts_with("221"));
    let ticket = wait_for("the ticket", async || {
        tickets_with_subject(&app, "Listener test").await.pop()
    })
    .await;
    assert_eq!(ticket["channel"], "email");
    let messages = app
        .get(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            &app.admin_token,
        )
        .await;
    let body = messages.body["items"][0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        body.contains("Hello.") && body.contains("\n.leading dot line"),
        "dot-unstuffed: {body:?}"
    );
    running.stop().await;
}

#[tokio::test]
async fn the_lmtp_listener_answers_once_per_recipient() {
    let app = spawn_app().await;
    mailbox(&app, json!({"address": "a@desk.example", "display_name": "A", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"})).await;
    mailbox(&app, json!({"address": "b@desk.example", "display_name": "B", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"})).await;
    let (running, addr) = listener(&app, Protocol::Lmtp).await;
    let (mut d, _) = Dialog::open(addr).await;
    assert!(d.send("EHLO x").await.starts_with("500"), "LMTP wants LHLO");
    assert!(d.send("LHLO x").await.starts_with("250"));
    assert!(
        d.send("MAIL FROM:<pat@example.org>")
            .await
            .starts_with("250")
    );
    assert!(d.send("RCPT TO:<a@desk.example>").await.starts_with("250"));
    assert!(d.send("RCPT TO:<b@desk.example>").await.starts_with("250"));
    let first = d
        .data("From: pat@example.org\nSubject: Two recipients\nMessage-ID: <lmtp-1@example.org>\n\nHi.\n")
        .await;
    let second = d.reply().await;
    assert!(
        first.starts_with("250") && second.starts_with("250"),
        "{first} / {second}"
    );
    wait_for("the ticket", async || {
        tickets_with_subject(&app, "Two recipients").await.pop()
    })
    .await;
    running.stop().await;
}

const STORM: u32 = 35;

#[tokio::test]
async fn a_mail_storm_is_held_not_dropped_and_a_held_message_can_be_released() {
    let app = spawn_app().await;
    mailbox(&app, json!({"address": "help@desk.example", "display_name": "Help", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"})).await;
    let (running, addr) = listener(&app, Protocol::Smtp).await;
    let (mut d, _) = Dialog::open(addr).await;
    d.send("EHLO storm").await;
    for i in 0..STORM {
        assert!(
            d.send("MAIL FROM:<loop@example.org>")
                .await
                .starts_with("250")
        );
        assert!(
            d.send("RCPT TO:<help@desk.example>")
                .await
                .starts_with("250")
        );
        let r = d
            .data(&format!("From: loop@example.org\nSubject: Storm {i}\nMessage-ID: <storm-{i}@example.org>\n\nAgain.\n"))
            .await;
        assert!(r.starts_with("250"), "{r}");
    }
    d.send("QUIT").await;
    let limit = ferrodesk_channel_email::spool::RateLimit::default().per_sender as i64;
    wait_for("the storm processed", async || {
        (spool_count(&app, "done").await + spool_count(&app, "held").await == STORM as i64)
            .then_some(())
    })
    .await;
    assert_eq!(spool_count(&app, "done").await, limit);
    assert_eq!(spool_count(&app, "held").await, STORM as i64 - limit);
    let held = app
        .get("/api/v1/mail/held?limit=200", &app.admin_token)
        .await;
    let items = held.body["items"].as_array().unwrap().clone();
    assert_eq!(items.len() as i64, STORM as i64 - limit, "{:?}", held.body);
    assert_eq!(items[0]["sender"], "loop@example.org");
    assert!(
        items[0]["note"].as_str().unwrap().contains("limit"),
        "{:?}",
        items[0]
    );
    // An agent may not see or release held mail.
    let (_, agent_token) = app
        .agent("agent@test.example", ferrodesk_core::Role::Agent, &[], None)
        .await;
    assert_eq!(
        app.get("/api/v1/mail/held", &agent_token).await.status,
        reqwest::StatusCode::FORBIDDEN
    );
    // The raw message of a held one is kept.
    let raw: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_spool s JOIN raw_messages r ON r.id = s.raw_message_id WHERE s.state = 'held'")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(raw, STORM as i64 - limit);
    let subject_of = |m: &Value| m["id"].as_i64().unwrap();
    let release = app
        .post(
            &format!("/api/v1/mail/held/{}/release", subject_of(&items[0])),
            &app.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(
        release.status,
        reqwest::StatusCode::ACCEPTED,
        "{:?}",
        release.body
    );
    for _ in 0..1200 {
        if spool_count(&app, "done").await == limit + 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        spool_count(&app, "done").await,
        limit + 1,
        "the released message is stored; spool and lease now: {}",
        spool_report(&app).await
    );
    let again = app
        .post(
            &format!("/api/v1/mail/held/{}/release", subject_of(&items[0])),
            &app.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(again.status, reqwest::StatusCode::NOT_FOUND);
    running.stop().await;
}

#[tokio::test]
async fn a_bounce_marks_the_reply_it_reports_on_as_failed_and_opens_no_ticket() {
    let (port, mut sent) = crate::mail::smtp_sink().await;
    let app = spawn_app().await;
    let t = &app.admin_token;
    mailbox(&app, json!({"address": "help@desk.example", "display_name": "Help", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"})).await;
    let ticket = app
        .ticket(t, json!({"subject": "Where is my parcel", "body": "It did not arrive.", "customer": {"email": "gone@example.org"}, "channel": "email"}))
        .await;
    let reply = app
        .post(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            t,
            json!({"body": "It is on its way."}),
        )
        .await;
    tokio::time::timeout(Duration::from_secs(10), sent.recv())
        .await
        .unwrap()
        .unwrap();
    let number = ticket["number"].as_i64().unwrap();
    let own_id = format!("ferrodesk.{}.{number}@desk.example", reply.id());
    wait_for("the reply marked sent", async || {
        let m = app
            .get(&format!("/api/v1/tickets/{}/messages", ticket["id"]), t)
            .await;
        (m.body["items"][1]["delivery_state"] == "sent").then_some(())
    })
    .await;
    let tickets_before = app.get("/api/v1/tickets?limit=200", t).await.body["items"]
        .as_array()
        .unwrap()
        .len();
    let (running, addr) = listener(&app, Protocol::Smtp).await;
    let (mut d, _) = Dialog::open(addr).await;
    d.send("EHLO mx.example.org").await;
    d.send("MAIL FROM:<>").await;
    assert!(
        d.send("RCPT TO:<help@desk.example>")
            .await
            .starts_with("250")
    );
    let dsn = format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: help@desk.example\nSubject: Undelivered Mail Returned to Sender\n\
Auto-Submitted: auto-replied\nMessage-ID: <dsn-77@mx.example.org>\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"XX\"\n\n--XX\nContent-Type: text/plain\n\nDelivery failed.\n\
--XX\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; gone@example.org\n\
Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 mailbox does not exist\n\n--XX\nContent-Type: text/rfc822-headers\n\n\
From: Help <help@desk.example>\nTo: gone@example.org\nSubject: Re: Where is my parcel [#{number}]\nMessage-ID: <{own_id}>\n\n--XX--\n"
    );
    assert!(d.data(&dsn).await.starts_with("250"));
    let failed = wait_for("the reply marked failed", async || {
        let m = app
            .get(&format!("/api/v1/tickets/{}/messages", ticket["id"]), t)
            .await;
        (m.body["items"][1]["delivery_state"] == "failed").then(|| m.body["items"][1].clone())
    })
    .await;
    let error = failed["delivery_error"].as_str().unwrap_or_default();
    assert!(
        error.contains("gone@example.org")
            && error.contains("5.1.1")
            && error.contains("does not exist"),
        "{failed}"
    );
    assert_eq!(spool_count(&app, "bounce").await, 1);
    let tickets_after = app.get("/api/v1/tickets?limit=200", t).await.body["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        tickets_before, tickets_after,
        "a matched bounce opens no ticket"
    );
    let history = app
        .get(&format!("/api/v1/tickets/{}/events", ticket["id"]), t)
        .await;
    assert!(
        history.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "email.bounced"),
        "{:?}",
        history.body
    );
    running.stop().await;
}

#[tokio::test]
async fn new_email_tickets_are_acknowledged_with_the_teams_template_in_the_customers_language() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let team = app.team("Billing", 1).await;
    let patched = app
        .patch(
            &format!("/api/v1/teams/{team}"),
            t,
            json!({"auto_ack": {"en": "Hi {name}, ticket #{number} ({subject}) is with {team}."}}),
        )
        .await;
    assert_eq!(
        patched.status,
        reqwest::StatusCode::OK,
        "{:?}",
        patched.body
    );
    assert_eq!(
        patched.body["auto_ack"]["en"],
        "Hi {name}, ticket #{number} ({subject}) is with {team}."
    );
    mailbox(&app, json!({"address": "billing@desk.example", "display_name": "Billing", "team_id": team, "auto_ack": true,
                         "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"})).await;
    let (running, addr) = listener(&app, Protocol::Smtp).await;
    let (mut d, _) = Dialog::open(addr).await;
    d.send("EHLO x").await;
    let mut deliver = async |from: &str, message: &str| {
        d.send(&format!("MAIL FROM:<{from}>")).await;
        d.send("RCPT TO:<billing@desk.example>").await;
        assert!(d.data(message).await.starts_with("250"));
    };
    deliver("pat@example.org", "From: Pat <pat@example.org>\nSubject: Invoice 12\nMessage-ID: <ack-en@example.org>\n\nPlease resend invoice 12.\n").await;
    deliver("ivan@example.ru", "From: Иван <ivan@example.ru>\nSubject: =?UTF-8?B?0KHRh9GR0YI=?=\nMessage-ID: <ack-ru@example.ru>\nContent-Type: text/plain; charset=utf-8\n\nПришлите, пожалуйста, счёт.\n").await;
    deliver("noreply@example.org", "From: noreply@example.org\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <ack-auto@example.org>\n\nI am away.\n").await;
    let messages_of = async |subject: &str| -> Vec<Value> {
        let ticket = wait_for("the ticket", async || {
            tickets_with_subject(&app, subject).await.pop()
        })
        .await;
        assert_eq!(
            ticket["team_id"], team,
            "the mailbox's team gets the ticket"
        );
        let m = app
            .get(&format!("/api/v1/tickets/{}/messages", ticket["id"]), t)
            .await;
        m.body["items"].as_array().unwrap().clone()
    };
    let en = messages_of("Invoice 12").await;
    assert_eq!(en.len(), 2, "{en:?}");
    assert_eq!(en[1]["author_type"], "system");
    let number = {
        let ticket = tickets_with_subject(&app, "Invoice 12")
            .await
            .pop()
            .unwrap();
        ticket["number"].as_i64().unwrap()
    };
    assert_eq!(
        en[1]["body"],
        format!("Hi Pat, ticket #{number} (Invoice 12) is with Billing.")
    );
    assert_eq!(en[1]["delivery_state"], "queued");
    let ru = messages_of("Счёт").await;
    assert_eq!(ru.len(), 2, "{ru:?}");
    assert!(
        ru[1]["body"]
            .as_str()
            .unwrap()
            .starts_with("Здравствуйте, Иван!"),
        "the built-in Russian text: {:?}",
        ru[1]
    );
    let auto = messages_of("Out of office").await;
    assert_eq!(auto.len(), 1, "automatic mail is never answered: {auto:?}");
    running.stop().await;
}

#[tokio::test]
async fn mailbox_settings_keep_passwords_write_only_and_only_admins_manage_them() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let created = mailbox(&app, json!({"address": "in@desk.example", "display_name": "In", "smtp_host": "smtp.desk.example", "smtp_port": 587,
        "smtp_password": "smtp-secret", "imap_host": "imap.desk.example", "imap_username": "in", "imap_password": "imap-secret"})).await;
    assert_eq!(created["imap_port"], 993, "TLS by default");
    assert_eq!(created["imap_security"], "tls");
    assert_eq!(created["imap_folder"], "INBOX");
    assert_eq!(created["has_imap_password"], true);
    let text = created.to_string();
    assert!(
        !text.contains("smtp-secret") && !text.contains("imap-secret"),
        "{text}"
    );
    let id = created["id"].as_i64().unwrap();
    let bad = app
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            t,
            json!({"imap_security": "ssl3"}),
        )
        .await;
    assert_eq!(
        bad.status,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    assert_eq!(bad.body["error"]["field"], "imap_security");
    let off = app
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            t,
            json!({"imap_host": "", "auto_ack": true}),
        )
        .await;
    assert_eq!(off.status, reqwest::StatusCode::OK, "{:?}", off.body);
    assert_eq!(
        off.body["imap_host"],
        Value::Null,
        "an empty host stops polling"
    );
    assert_eq!(off.body["auto_ack"], true);
    assert_eq!(off.body["has_password"], true, "the SMTP password is kept");
    let (_, agent_token) = app
        .agent("agent@test.example", ferrodesk_core::Role::Agent, &[], None)
        .await;
    for res in [
        app.get("/api/v1/mailboxes", &agent_token).await,
        app.patch(
            &format!("/api/v1/mailboxes/{id}"),
            &agent_token,
            json!({"auto_ack": false}),
        )
        .await,
        app.delete(&format!("/api/v1/mailboxes/{id}"), &agent_token)
            .await,
    ] {
        assert_eq!(res.status, reqwest::StatusCode::FORBIDDEN, "{:?}", res.body);
    }
    assert_eq!(
        app.delete(&format!("/api/v1/mailboxes/{id}"), t)
            .await
            .status,
        reqwest::StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/mailboxes/{id}"), t).await.status,
        reqwest::StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_spooled_message_is_stored_once_even_when_two_drains_race() {
    use ferrodesk_channel_email::spool::{self, NewSpooled, RateLimit, Source, ToProcess};
    let (db, _guard) = ferrodesk_testkit::fresh_database().await;
    // No Message-ID: only the spool itself can stop a second copy.
    let raw = b"From: pat@example.org\r\nSubject: No id\r\n\r\nHello.\r\n".to_vec();
    spool::accept(
        &db,
        &[NewSpooled {
            raw,
            source: Source::Smtp,
            source_key: None,
            mailbox_id: None,
            envelope_from: None,
        }],
        None,
    )
    .await
    .unwrap();
    let batch = spool::pending(&db, 10).await.unwrap();
    let parsed = |b: &Vec<spool::Spooled>| -> Vec<ToProcess> {
        b.iter()
            .map(|s| ToProcess {
                spooled: s.clone(),
                mail: ferrodesk_channel_email::inbound::inbound(&s.raw),
            })
            .collect()
    };
    let first = spool::process(&db, parsed(&batch), RateLimit::default())
        .await
        .unwrap();
    let second = spool::process(&db, parsed(&batch), RateLimit::default())
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        second.is_empty(),
        "the second drain found the rows taken: {second:?}"
    );
    let messages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
        .fetch_one(db.reader())
        .await
        .unwrap();
    assert_eq!(messages, 1);
}

#[tokio::test]
async fn portal_links_are_sent_by_smtp_from_the_default_mailbox() {
    use ferrodesk_desk::mailer::{Mail, Mailer, SmtpMailer};
    let (port, mut sent) = crate::mail::smtp_sink().await;
    let app = spawn_app().await;
    mailbox(&app, json!({"address": "help@desk.example", "display_name": "Help Desk", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"})).await;
    // Queued on the jobs table; the app's job worker sends it.
    SmtpMailer::new(app.db.clone())
        .send(Mail {
            to: "pat@example.org".into(),
            subject: "Your sign-in link".into(),
            body: "Open http://desk.example/portal/link/use?token=abc".into(),
        })
        .await;
    let data = tokio::time::timeout(Duration::from_secs(10), sent.recv())
        .await
        .expect("sent within 10 s")
        .unwrap();
    assert!(data.contains("Subject: Your sign-in link"), "{data}");
    assert!(
        data.contains("pat@example.org") && data.contains("help@desk.example"),
        "{data}"
    );
    assert!(data.contains("token=abc"), "{data}");
}

#[tokio::test]
async fn files_on_an_email_reply_go_out_as_attachments() {
    let (port, mut sent) = crate::mail::smtp_sink().await;
    let app = spawn_app().await;
    let t = &app.admin_token;
    mailbox(&app, json!({"address": "help@desk.example", "display_name": "Help", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"})).await;
    let ticket = app
        .ticket(t, json!({"subject": "Logs please", "body": "What do you need?", "customer": {"email": "pat@example.org"}, "channel": "email"}))
        .await;
    let boundary = "b0undary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nThe report is attached.\r\n\
--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.txt\"\r\nContent-Type: text/plain\r\n\r\nline one\nline two\r\n--{boundary}--\r\n"
    );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{}/messages", ticket["id"])))
        .bearer_auth(t)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::CREATED);
    let data = tokio::time::timeout(Duration::from_secs(10), sent.recv())
        .await
        .expect("sent within 10 s")
        .unwrap();
    assert!(data.contains("multipart/mixed"), "{data}");
    assert!(data.contains("The report is attached."), "{data}");
    assert!(
        data.contains("filename=\"report.txt\"") || data.contains("filename=report.txt"),
        "{data}"
    );
    assert!(
        data.contains("line one") || data.contains("bGluZSBvbmUKbGluZSB0d28="),
        "the file's bytes: {data}"
    );
}

#[tokio::test]
async fn inline_cid_images_in_email_html_show_from_the_messages_attachments() {
    let app = spawn_app().await;
    mailbox(&app, json!({"address": "help@desk.example", "display_name": "Help", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"})).await;
    app.agent(
        "boss@test.example",
        ferrodesk_core::Role::Admin,
        &[],
        Some("correct horse"),
    )
    .await;
    let (running, addr) = listener(&app, Protocol::Smtp).await;
    let (mut d, _) = Dialog::open(addr).await;
    d.send("EHLO x").await;
    d.send("MAIL FROM:<pat@example.org>").await;
    d.send("RCPT TO:<help@desk.example>").await;
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    let r = d
        .data(&format!(
            "From: pat@example.org\nSubject: Screenshot inside\nMessage-ID: <cid-1@example.org>\nMIME-Version: 1.0\n\
Content-Type: multipart/related; boundary=\"R\"\n\n--R\nContent-Type: text/html; charset=utf-8\n\n\
<p>See <img src=\"cid:shot@example.org\" alt=\"shot\"></p>\n--R\nContent-Type: image/png\nContent-ID: <shot@example.org>\n\
Content-Transfer-Encoding: base64\nContent-Disposition: inline\n\n{png}\n--R--\n"
        ))
        .await;
    assert!(r.starts_with("250"), "{r}");
    let ticket = wait_for("the ticket", async || {
        tickets_with_subject(&app, "Screenshot inside").await.pop()
    })
    .await;
    let messages = app
        .get(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            &app.admin_token,
        )
        .await;
    let first = &messages.body["items"][0];
    assert_eq!(
        first["attachments"][0]["content_id"], "shot@example.org",
        "{first}"
    );
    let mid = first["id"].as_i64().unwrap();
    let boss = crate::ui::Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get(&format!("/tickets/{}", ticket["id"])).await;
    assert!(
        page.body.contains(&format!("src=\"/attachments/{mid}/0\"")),
        "the image points at the attachment: {}",
        page.body
    );
    let image = boss.get(&format!("/attachments/{mid}/0")).await;
    assert_eq!(image.status, reqwest::StatusCode::OK);
    running.stop().await;
}

#[tokio::test]
async fn concurrent_smtp_connections_are_each_answered_with_their_own_stored_message() {
    let app = spawn_app().await;
    mailbox(&app, json!({"address": "help@desk.example", "display_name": "Help", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"})).await;
    let (running, addr) = listener(&app, Protocol::Smtp).await;
    let mut tasks = Vec::new();
    for c in 0..8 {
        tasks.push(tokio::spawn(async move {
            let (mut d, _) = Dialog::open(addr).await;
            d.send("EHLO burst").await;
            let mut ids = Vec::new();
            for i in 0..5 {
                d.send(&format!("MAIL FROM:<c{c}@example.org>")).await;
                d.send("RCPT TO:<help@desk.example>").await;
                let r = d
                    .data(&format!("From: c{c}@example.org\nSubject: Burst {c}-{i}\nMessage-ID: <burst-{c}-{i}@example.org>\n\nHi.\n"))
                    .await;
                assert!(r.starts_with("250"), "{r}");
                ids.push(r.rsplit(' ').next().unwrap().parse::<i64>().unwrap());
            }
            d.send("QUIT").await;
            ids
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 40, "each message its own spool row");
    wait_for("all 40 stored", async || {
        (spool_count(&app, "done").await == 40).then_some(())
    })
    .await;
    let subjects: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT subject) FROM tickets WHERE subject LIKE 'Burst %'",
    )
    .fetch_one(app.db.reader())
    .await
    .unwrap();
    assert_eq!(subjects, 40);
    running.stop().await;
}

#[tokio::test]
async fn a_triggers_reply_on_an_email_ticket_is_emailed_but_never_to_automatic_mail() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let trigger = app
        .post(
            "/api/v1/triggers",
            t,
            json!({"name": "Thanks", "position": 1, "event": "ticket.created", "conditions": [],
                   "actions": [{"action": "reply", "body": "Thanks {{customer.name}}, ticket #{{ticket.number}} is in."}]}),
        )
        .await;
    assert_eq!(
        trigger.status,
        reqwest::StatusCode::CREATED,
        "{:?}",
        trigger.body
    );
    mailbox(
        &app,
        json!({"address": "help@desk.example", "display_name": "Help",
                         "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"}),
    )
    .await;
    let (running, addr) = listener(&app, Protocol::Smtp).await;
    let (mut d, _) = Dialog::open(addr).await;
    d.send("EHLO x").await;
    let mut deliver = async |from: &str, message: &str| {
        d.send(&format!("MAIL FROM:<{from}>")).await;
        d.send("RCPT TO:<help@desk.example>").await;
        assert!(d.data(message).await.starts_with("250"));
    };
    deliver(
        "pat@example.org",
        "From: Pat <pat@example.org>\nSubject: Printer\nMessage-ID: <trig-1@example.org>\n\nThe printer jams.\n",
    )
    .await;
    deliver("noreply@example.org", "From: noreply@example.org\nSubject: Away\nAuto-Submitted: auto-replied\nMessage-ID: <trig-2@example.org>\n\nI am away.\n").await;
    let messages_of = async |subject: &str| -> Vec<Value> {
        let ticket = wait_for("the ticket", async || {
            tickets_with_subject(&app, subject).await.pop()
        })
        .await;
        let m = app
            .get(&format!("/api/v1/tickets/{}/messages", ticket["id"]), t)
            .await;
        m.body["items"].as_array().unwrap().clone()
    };
    let normal = messages_of("Printer").await;
    assert_eq!(normal.len(), 2, "{normal:?}");
    assert_eq!(normal[1]["author_type"], "system");
    assert!(
        normal[1]["body"]
            .as_str()
            .unwrap()
            .starts_with("Thanks Pat")
    );
    assert_eq!(
        normal[1]["delivery_state"], "queued",
        "the rule's reply goes out by email: {normal:?}"
    );
    let automatic = messages_of("Away").await;
    assert_eq!(automatic.len(), 2, "the rule still replies in the ticket");
    assert!(
        automatic[1]["delivery_state"].is_null(),
        "but automatic mail is never answered by email: {automatic:?}"
    );
    running.stop().await;
}
