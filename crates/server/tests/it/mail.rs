//! The email channel through the binary: `mail parse` and `mail ingest` (threading,
//! idempotency, loops, malformed mail), checked over the API.

use std::path::Path;
use std::process::Command;

use ferrodesk_testkit::fresh_database_url;
use serde_json::Value;

fn ferrodesk(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ferrodesk"))
        .arg("--database")
        .arg(db)
        .args(args)
        .env("FERRODESK_LOG", "warn")
        .output()
        .expect("run ferrodesk")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text.replace('\n', "\r\n")).unwrap();
    p.display().to_string()
}

#[test]
fn mail_parse_prints_the_named_fields() {
    let dir = tempdir("parse");
    let file = write(
        &dir,
        "m.eml",
        "From: =?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.ru>\nTo: support@example.com, Anna <anna@example.com>\nCc: boss@example.ru\n\
Subject: =?KOI8-R?B?8NLJztTF0g==?= [#10042]\nMessage-ID: <abc@mail.example.ru>\nIn-Reply-To: <prev@x>\nReferences: <first@x> <prev@x>\n\
MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\nПринтер не печатает.\n--b\n\
Content-Type: application/pdf\nContent-Disposition: attachment; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n",
    );
    let out = ferrodesk("sqlite://unused.db", &["mail", "parse", &file, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["from_email"], "ivan@example.ru");
    assert_eq!(v["from_display_name"], "Иван Петров");
    assert_eq!(
        v["to"],
        serde_json::json!(["support@example.com", "Anna <anna@example.com>"])
    );
    assert_eq!(v["cc"], serde_json::json!(["boss@example.ru"]));
    assert_eq!(v["subject"], "Принтер [#10042]");
    assert_eq!(v["message_id"], "abc@mail.example.ru");
    assert_eq!(v["in_reply_to"], "prev@x");
    assert_eq!(v["references"], serde_json::json!(["first@x", "prev@x"]));
    assert_eq!(v["content_type"], "text/plain");
    assert_eq!(
        v["body_text"].as_str().unwrap().trim(),
        "Принтер не печатает."
    );
    let a = &v["attachments"][0];
    assert_eq!(a["filename"], "счёт.pdf");
    assert_eq!(a["size"], 9);
    assert_eq!(a["md5"].as_str().unwrap().len(), 32);
    assert_eq!(a["content_type"], "application/pdf");
    assert_eq!(a["inline"], false);
    for key in ["reply_to", "body_html", "content_id"] {
        assert!(
            v.get(key).is_some() || a.get(key).is_some(),
            "{key} is part of the output"
        );
    }
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "ferrodesk-mail-{tag}-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        % 1_000_000_007
}

/// Tickets and their messages, straight from the database.
async fn tickets(db: &str) -> Vec<(i64, i64, String, String, Option<i64>)> {
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!(
        "{db}{}",
        if db.starts_with("sqlite") {
            "?mode=ro"
        } else {
            ""
        }
    ))
    .await
    .unwrap();
    sqlx::query_as("SELECT id, number, subject, status, linked_ticket_id FROM tickets ORDER BY id")
        .fetch_all(&mut c)
        .await
        .unwrap()
}

async fn message_count(db: &str, ticket: i64) -> i64 {
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(db)
        .await
        .unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE ticket_id = $1")
        .bind(ticket)
        .fetch_one(&mut c)
        .await
        .unwrap()
}

