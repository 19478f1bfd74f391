//! The second round of the workspace, portal and admin pages: attachments (reply box, portal,
//! API) and who may download them, the history in words, calendars edited and deleted, and the
//! supervisors' part of the admin area.

use ferrodesk_core::Role;
use ferrodesk_testkit::{TestApp, spawn_app};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::json;

use crate::ui::{Browser, Page};

const BOUNDARY: &str = "ferrodeskTestBoundary7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body with text fields and files (name, filename, bytes).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        out.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        out.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: text/plain\r\n\r\n"
            )
            .as_bytes(),
        );
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

async fn post_multipart(b: &Browser, path: &str, body: Vec<u8>) -> Page {
    let mut req = b
        .client
        .post(format!("{}{path}", b.base))
        .header(CONTENT_TYPE, multipart_type())
        .body(body);
    if !b.cookie.is_empty() {
        req = req.header(COOKIE, &b.cookie);
    }
    let res = req.send().await.unwrap();
    Page {
        status: res.status(),
        location: res
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default(),
        set_cookie: None,
        body: res.text().await.unwrap(),
    }
}

/// Downloads a file: status, `Content-Disposition`, bytes.
async fn download(b: &Browser, path: &str) -> (StatusCode, String, Vec<u8>) {
    let mut req = b.client.get(format!("{}{path}", b.base));
    if !b.cookie.is_empty() {
        req = req.header(COOKIE, &b.cookie);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let disposition = res
        .headers()
        .get(CONTENT_DISPOSITION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, disposition, res.bytes().await.unwrap().to_vec())
}

async fn portal_sign_up(app: &TestApp, email: &str) -> Browser {
    Browser::portal_sign_up(app, email).await
}

/// The `/…/attachments/{message}/{position}` links of a page, in order.
fn attachment_links(body: &str, prefix: &str) -> Vec<String> {
    let needle = format!("href=\"{prefix}/attachments/");
    body.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &body[i + 6..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn attachments_in_the_reply_box_the_portal_and_the_api() {
    let app = spawn_app().await;
    let front = app.team("Front", 1).await;
    let back = app.team("Back office", 1).await;
    app.agent("boss@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    let (_, outsider_token) = app
        .agent(
            "outsider@test.example",
            Role::Agent,
            &[back],
            Some("correct horse"),
        )
        .await;
    let _ = front;

    // The customer opens a request with a file.
    let alice = portal_sign_up(&app, "alice%40cust.example").await;
    let form = alice.get("/portal/new").await;
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    let csrf = Browser::csrf(&form);
    let refused = post_multipart(
        &alice,
        "/portal/new",
        multipart(
            &[("subject", "No token"), ("body", "x")],
            &[("files", "a.txt", b"a")],
        ),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "CSRF applies to forms with files"
    );
    let created = post_multipart(
        &alice,
        "/portal/new",
        multipart(
            &[
                ("_csrf", &csrf),
                ("subject", "Wrong invoice"),
                ("body", "The receipt is attached."),
                ("category", ""),
            ],
            &[
                ("files", "receipt.txt", b"total: 42 EUR"),
                ("files", "", b""),
            ],
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let request_path = created.location.clone();
    let ticket_id: i64 = request_path.rsplit('/').next().unwrap().parse().unwrap();
    let page = alice.get(&request_path).await;
    assert!(page.body.contains("receipt.txt"), "{}", page.body);
    let links = attachment_links(&page.body, "/portal");
    assert_eq!(links.len(), 1, "the empty file input adds nothing");
    let (status, disposition, bytes) = download(&alice, &links[0]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("receipt.txt"));
    assert_eq!(bytes, b"total: 42 EUR");

    // The agent sees the file, adds a note with a file and a public reply with another.
    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let ticket = boss.get(&format!("/tickets/{ticket_id}")).await;
    assert_eq!(ticket.status, StatusCode::OK);
    assert!(ticket.body.contains("receipt.txt"));
    assert!(ticket.body.contains("id=\"reply-files\""));
    let csrf = Browser::csrf(&ticket);
    let note = post_multipart(
        &boss,
        &format!("/tickets/{ticket_id}/reply"),
        multipart(
            &[
                ("_csrf", &csrf),
                ("kind", "note"),
                ("body", "Internal: the ledger"),
            ],
            &[("files", "ledger.txt", b"secret numbers")],
        ),
    )
    .await;
    assert_eq!(note.status, StatusCode::SEE_OTHER);
    assert!(note.location.ends_with("done=note"), "{}", note.location);
    let reply = post_multipart(
        &boss,
        &format!("/tickets/{ticket_id}/reply"),
        multipart(
            &[
                ("_csrf", &csrf),
                ("kind", "reply"),
                ("body", "Here is the corrected invoice."),
            ],
            &[("files", "invoice-fixed.txt", b"total: 40 EUR")],
        ),
    )
    .await;
    assert!(reply.location.ends_with("done=reply"), "{}", reply.location);
    let ticket = boss.get(&format!("/tickets/{ticket_id}")).await;
    let agent_links = attachment_links(&ticket.body, "");
    assert_eq!(agent_links.len(), 3, "{agent_links:?}");
    let note_link = agent_links[1].clone();
    let (status, _, bytes) = download(&boss, &note_link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, b"secret numbers");
    assert!(
        ticket.body.contains("file attached: ledger.txt"),
        "the history names the new files"
    );

    // The customer sees the reply's file but never the note's, even by its address.
    let page = alice.get(&request_path).await;
    assert!(page.body.contains("invoice-fixed.txt"));
    assert!(!page.body.contains("ledger.txt"));
    let portal_links = attachment_links(&page.body, "/portal");
    assert_eq!(portal_links.len(), 2);
    let (status, _, bytes) = download(&alice, &portal_links[1]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, b"total: 40 EUR");
    let (status, _, bytes) = download(&alice, &format!("/portal{note_link}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an internal note's file");
    assert!(!String::from_utf8_lossy(&bytes).contains("secret numbers"));

    // Another customer and an agent outside the ticket's scope are refused (the customer as
    // if the file did not exist).
    let bob = portal_sign_up(&app, "bob%40other.example").await;
    let (status, _, _) = download(&bob, &portal_links[0]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = download(&Browser::new(&app), &portal_links[0]).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "signed out: to the sign-in page"
    );
    let outsider = app
        .get(&format!("/api/v1{note_link}"), &outsider_token)
        .await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN);
    assert_eq!(outsider.code(), "ticket_forbidden");

    // The customer replies with a file; too large a file is refused with a clear message.
    let page = alice.get(&request_path).await;
    let csrf = Browser::csrf(&page);
    let answered = post_multipart(
        &alice,
        &format!("/portal/requests/{ticket_id}/reply"),
        multipart(
            &[("_csrf", &csrf), ("body", "Thanks, photo attached")],
            &[("files", "photo.txt", b"not really a photo")],
        ),
    )
    .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    assert_eq!(answered.location, request_path);
    let big = vec![b'x'; 10 * 1024 * 1024 + 1];
    let too_big = post_multipart(
        &alice,
        &format!("/portal/requests/{ticket_id}/reply"),
        multipart(
            &[("_csrf", &csrf), ("body", "huge")],
            &[("files", "huge.bin", &big)],
        ),
    )
    .await;
    assert_eq!(too_big.status, StatusCode::SEE_OTHER, "{}", too_big.body);
    assert!(
        too_big.location.ends_with("error=attachment_too_large"),
        "{}",
        too_big.location
    );
    // Beyond what any upload may be, the body is cut off with a page saying why.
    let huge = vec![b'x'; crate::MAX_UPLOAD_TEST_BYTES];
    let cut = post_multipart(
        &alice,
        &format!("/portal/requests/{ticket_id}/reply"),
        multipart(
            &[("_csrf", &csrf), ("body", "huge")],
            &[("files", "huge.bin", &huge)],
        ),
    )
    .await;
    assert_eq!(cut.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(cut.body.contains("at most 10 MB each"), "{}", cut.body);
    let shown = alice.get(&too_big.location).await;
    assert!(shown.body.contains("at most 10 MB each"), "{}", shown.body);
    let page = alice.get(&request_path).await;
    assert!(page.body.contains("photo.txt"));
    assert!(!page.body.contains("huge"));

    // The API: the same message endpoint takes files, and lists them on messages.
    let sent = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{ticket_id}/messages")))
        .bearer_auth(&app.admin_token)
        .header(CONTENT_TYPE, multipart_type())
        .body(multipart(
            &[("body", "Logs attached"), ("internal", "true")],
            &[("file", "logs.txt", b"line 1\nline 2")],
        ))
        .send()
        .await
        .unwrap();
    let sent = TestApp::answer(sent).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    assert_eq!(sent.body["internal"], true);
    assert_eq!(sent.body["attachments"][0]["filename"], "logs.txt");
    assert_eq!(sent.body["attachments"][0]["size"], 13);
    let mid = sent.body["id"].as_i64().unwrap();
    let file = app
        .client
        .get(app.url(&format!("/api/v1/attachments/{mid}/0")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.unwrap().as_ref(), b"line 1\nline 2");
    let bad = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{ticket_id}/messages")))
        .bearer_auth(&app.admin_token)
        .header(CONTENT_TYPE, multipart_type())
        .body(multipart(
            &[("body", "too many")],
            &(0..11)
                .map(|_| ("file", "f.txt", b"x".as_slice()))
                .collect::<Vec<_>>(),
        ))
        .send()
        .await
        .unwrap();
    let bad = TestApp::answer(bad).await;
    assert_eq!(bad.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(bad.code(), "attachment_too_large");
    let listed = app
        .get(
            &format!("/api/v1/tickets/{ticket_id}/messages?limit=50"),
            &app.admin_token,
        )
        .await;
    let files: Vec<&str> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["attachments"].as_array().unwrap())
        .map(|a| a["filename"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "receipt.txt",
            "ledger.txt",
            "invoice-fixed.txt",
            "photo.txt",
            "logs.txt"
        ]
    );
    // JSON still works.
    let plain = app
        .post(
            &format!("/api/v1/tickets/{ticket_id}/messages"),
            &app.admin_token,
            json!({"body": "plain JSON", "internal": true}),
        )
        .await;
    assert_eq!(plain.status, StatusCode::CREATED);
    assert_eq!(plain.body["attachments"], json!([]));
}

#[tokio::test]
async fn the_history_names_sla_rule_and_merge_events() {
    let app = spawn_app().await;
    app.agent("boss@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    let t = &app.admin_token;
    let m = app
        .post(
            "/api/v1/macros",
            t,
            json!({"name": "Ask for logs", "actions": [{"action": "add_tags", "tags": ["logs"]}]}),
        )
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{:?}", m.body);
    let ticket = app
        .ticket(
            t,
            json!({"subject": "Crash", "body": "it crashed", "customer": {"email": "h@example.com"}}),
        )
        .await;
    let other = app
        .ticket(
            t,
            json!({"subject": "Crash again", "body": "again", "customer": {"email": "h@example.com"}}),
        )
        .await;
    let id = ticket["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/tickets/{id}/macros/{}", m.id()),
        t,
        json!({}),
    )
    .await;
    app.post(
        &format!("/api/v1/tickets/{id}/messages"),
        t,
        json!({"body": "On it.", "internal": false}),
    )
    .await;
    let merged = app
        .post(
            &format!("/api/v1/tickets/{}/merge", other["id"]),
            t,
            json!({"into": id}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    let kinds: Vec<String> = app
        .get(&format!("/api/v1/tickets/{id}/events?limit=100"), t)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(kinds.contains(&"sla.started".to_string()), "{kinds:?}");

    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get(&format!("/tickets/{id}")).await;
    for expected in [
        "ticket created",
        "SLA clock started: first response, due",
        "macro “Ask for logs” applied",
        "SLA target met: first response",
        "another ticket merged into this one",
    ] {
        assert!(page.body.contains(expected), "missing {expected:?}");
    }
    for raw in [
        "sla.started",
        "macro.applied",
        "ticket.merged_from",
        "other change",
    ] {
        assert!(!page.body.contains(raw), "raw kind {raw:?} shown");
    }
    assert!(
        page.body
            .contains(&format!("href=\"/tickets/{}\"", other["id"]))
    );

    // In Russian, in the reader's zone.
    let settings = boss.get("/settings").await;
    let csrf = Browser::csrf(&settings);
    let saved = boss
        .post(
            "/settings",
            &format!("_csrf={csrf}&locale=ru&time_zone=Asia%2FTokyo"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = boss.get(&format!("/tickets/{id}")).await;
    assert!(page.body.contains("запущен срок SLA: первый ответ, до"));
    assert!(page.body.contains("применён макрос «Ask for logs»"));
    let created = ticket["created_at"].as_str().unwrap();
    let tokyo = created
        .parse::<jiff::Timestamp>()
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo").unwrap())
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    assert!(page.body.contains(&tokyo), "times in the agent's zone");
}

#[tokio::test]
async fn calendars_are_edited_and_deleted_unless_in_use() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let (_, agent_token) = app
        .agent("plain@test.example", Role::Agent, &[], None)
        .await;
    let hours = json!({"tz": "Europe/Moscow", "hours": {"mon": [["09:00", "18:00"]]}});
    let cal = app
        .post(
            "/api/v1/calendars",
            t,
            json!({"name": "Moscow", "definition": hours}),
        )
        .await;
    assert_eq!(cal.status, StatusCode::CREATED, "{:?}", cal.body);
    let id = cal.id();

    let renamed = app
        .patch(
            &format!("/api/v1/calendars/{id}"),
            t,
            json!({"name": "Moscow office", "definition": {"tz": "Europe/Moscow", "hours": {"mon": [["10:00", "19:00"]], "tue": [["10:00", "19:00"]]}}}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["name"], "Moscow office");
    assert!(renamed.body["definition"]["hours"]["tue"].is_array());
    let bad = app
        .patch(
            &format!("/api/v1/calendars/{id}"),
            t,
            json!({"definition": {"tz": "Mars/Olympus", "hours": {}}}),
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    let refused = app
        .patch(
            &format!("/api/v1/calendars/{id}"),
            &agent_token,
            json!({"name": "Mine"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let missing = app
        .patch("/api/v1/calendars/999999", t, json!({"name": "x"}))
        .await;
    assert_eq!(missing.code(), "calendar_not_found");

    let policy = app
        .post(
            "/api/v1/sla-policies",
            t,
            json!({"name": "Moscow urgent", "position": 1, "conditions": {"priorities": ["urgent"]},
                   "first_response_min": 30, "calendar_id": id}),
        )
        .await;
    assert_eq!(policy.status, StatusCode::CREATED, "{:?}", policy.body);
    let in_use = app.delete(&format!("/api/v1/calendars/{id}"), t).await;
    assert_eq!(in_use.status, StatusCode::CONFLICT);
    assert_eq!(in_use.code(), "calendar_in_use");
    assert!(
        in_use.message().contains("Moscow urgent"),
        "{}",
        in_use.message()
    );
    assert_eq!(
        app.delete(&format!("/api/v1/calendars/{id}"), &agent_token)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The admin page edits, and reports the refusal.
    app.agent("boss@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get("/admin/settings/calendars").await;
    assert!(
        page.body
            .contains(&format!("action=\"/admin/settings/calendars/{id}\""))
    );
    let csrf = Browser::csrf(&page);
    let saved = boss
        .post(
            &format!("/admin/settings/calendars/{id}"),
            &format!(
                "_csrf={csrf}&json={}",
                urlencode(r#"{"name": "Moscow HQ"}"#)
            ),
        )
        .await;
    assert!(saved.location.contains("done=1"), "{}", saved.location);
    assert_eq!(
        app.get(&format!("/api/v1/calendars/{id}"), t).await.body["name"],
        "Moscow HQ"
    );
    let refused = boss
        .post(
            &format!("/admin/settings/calendars/{id}/delete"),
            &format!("_csrf={csrf}"),
        )
        .await;
    assert!(
        refused.location.contains("error=calendar_in_use"),
        "{}",
        refused.location
    );
    let shown = boss.get(&refused.location).await;
    assert!(shown.body.contains("SLA policies use this calendar"));

    // Once no policy uses it, it goes.
    app.delete(&format!("/api/v1/sla-policies/{}", policy.id()), t)
        .await;
    let gone = boss
        .post(
            &format!("/admin/settings/calendars/{id}/delete"),
            &format!("_csrf={csrf}"),
        )
        .await;
    assert!(gone.location.contains("done=1"), "{}", gone.location);
    assert_eq!(
        app.get(&format!("/api/v1/calendars/{id}"), t).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("/api/v1/calendars/{id}"), t)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn supervisors_manage_macros_but_not_agents_or_sla() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    app.agent(
        "sup@test.example",
        Role::Supervisor,
        &[team],
        Some("correct horse"),
    )
    .await;
    app.agent(
        "plain@test.example",
        Role::Agent,
        &[team],
        Some("correct horse"),
    )
    .await;
    let sup = Browser::sign_in(&app, "sup%40test.example", "correct horse").await;
    let home = sup.get("/").await;
    assert!(
        home.body.contains("href=\"/admin\""),
        "the admin link shows"
    );
    let admin = sup.get("/admin").await;
    assert_eq!(admin.status, StatusCode::SEE_OTHER);
    assert_eq!(admin.location, "/admin/settings/macros");
    let page = sup.get("/admin/settings/macros").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("href=\"/admin/agents\""),
        "nav hides admin pages"
    );
    let csrf = Browser::csrf(&page);
    let created = sup
        .post(
            "/admin/settings/macros",
            &format!(
                "_csrf={csrf}&json={}",
                urlencode(r#"{"name": "Thanks", "actions": [{"action": "add_tags", "tags": ["thanked"]}]}"#)
            ),
        )
        .await;
    assert!(created.location.contains("done=1"), "{}", created.location);
    let macros = app.get("/api/v1/macros", &app.admin_token).await;
    let id = macros.body[0]["id"].as_i64().unwrap();
    let page = sup.get("/admin/settings/macros").await;
    let deleted = sup
        .post(
            &format!("/admin/settings/macros/{id}/delete"),
            &format!("_csrf={csrf}"),
        )
        .await;
    assert!(deleted.location.contains("done=1"));

    // A canned response without JSON: text, status and tags; it works like any macro.
    assert!(page.body.contains("id=\"canned-form\""));
    let canned = sup
        .post(
            "/admin/settings/macros/canned",
            &format!(
                "_csrf={csrf}&name=Ask+for+a+photo&kind=reply&body=Hello+%7B%7Bcustomer.name%7D%7D%2C+please+send+a+photo.&status=pending&tags=photo%2C+waiting"
            ),
        )
        .await;
    assert!(canned.location.contains("done=1"), "{}", canned.location);
    let macros = app.get("/api/v1/macros", &app.admin_token).await;
    let photo = macros
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Ask for a photo")
        .unwrap()
        .clone();
    let ticket = app
        .ticket(
            &app.admin_token,
            json!({"subject": "Broken", "body": "b", "customer": {"email": "p@example.com", "name": "Pat"}}),
        )
        .await;
    let applied = app
        .post(
            &format!("/api/v1/tickets/{}/macros/{}", ticket["id"], photo["id"]),
            &app.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{:?}", applied.body);
    assert_eq!(applied.body["status"], "pending");
    assert_eq!(applied.body["tags"], json!(["photo", "waiting"]));
    let messages = app
        .get(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            &app.admin_token,
        )
        .await;
    assert_eq!(
        messages.body["items"][1]["body"],
        "Hello Pat, please send a photo."
    );
    let empty = sup
        .post(
            "/admin/settings/macros/canned",
            &format!("_csrf={csrf}&name=&kind=reply&body=x"),
        )
        .await;
    assert!(empty.location.contains("error="), "{}", empty.location);

    // Triggers: read-only; organisations: theirs; the rest: admins'.
    let triggers = sup.get("/admin/settings/triggers").await;
    assert_eq!(triggers.status, StatusCode::OK);
    assert!(
        !triggers
            .body
            .contains("action=\"/admin/settings/triggers\"")
    );
    let refused = sup
        .post(
            "/admin/settings/triggers",
            &format!("_csrf={csrf}&json=%7B%7D"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(sup.get("/admin/organizations").await.status, StatusCode::OK);
    let automations = sup.get("/admin/settings/automations").await;
    assert_eq!(automations.status, StatusCode::OK, "automations: read-only");
    assert!(
        !automations
            .body
            .contains("action=\"/admin/settings/automations\"")
    );
    let refused = sup
        .post(
            "/admin/settings/automations",
            &format!("_csrf={csrf}&json=%7B%7D"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    for path in [
        "/admin/agents",
        "/admin/teams",
        "/admin/settings/sla",
        "/admin/settings/calendars",
    ] {
        let p = sup.get(path).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}");
        assert!(p.body.contains("Only admins may do this"), "{path}");
    }

    let plain = Browser::sign_in(&app, "plain%40test.example", "correct horse").await;
    assert!(!plain.get("/").await.body.contains("href=\"/admin\""));
    let plain_csrf = Browser::csrf(&plain.get("/settings").await);
    let refused = plain
        .post(
            "/admin/settings/macros/canned",
            &format!("_csrf={plain_csrf}&name=Mine&kind=reply&body=x"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    for path in [
        "/admin",
        "/admin/settings/macros",
        "/admin/settings/triggers",
        "/admin/organizations",
    ] {
        let p = plain.get(path).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}");
        assert!(p.body.contains("Only supervisors and admins"), "{path}");
    }
}

#[tokio::test]
async fn tags_are_renamed_merged_and_removed_everywhere() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let team = app.team("Front", 1).await;
    app.agent(
        "sup@test.example",
        Role::Supervisor,
        &[team],
        Some("correct horse"),
    )
    .await;
    let (_, plain_token) = app
        .agent(
            "plain@test.example",
            Role::Agent,
            &[team],
            Some("correct horse"),
        )
        .await;
    let mut ids = Vec::new();
    for tags in [
        json!(["billing", "vip"]),
        json!(["invoice", "vip"]),
        json!(["invoice"]),
    ] {
        let ticket = app
            .ticket(
                t,
                json!({"subject": "Tagged", "body": "b", "customer": {"email": "tags@example.com"}, "tags": tags}),
            )
            .await;
        ids.push(ticket["id"].as_i64().unwrap());
    }
    let listed = app.get("/api/v1/tags?limit=2", t).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(
        listed.body["items"],
        json!([{"name": "billing", "tickets": 1}, {"name": "invoice", "tickets": 2}])
    );
    let cursor = listed.body["next_cursor"].as_str().unwrap().to_string();
    let rest = app.get(&format!("/api/v1/tags?cursor={cursor}"), t).await;
    assert_eq!(rest.body["items"], json!([{"name": "vip", "tickets": 2}]));

    // A plain agent may not; a supervisor merges "invoice" into "billing" on the page.
    let refused = app
        .post(
            "/api/v1/tags/rename",
            &plain_token,
            json!({"from": "invoice", "to": "billing"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let sup = Browser::sign_in(&app, "sup%40test.example", "correct horse").await;
    let page = sup.get("/admin/tags").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("invoice"));
    let csrf = Browser::csrf(&page);
    let merged = sup
        .post(
            "/admin/tags/rename",
            &format!("_csrf={csrf}&from=invoice&to=Billing"),
        )
        .await;
    assert!(merged.location.contains("done=1"), "{}", merged.location);
    assert_eq!(tags_of(&app, ids[0]).await, json!(["billing", "vip"]));
    assert_eq!(tags_of(&app, ids[1]).await, json!(["billing", "vip"]));
    assert_eq!(tags_of(&app, ids[2]).await, json!(["billing"]));
    let history = app
        .get(&format!("/api/v1/tickets/{}/events?limit=100", ids[1]), t)
        .await;
    let change = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|e| e["kind"] == "ticket.updated" && e["data"]["field"] == "tags")
        .unwrap()
        .clone();
    assert_eq!(change["data"]["old"], json!(["invoice", "vip"]));
    assert_eq!(change["data"]["new"], json!(["billing", "vip"]));
    assert_eq!(change["actor_type"], "agent");

    // Removing a tag everywhere; an unknown one is reported.
    let removed = sup
        .post("/admin/tags/delete", &format!("_csrf={csrf}&name=vip"))
        .await;
    assert!(removed.location.contains("done=1"));
    assert_eq!(tags_of(&app, ids[0]).await, json!(["billing"]));
    let gone = app.delete("/api/v1/tags/vip", t).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.code(), "tag_not_found");
    let api_removed = app.delete("/api/v1/tags/billing", t).await;
    assert_eq!(api_removed.body["tickets"], 3);
    let plain = Browser::sign_in(&app, "plain%40test.example", "correct horse").await;
    assert_eq!(plain.get("/admin/tags").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn agents_create_and_revoke_their_api_tokens() {
    let app = spawn_app().await;
    app.agent("me@test.example", Role::Agent, &[], Some("correct horse"))
        .await;
    let me = Browser::sign_in(&app, "me%40test.example", "correct horse").await;
    let page = me.get("/settings").await;
    assert!(page.body.contains("API tokens"));
    let csrf = Browser::csrf(&page);
    let created = me
        .post("/settings/tokens", &format!("_csrf={csrf}&name=CRM+sync"))
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let at = created.body.find("id=\"new-token\">").unwrap() + 15;
    let token = created.body[at..at + created.body[at..].find('<').unwrap()].to_string();
    let who = app.get("/api/v1/me", &token).await;
    assert_eq!(who.status, StatusCode::OK, "{:?}", who.body);
    assert_eq!(who.body["email"], "me@test.example");
    let page = me.get("/settings").await;
    assert!(page.body.contains("CRM sync"));
    assert!(!page.body.contains(&token), "the secret is shown once");
    let empty = me
        .post("/settings/tokens", &format!("_csrf={csrf}&name=+"))
        .await;
    assert!(empty.body.contains("Give the token a name"));
    let at = page.body.find("name=\"revoke\" value=\"").unwrap() + 21;
    let id = &page.body[at..at + page.body[at..].find('"').unwrap()];
    // Someone else's token id is not theirs to revoke.
    app.agent(
        "other@test.example",
        Role::Agent,
        &[],
        Some("correct horse"),
    )
    .await;
    let other = Browser::sign_in(&app, "other%40test.example", "correct horse").await;
    let other_csrf = Browser::csrf(&other.get("/settings").await);
    let refused = other
        .post(
            "/settings/tokens",
            &format!("_csrf={other_csrf}&revoke={id}"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::OK);
    let revoked = me
        .post("/settings/tokens", &format!("_csrf={csrf}&revoke={id}"))
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(me.get("/settings").await.body.contains("revoked"));
    // The page that shows a new secret is never cached.
    let uncached = me
        .client
        .post(format!("{}/settings/tokens", me.base))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(COOKIE, &me.cookie)
        .body(format!("_csrf={csrf}&name=Second"))
        .send()
        .await
        .unwrap();
    assert_eq!(uncached.headers()["cache-control"], "no-store");
}

async fn tags_of(app: &TestApp, id: i64) -> serde_json::Value {
    app.get(&format!("/api/v1/tickets/{id}"), &app.admin_token)
        .await
        .body["tags"]
        .clone()
}

#[tokio::test]
async fn times_are_shown_in_the_reader_zone() {
    let app = spawn_app().await;
    app.agent("tz@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    // Signing in from a browser in Tokyo adopts its zone while the agent's is the default…
    let mut b = Browser::new(&app);
    let p = b
        .post(
            "/login",
            "email=tz%40test.example&password=correct+horse&next=/&tz=Asia%2FTokyo",
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    b.keep(&p);
    assert!(
        b.get("/settings")
            .await
            .body
            .contains("value=\"Asia/Tokyo\"")
    );
    // …but never overrides a zone already chosen.
    let p = b
        .post(
            "/login",
            "email=tz%40test.example&password=correct+horse&next=/&tz=Europe%2FBerlin",
        )
        .await;
    b.keep(&p);
    assert!(
        b.get("/settings")
            .await
            .body
            .contains("value=\"Asia/Tokyo\"")
    );

    let customer = portal_sign_up(&app, "zone%40cust.example").await;
    let csrf = Browser::csrf(&customer.get("/portal/new").await);
    let created = customer
        .post(
            "/portal/new",
            &format!("_csrf={csrf}&subject=Clock&body=What+time+is+it"),
        )
        .await;
    let id: i64 = created
        .location
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let ticket = app
        .get(&format!("/api/v1/tickets/{id}"), &app.admin_token)
        .await;
    let at: jiff::Timestamp = ticket.body["created_at"].as_str().unwrap().parse().unwrap();
    let shown = |zone: &str| {
        at.to_zoned(jiff::tz::TimeZone::get(zone).unwrap())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    let queue = b.get("/?view=all").await;
    assert!(
        queue.body.contains(&shown("Asia/Tokyo")),
        "queue in Tokyo time"
    );
    let page = b.get(&format!("/tickets/{id}")).await;
    assert!(
        page.body.contains(&shown("Asia/Tokyo")),
        "ticket in Tokyo time"
    );
    // The portal: the zone the browser reported in its cookie.
    let mut lima = Browser::new(&app);
    lima.cookie = format!("{}; ferrodesk_tz=America%2FLima", customer.cookie);
    let page = lima.get(&format!("/portal/requests/{id}")).await;
    assert!(
        page.body.contains(&shown("America/Lima")),
        "portal in Lima time"
    );
    let home = lima.get("/portal").await;
    assert!(home.body.contains(&shown("America/Lima")));
}

#[tokio::test]
async fn agents_read_their_notifications() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let trigger = app
        .post(
            "/api/v1/triggers",
            t,
            json!({"name": "VIP", "event": "ticket.created",
                   "conditions": [{"field": "subject_contains", "text": "VIP"}],
                   "actions": [{"action": "notify", "message": "A VIP wrote"}]}),
        )
        .await;
    assert_eq!(trigger.status, StatusCode::CREATED, "{:?}", trigger.body);
    let team = app.team("Front", 1).await;
    app.agent(
        "front@test.example",
        Role::Agent,
        &[team],
        Some("correct horse"),
    )
    .await;
    app.agent(
        "other@test.example",
        Role::Agent,
        &[],
        Some("correct horse"),
    )
    .await;
    for n in 0..2 {
        app.ticket(
            t,
            json!({"subject": format!("VIP request {n}"), "body": "help", "customer": {"email": "vip@example.com"}, "team_id": team}),
        )
        .await;
    }
    let b = Browser::sign_in(&app, "front%40test.example", "correct horse").await;
    let page = b.get("/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("A VIP wrote").count(), 2, "{}", page.body);
    assert_eq!(page.body.matches("class=\"unread\"").count(), 2);
    assert!(page.body.contains("href=\"/tickets/"));
    let at = page.body.find("name=\"id\" value=\"").unwrap() + 17;
    let id = &page.body[at..at + page.body[at..].find('"').unwrap()];
    let csrf = Browser::csrf(&page);
    let read = b
        .post("/notifications/read", &format!("_csrf={csrf}&id={id}"))
        .await;
    assert_eq!(read.status, StatusCode::SEE_OTHER);
    let unread = b.get("/notifications?unread=1").await;
    assert_eq!(unread.body.matches("A VIP wrote").count(), 1);
    b.post("/notifications/read", &format!("_csrf={csrf}"))
        .await;
    let unread = b.get("/notifications?unread=1").await;
    assert!(unread.body.contains("No notifications."));
    // Someone else's are not shown.
    let other = Browser::sign_in(&app, "other%40test.example", "correct horse").await;
    assert!(
        other
            .get("/notifications")
            .await
            .body
            .contains("No notifications.")
    );
}

#[tokio::test]
async fn categories_are_renamed_merged_and_cleared() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    app.agent(
        "sup@test.example",
        Role::Supervisor,
        &[],
        Some("correct horse"),
    )
    .await;
    let mut ids = Vec::new();
    for category in ["Billing", "Invoices", "Invoices", "Hardware"] {
        let ticket = app
            .ticket(
                t,
                json!({"subject": "Cat", "body": "b", "customer": {"email": "cat@example.com"}, "category": category}),
            )
            .await;
        ids.push(ticket["id"].as_i64().unwrap());
    }
    let sup = Browser::sign_in(&app, "sup%40test.example", "correct horse").await;
    let page = sup.get("/admin/categories").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("href=\"/?view=all&amp;category=Invoices\"")
            || page.body.contains("category=Invoices")
    );
    let csrf = Browser::csrf(&page);
    let merged = sup
        .post(
            "/admin/categories/rename",
            &format!("_csrf={csrf}&from=Invoices&to=Billing"),
        )
        .await;
    assert!(merged.location.contains("done=1"), "{}", merged.location);
    let category_of = |body: &serde_json::Value| body["category"].clone();
    for (i, expected) in [(1, "Billing"), (2, "Billing"), (3, "Hardware")] {
        let got = app.get(&format!("/api/v1/tickets/{}", ids[i]), t).await;
        assert_eq!(category_of(&got.body), expected);
    }
    // The queue filters by category (the page's links).
    let queue = sup.get("/?view=all&category=Billing").await;
    assert_eq!(
        queue.body.matches("<tr").count() - 1,
        3,
        "three rows under the header"
    );
    let cleared = sup
        .post(
            "/admin/categories/delete",
            &format!("_csrf={csrf}&name=Hardware"),
        )
        .await;
    assert!(cleared.location.contains("done=1"));
    let got = app.get(&format!("/api/v1/tickets/{}", ids[3]), t).await;
    assert_eq!(got.body["category"], serde_json::Value::Null);
    let history = app
        .get(&format!("/api/v1/tickets/{}/events?limit=100", ids[3]), t)
        .await;
    assert!(
        history.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "ticket.updated"
                && e["data"]["field"] == "category"
                && e["data"]["old"] == "Hardware")
    );
    let again = sup
        .post(
            "/admin/categories/delete",
            &format!("_csrf={csrf}&name=Hardware"),
        )
        .await;
    assert!(
        again.location.contains("error=ticket_category_not_found"),
        "{}",
        again.location
    );
    assert!(
        sup.get(&again.location)
            .await
            .body
            .contains("No ticket has this category")
    );
    assert_eq!(
        sup.get("/admin/nothing").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn supervisors_edit_and_delete_customers() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    app.agent(
        "sup@test.example",
        Role::Supervisor,
        &[],
        Some("correct horse"),
    )
    .await;
    app.agent(
        "plain@test.example",
        Role::Agent,
        &[],
        Some("correct horse"),
    )
    .await;
    let org = app
        .post("/api/v1/organizations", t, json!({"name": "Acme"}))
        .await
        .id();
    let with_ticket = app
        .ticket(
            t,
            json!({"subject": "Hi", "body": "b", "customer": {"email": "kept@example.com", "name": "Kept"}}),
        )
        .await["customer_id"]
        .as_i64()
        .unwrap();
    let lone = app
        .post(
            "/api/v1/customers",
            t,
            json!({"name": "Lone", "email": "lone@example.com"}),
        )
        .await;
    assert_eq!(lone.status, StatusCode::CREATED, "{:?}", lone.body);
    let lone = lone.id();

    let sup = Browser::sign_in(&app, "sup%40test.example", "correct horse").await;
    let list = sup.get("/admin/customers").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("kept@example.com") && list.body.contains("lone@example.com"));
    let found = sup.get("/admin/customers?email=lone%40example.com").await;
    assert!(found.body.contains("lone@example.com"));
    assert!(!found.body.contains("kept@example.com"));
    let page = sup.get(&format!("/admin/customers/{with_ticket}")).await;
    assert!(page.body.contains("value=\"Kept\""));
    let csrf = Browser::csrf(&page);
    let saved = sup
        .post(
            &format!("/admin/customers/{with_ticket}"),
            &format!("_csrf={csrf}&name=Kept+Renamed&email=kept%40example.com&phone=%2B7+900+000&organization={org}"),
        )
        .await;
    assert!(saved.location.contains("done=1"), "{}", saved.location);
    let got = app
        .get(&format!("/api/v1/customers/{with_ticket}"), t)
        .await;
    assert_eq!(got.body["name"], "Kept Renamed");
    assert_eq!(got.body["organization_id"], org);
    assert_eq!(got.body["phone"], "+7 900 000");
    let bad = sup
        .post(
            &format!("/admin/customers/{with_ticket}"),
            &format!("_csrf={csrf}&name=X&email=not-an-email&phone=&organization="),
        )
        .await;
    assert!(bad.location.contains("error="), "{}", bad.location);

    let refused = sup
        .post(
            &format!("/admin/customers/{with_ticket}/delete"),
            &format!("_csrf={csrf}"),
        )
        .await;
    assert!(
        refused.location.contains("error=customer_has_tickets"),
        "{}",
        refused.location
    );
    assert!(
        sup.get(&refused.location)
            .await
            .body
            .contains("kept for the record")
    );
    let deleted = sup
        .post(
            &format!("/admin/customers/{lone}/delete"),
            &format!("_csrf={csrf}"),
        )
        .await;
    assert_eq!(deleted.location, "/admin/customers?done=1");
    assert_eq!(
        app.get(&format!("/api/v1/customers/{lone}"), t)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let plain = Browser::sign_in(&app, "plain%40test.example", "correct horse").await;
    assert_eq!(
        plain.get("/admin/customers").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        plain
            .get(&format!("/admin/customers/{with_ticket}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_thread_shows_how_email_replies_were_delivered() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    app.agent("boss@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    let ticket = app
        .ticket(
            t,
            json!({"subject": "By mail", "body": "hello", "customer": {"email": "m@example.org"}, "channel": "email"}),
        )
        .await;
    let id = ticket["id"].as_i64().unwrap();
    let reply = app
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            t,
            json!({"body": "Answer by mail"}),
        )
        .await;
    assert_eq!(reply.body["delivery_state"], "queued");
    // No mailbox is configured: the job gives up at once and says why.
    let mut state = serde_json::Value::Null;
    for _ in 0..100 {
        let messages = app
            .get(&format!("/api/v1/tickets/{id}/messages"), t)
            .await
            .body;
        state = messages["items"][1]["delivery_state"].clone();
        if state == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(state, "failed");
    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get(&format!("/tickets/{id}")).await;
    assert!(
        page.body
            .contains("class=\"error delivery\">not delivered: no mailbox"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("email delivery failed: no mailbox"),
        "the history too"
    );
}

#[tokio::test]
async fn customers_edit_their_profile_and_password() {
    let app = spawn_app().await;
    let mut pat = portal_sign_up(&app, "pat%40cust.example").await;
    let home = pat.get("/portal").await;
    assert!(home.body.contains("href=\"/portal/profile\""));
    let page = pat.get("/portal/profile").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"pat@cust.example\""));
    let csrf = Browser::csrf(&page);
    let saved = pat
        .post("/portal/profile", &format!("_csrf={csrf}&name=Pat+Smith"))
        .await;
    assert_eq!(saved.location, "/portal/profile?saved=1");
    assert!(
        pat.get("/portal/profile")
            .await
            .body
            .contains("value=\"Pat Smith\"")
    );
    let empty = pat
        .post("/portal/profile", &format!("_csrf={csrf}&name=+"))
        .await;
    assert!(empty.body.contains("Write a name"));

    let wrong = pat
        .post(
            "/portal/profile/password",
            &format!("_csrf={csrf}&current=nope+nope+nope&password=brand+new+pw"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("The current password is wrong"));
    let short = pat
        .post(
            "/portal/profile/password",
            &format!("_csrf={csrf}&current=long+enough+pw&password=short"),
        )
        .await;
    assert!(short.body.contains("at least 8 characters"));
    let old_cookie = pat.cookie.clone();
    let changed = pat
        .post(
            "/portal/profile/password",
            &format!("_csrf={csrf}&current=long+enough+pw&password=brand+new+pw"),
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    pat.keep(&changed);
    assert_ne!(pat.cookie, old_cookie);
    assert!(pat.get("/portal/profile").await.body.contains("Pat Smith"));
    let mut old = Browser::new(&app);
    old.cookie = old_cookie;
    assert_eq!(
        old.get("/portal/profile").await.location,
        "/portal/login",
        "other sessions end"
    );
    let fresh = Browser::new(&app)
        .post(
            "/portal/login",
            "email=pat%40cust.example&password=brand+new+pw",
        )
        .await;
    assert_eq!(fresh.status, StatusCode::SEE_OTHER);
    assert_eq!(
        Browser::new(&app).get("/portal/profile").await.location,
        "/portal/login"
    );
}

#[tokio::test]
async fn images_are_previewed_inline_and_other_files_only_downloaded() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let ticket = app
        .ticket(
            t,
            json!({"subject": "Screenshot", "body": "see", "customer": {"email": "img@example.com"}}),
        )
        .await;
    let id = ticket["id"].as_i64().unwrap();
    let png: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let mut body = Vec::new();
    for (name, ct, bytes) in [
        ("shot.png", "image/png", png),
        (
            "evil.svg",
            "image/svg+xml",
            b"<svg onload=alert(1)></svg>".as_slice(),
        ),
    ] {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {ct}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nTwo files\r\n--{BOUNDARY}--\r\n").as_bytes(),
    );
    let sent = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{id}/messages")))
        .bearer_auth(t)
        .header(CONTENT_TYPE, multipart_type())
        .body(body)
        .send()
        .await
        .unwrap();
    let sent = TestApp::answer(sent).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    let mid = sent.id();
    app.agent("boss@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get(&format!("/tickets/{id}")).await;
    assert!(
        page.body
            .contains(&format!("<img src=\"/attachments/{mid}/0?inline=1\""))
    );
    assert!(
        !page
            .body
            .contains(&format!("<img src=\"/attachments/{mid}/1")),
        "no SVG preview"
    );
    let (status, disposition, bytes) =
        download(&boss, &format!("/attachments/{mid}/0?inline=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.starts_with("inline;"), "{disposition}");
    assert_eq!(bytes, png);
    let (_, disposition, _) = download(&boss, &format!("/attachments/{mid}/1?inline=1")).await;
    assert!(
        disposition.starts_with("attachment;"),
        "an SVG is never inline: {disposition}"
    );
    let raw = boss
        .client
        .get(format!("{}/attachments/{mid}/1?inline=1", boss.base))
        .header(COOKIE, &boss.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["x-content-type-options"], "nosniff");
    assert!(
        raw.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
}

#[tokio::test]
async fn the_portal_pages_through_many_requests() {
    let app = spawn_app().await;
    let many = portal_sign_up(&app, "many%40cust.example").await;
    for n in 0..53 {
        app.ticket(
            &app.admin_token,
            json!({"subject": format!("Request number {n:02}"), "body": "b", "customer": {"email": "many@cust.example"}}),
        )
        .await;
    }
    let first = many.get("/portal").await;
    assert_eq!(first.body.matches("Request number").count(), 50);
    assert!(first.body.contains("Request number 52"), "newest first");
    let at = first.body.find("id=\"older-requests\"").unwrap();
    let start = first.body[..at].rfind("href=\"").unwrap() + 6;
    let href = first.body[start..at].trim_end_matches("\" ").to_string();
    let second = many.get(&href).await;
    assert_eq!(second.body.matches("Request number").count(), 3, "{href}");
    assert!(second.body.contains("Request number 00"));
    assert!(!second.body.contains("id=\"older-requests\""));
}

#[tokio::test]
async fn a_long_history_shows_its_latest_entries() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    app.agent("boss@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    let ticket = app
        .ticket(
            t,
            json!({"subject": "Chatty", "body": "b", "customer": {"email": "long@example.com"}}),
        )
        .await;
    let id = ticket["id"].as_i64().unwrap();
    for n in 0..205 {
        let a = app
            .post(
                &format!("/api/v1/tickets/{id}/messages"),
                t,
                json!({"body": format!("note {n}"), "internal": true}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED);
    }
    app.patch(
        &format!("/api/v1/tickets/{id}"),
        t,
        json!({"priority": "high"}),
    )
    .await;
    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get(&format!("/tickets/{id}")).await;
    let history = &page.body[page.body.find("class=\"history\"").unwrap()..];
    assert!(
        history.contains("Priority: Normal → High"),
        "the newest entry is shown"
    );
    assert!(!history.contains("ticket created"), "the oldest is not");
    assert_eq!(history.matches("<li>").count(), 200);
    assert!(page.body.contains("The latest 200 entries"));
    // The thread, too, shows its latest messages: the last note, not the first request.
    assert!(page.body.contains("note 204"));
    assert!(
        !page.body.contains(">b</div>"),
        "the first message is beyond the latest 200"
    );
    assert!(page.body.contains("Earlier messages are not shown here"));
    let thread = boss.get(&format!("/tickets/{id}/thread")).await;
    assert!(thread.body.contains("note 204"));
}