#[tokio::test]
async fn ingest_threads_replies_skips_duplicates_and_keeps_bad_mail() {
    let (db, _guard) = fresh_database_url().await;
    let dir = tempdir("ingest");
    let first = write(
        &dir,
        "1.eml",
        "From: Olga <olga@example.org>\nTo: support@example.com\nSubject: VPN does not connect\nMessage-ID: <m1@example.org>\n\nError 809 since this morning.\n",
    );
    let out = ferrodesk(&db, &["mail", "ingest", &first]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 new tickets"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = tickets(&db).await;
    assert_eq!(t.len(), 1);
    let (id, number) = (t[0].0, t[0].1);

    let replies = tempdir("replies");
    write(
        &replies,
        "2.eml",
        "From: olga@example.org\nSubject: Re: VPN does not connect\nMessage-ID: <m2@example.org>\nIn-Reply-To: <m1@example.org>\n\nStill broken.\n",
    );
    write(
        &replies,
        "3.eml",
        &format!(
            "From: olga@example.org\nSubject: Update [#{number}]\nMessage-ID: <m3@example.org>\n\nWorks from home.\n"
        ),
    );
    write(
        &replies,
        "4.eml",
        "From: olga@example.org\nSubject: Re: VPN does not connect\nMessage-ID: <m2@example.org>\nIn-Reply-To: <m1@example.org>\n\nStill broken.\n",
    );
    write(
        &replies,
        "5.eml",
        "From: vacation@example.org\nAuto-Submitted: auto-replied\nSubject: Out of office\nMessage-ID: <m5@example.org>\n\nAway.\n",
    );
    write(
        &replies,
        "6.eml",
        "Subject: no sender at all\nContent-Type: multipart/mixed; boundary=\"broken\n\n--broken\ngarbage\n",
    );
    let out = ferrodesk(&db, &["mail", "ingest", replies.to_str().unwrap()]);
    let summary = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{summary}");
    assert!(
        summary.contains("2 replies threaded")
            && summary.contains("1 duplicates skipped")
            && summary.contains("2 new tickets"),
        "{summary}"
    );
    assert!(
        summary.contains("2 flagged"),
        "the automatic and the malformed message are flagged: {summary}"
    );
    assert_eq!(
        message_count(&db, id).await,
        3,
        "original + reply by Message-ID + reply by [#number]"
    );
    let t = tickets(&db).await;
    assert_eq!(t.len(), 3);
    assert!(
        t.iter().any(|x| x.2 == "no sender at all"),
        "the malformed message is a ticket too"
    );

    // Ingesting the same folder again changes nothing.
    let again = ferrodesk(&db, &["mail", "ingest", replies.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("4 duplicates skipped"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[tokio::test]
async fn a_reply_to_a_closed_ticket_opens_a_linked_one_and_an_mbox_is_split() {
    let (db, _guard) = fresh_database_url().await;
    let dir = tempdir("closed");
    let mbox = write(
        &dir,
        "box.mbox",
        "From olga@example.org Mon Nov 23 10:00:00 2026\nFrom: olga@example.org\nSubject: Printer\nMessage-ID: <p1@x>\n\nIt jams.\n>From the second tray.\n\n\
From olga@example.org Mon Nov 23 11:00:00 2026\nFrom: olga@example.org\nSubject: Scanner\nMessage-ID: <s1@x>\n\nIt is slow.\n",
    );
    let out = ferrodesk(&db, &["mail", "ingest", &mbox]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 new tickets"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = tickets(&db).await;
    let printer = t.iter().find(|x| x.2 == "Printer").unwrap().0;
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE tickets SET status = 'closed' WHERE id = $1")
        .bind(printer)
        .execute(&mut c)
        .await
        .unwrap();
    let body: String = sqlx::query_scalar("SELECT body_text FROM messages WHERE ticket_id = $1")
        .bind(printer)
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert!(
        body.contains("From the second tray."),
        "mbox quoting undone: {body}"
    );
    let reply = write(
        &dir,
        "r.eml",
        "From: olga@example.org\nSubject: Re: Printer\nMessage-ID: <p2@x>\nIn-Reply-To: <p1@x>\n\nIt jams again.\n",
    );
    ferrodesk(&db, &["mail", "ingest", &reply]);
    let t = tickets(&db).await;
    let follow_up = t
        .iter()
        .find(|x| x.4 == Some(printer))
        .expect("a new ticket linked to the closed one");
    assert_eq!(follow_up.3, "new");
    assert_eq!(
        message_count(&db, printer).await,
        1,
        "the closed ticket is untouched"
    );
}

#[tokio::test]
async fn every_malformed_message_of_the_corpus_becomes_a_ticket() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mail/malformed");
    if !corpus.is_dir() {
        eprintln!("note: {} is absent; skipping", corpus.display());
        return;
    }
    let (db, _guard) = fresh_database_url().await;
    let flat = tempdir("malformed");
    let mut n = 0;
    let mut stack = vec![corpus];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("LICENSE")
            {
                n += 1;
                std::fs::copy(&p, flat.join(format!("{n:03}.eml"))).unwrap();
            }
        }
    }
    let out = ferrodesk(&db, &["mail", "ingest", flat.to_str().unwrap()]);
    let summary = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{summary}");
    assert!(summary.contains(" 0 still waiting"), "{summary}");
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&db)
        .await
        .unwrap();
    let raw: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM raw_messages")
        .fetch_one(&mut c)
        .await
        .unwrap();
    let messages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
        .fetch_one(&mut c)
        .await
        .unwrap();
    println!(
        "malformed corpus: {n} files, {raw} distinct raw messages kept, {messages} ticket messages; {summary}"
    );
    assert!(
        messages >= raw - 5 && raw >= (n as i64) - 10,
        "every message kept and filed"
    );
}

/// A minimal SMTP server for tests: accepts every message and hands over its DATA.
pub(crate) async fn smtp_sink() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            tx.send(data.take().unwrap()).unwrap();
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("AUTH") {
                        b"235 authenticated\r\n"
                    } else if upper.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test]
async fn an_agent_reply_goes_out_by_smtp_and_the_customers_answer_threads_back() {
    let (port, mut inbox) = smtp_sink().await;
    let app = ferrodesk_testkit::spawn_app().await;
    let t = &app.admin_token;
    let mailbox = app
        .post(
            "/api/v1/mailboxes",
            t,
            serde_json::json!({"address": "support@help.example.com", "display_name": "Example Support", "smtp_host": "127.0.0.1",
                               "smtp_port": port, "smtp_security": "none", "smtp_username": "relay", "smtp_password": "s3cret"}),
        )
        .await;
    assert_eq!(
        mailbox.status,
        reqwest::StatusCode::CREATED,
        "{:?}",
        mailbox.body
    );
    assert_eq!(mailbox.body["has_password"], true);
    assert!(
        mailbox.body.get("smtp_password").is_none(),
        "the password is write-only"
    );

    let ticket = app
        .ticket(t, serde_json::json!({"subject": "Invoice copy", "body": "Please resend the invoice.", "customer": {"email": "pat@example.org", "name": "Pat"}, "channel": "email"}))
        .await;
    let reply = app
        .post(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            t,
            serde_json::json!({"body": "Here it is."}),
        )
        .await;
    assert_eq!(reply.body["delivery_state"], "queued", "{:?}", reply.body);
    let sent = tokio::time::timeout(std::time::Duration::from_secs(10), inbox.recv())
        .await
        .expect("mail within 10 s")
        .unwrap();
    let number = ticket["number"].as_i64().unwrap();
    assert!(
        sent.contains(&format!("Subject: Re: Invoice copy [#{number}]")),
        "{sent}"
    );
    assert!(
        sent.contains("From: \"Example Support\" <support@help.example.com>")
            || sent.contains("From: Example Support <support@help.example.com>"),
        "{sent}"
    );
    assert!(sent.contains("pat@example.org"), "{sent}");
    assert!(sent.contains("Here it is."), "{sent}");
    assert!(
        sent.contains("> Please resend the invoice."),
        "the history is quoted: {sent}"
    );
    let own_id = format!("ferrodesk.{}.{number}@help.example.com", reply.id());
    assert!(sent.contains(&format!("Message-ID: <{own_id}>")), "{sent}");
    for _ in 0..50 {
        let messages = app
            .get(&format!("/api/v1/tickets/{}/messages", ticket["id"]), t)
            .await
            .body;
        if messages["items"][1]["delivery_state"] == "sent" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let messages = app
        .get(&format!("/api/v1/tickets/{}/messages", ticket["id"]), t)
        .await
        .body;
    assert_eq!(messages["items"][1]["delivery_state"], "sent");

    // The customer answers the mail: it lands on the same ticket.
    let dir = tempdir("answer");
    let answer = write(
        &dir,
        "a.eml",
        &format!(
            "From: Pat <pat@example.org>\nSubject: Re: Invoice copy\nMessage-ID: <answer@example.org>\nIn-Reply-To: <{own_id}>\n\nGot it, thanks!\n"
        ),
    );
    let db_url = app_database_url(&app).await;
    let out = ferrodesk(&db_url, &["mail", "ingest", &answer]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 replies threaded"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let messages = app
        .get(&format!("/api/v1/tickets/{}/messages", ticket["id"]), t)
        .await
        .body;
    assert_eq!(messages["items"].as_array().unwrap().len(), 3);
}

/// The URL of a test app's database, for driving the binary against it.
async fn app_database_url(app: &ferrodesk_testkit::TestApp) -> String {
    app.database_url.clone()
}

#[tokio::test]
async fn an_attachment_over_the_limit_stays_in_the_raw_message_and_the_message_is_flagged() {
    let (db, _guard) = fresh_database_url().await;
    let dir = tempdir("big-attachment");
    // "xxx" is "eHh4" in base64: a file of x's just over the limit, 76 characters a line.
    let size = (ferrodesk_store::mail::MAX_ATTACHMENT_BYTES / 3 + 1) * 3;
    let line = "eHh4".repeat(19);
    let mut wrapped = vec![line.as_str(); size / 57];
    let tail = "eHh4".repeat(size % 57 / 3);
    wrapped.push(&tail);
    let message = format!(
        "From: Lena <lena@example.org>\nSubject: Logs\nMessage-ID: <big@example.org>\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nLogs attached.\n--b\n\
Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"huge.log\"\nContent-Transfer-Encoding: base64\n\n{}\n--b\n\
Content-Type: text/plain\nContent-Disposition: attachment; filename=\"small.txt\"\n\nsmall\n--b--\n",
        wrapped.join("\n")
    );
    let file = write(&dir, "big.eml", &message);
    let out = ferrodesk(&db, &["mail", "ingest", &file]);
    let summary = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{summary}");
    assert!(
        summary.contains("1 new tickets") && summary.contains("1 flagged"),
        "{summary}"
    );
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&db)
        .await
        .unwrap();
    let files: Vec<String> =
        sqlx::query_scalar("SELECT filename FROM message_attachments ORDER BY position")
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert_eq!(files, vec!["small.txt".to_string()]);
    let (headers, raw_size): (String, i64) = sqlx::query_as(
        "SELECT m.email_headers, r.size FROM messages m JOIN raw_messages r ON r.id = m.raw_message_id",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert!(
        headers.contains("huge.log") && headers.contains("over the 25 MB limit"),
        "{headers}"
    );
    assert!(
        raw_size as usize > size,
        "the raw message keeps the big file"
    );
}

#[tokio::test]
async fn control_characters_in_a_received_subject_are_stored_as_spaces_not_refused() {
    let (db, _guard) = fresh_database_url().await;
    let dir = tempdir("controls");
    // An RFC 2047 word decoding to ESC and BEL: a subject field refuses those when typed.
    let file = write(
        &dir,
        "1.eml",
        "From: Olga <olga@example.org>\nTo: support@example.com\nSubject: =?utf-8?q?Printer=1B_on=07_fire?=\nMessage-ID: <c1@example.org>\n\nIt is on fire.\n",
    );
    let out = ferrodesk(&db, &["mail", "ingest", &file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = tickets(&db).await;
    assert_eq!(t.len(), 1, "the message became a ticket");
    assert_eq!(t[0].2, "Printer  on  fire");
}
