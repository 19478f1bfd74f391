use ferrodesk_core::Role;
use ferrodesk_testkit::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

use crate::ticket_body;

#[tokio::test]
async fn creating_a_ticket_finds_or_creates_the_customer_and_logs_events() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let first = app
        .ticket(
            t,
            json!({"subject": "Не приходит письмо", "body": "Здравствуйте! Письмо для сброса пароля не приходит.",
                   "customer": {"email": "Ivan@Example.RU", "name": "Иван Петров"}, "channel": "email",
                   "priority": "high", "category": "account", "tags": ["Password", "password", "vip"]}),
        )
        .await;
    assert_eq!(first["status"], "new");
    assert_eq!(first["priority"], "high");
    assert_eq!(first["channel"], "email");
    assert_eq!(first["category"], "account");
    assert_eq!(first["tags"], json!(["password", "vip"]));
    assert!(first["number"].as_i64().unwrap() > 10000);
    assert!(first["created_at"].as_str().unwrap().ends_with('Z'));

    let customer = app
        .get(&format!("/api/v1/customers/{}", first["customer_id"]), t)
        .await;
    assert_eq!(customer.body["email"], "ivan@example.ru");
    assert_eq!(customer.body["name"], "Иван Петров");

    // Same email, other case: the same customer; a fresh number.
    let second = app.ticket(t, ticket_body("IVAN@example.ru")).await;
    assert_eq!(second["customer_id"], first["customer_id"]);
    assert_eq!(
        second["number"].as_i64().unwrap(),
        first["number"].as_i64().unwrap() + 1
    );
    assert_eq!(second["channel"], "api");
    assert_eq!(second["priority"], "normal");

    let messages = app
        .get(&format!("/api/v1/tickets/{}/messages", first["id"]), t)
        .await;
    assert_eq!(messages.status, StatusCode::OK);
    let items = messages.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["author_type"], "customer");
    assert_eq!(items[0]["internal"], false);
    assert!(items[0]["body"].as_str().unwrap().contains("сброса пароля"));

    let events = app
        .get(&format!("/api/v1/tickets/{}/events", first["id"]), t)
        .await;
    let kinds: Vec<&str> = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    // An email ticket falls under the default email policy: its first-response clock starts.
    assert_eq!(kinds, ["ticket.created", "message.created", "sla.started"]);
    assert_eq!(events.body["items"][0]["actor_type"], "agent");
    assert_eq!(events.body["items"][0]["actor_id"], app.admin_id);
}

#[tokio::test]
async fn lifecycle_with_replies_notes_and_history() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let ticket = app.ticket(t, ticket_body("lifecycle@example.com")).await;
    let id = ticket["id"].as_i64().unwrap();
    let path = format!("/api/v1/tickets/{id}");

    // An internal note does not change the status nor count as a response.
    let note = app
        .post(
            &format!("{path}/messages"),
            t,
            json!({"body": "Checking the logs", "internal": true}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED);
    assert_eq!(note.body["internal"], true);
    let after_note = app.get(&path, t).await.body;
    assert_eq!(after_note["status"], "new");
    assert!(after_note["first_response_at"].is_null());

    // A public reply opens the ticket and records the first response.
    let reply = app
        .post(
            &format!("{path}/messages"),
            t,
            json!({"body": "We are on it."}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["author_type"], "agent");
    let opened = app.get(&path, t).await.body;
    assert_eq!(opened["status"], "open");
    assert!(opened["first_response_at"].is_string());

    for status in ["pending", "open", "on_hold", "solved"] {
        let a = app.patch(&path, t, json!({"status": status})).await;
        assert_eq!(a.status, StatusCode::OK, "{status}: {:?}", a.body);
        assert_eq!(a.body["status"], status);
    }
    assert!(app.get(&path, t).await.body["solved_at"].is_string());

    // The customer writes again: the solved ticket reopens.
    let customer_id = ticket["customer_id"].as_i64().unwrap();
    ferrodesk_desk::tickets::add_customer_message(
        &app.db,
        id,
        customer_id,
        ferrodesk_core::Channel::Email,
        "It broke again",
    )
    .await
    .unwrap();
    let reopened = app.get(&path, t).await.body;
    assert_eq!(reopened["status"], "open");
    assert!(reopened["solved_at"].is_null());

    assert_eq!(
        app.patch(&path, t, json!({"status": "solved"}))
            .await
            .status,
        StatusCode::OK
    );
    let closed = app.patch(&path, t, json!({"status": "closed"})).await;
    assert_eq!(closed.body["status"], "closed");
    assert!(closed.body["closed_at"].is_string());

    // Closed is final: no replies, no changes.
    let late = app
        .post(
            &format!("{path}/messages"),
            t,
            json!({"body": "one more thing"}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.code(), "ticket_closed");
    let reopen = app.patch(&path, t, json!({"status": "open"})).await;
    assert_eq!(reopen.status, StatusCode::CONFLICT);
    assert_eq!(reopen.code(), "ticket_closed");

    let history = app.get(&format!("{path}/events?limit=100"), t).await.body;
    let status_changes: Vec<(String, String)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "ticket.updated" && e["data"]["field"] == "status")
        .map(|e| {
            (
                e["data"]["old"].as_str().unwrap().to_string(),
                e["data"]["new"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("new", "open"),
        ("open", "pending"),
        ("pending", "open"),
        ("open", "on_hold"),
        ("on_hold", "solved"),
        ("solved", "open"),
        ("open", "solved"),
        ("solved", "closed"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(status_changes, expected);
}

#[tokio::test]
async fn illegal_transition_is_refused_and_nothing_in_the_patch_applies() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let ticket = app.ticket(t, ticket_body("illegal@example.com")).await;
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    let a = app
        .patch(
            &path,
            t,
            json!({"status": "closed", "priority": "urgent", "tags": ["x"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "illegal_transition");
    assert!(a.message().contains("new to closed"), "{}", a.message());
    let now = app.get(&path, t).await.body;
    assert_eq!(now["status"], "new");
    assert_eq!(now["priority"], "normal");
    assert_eq!(now["tags"], json!([]));

    let merged = app.patch(&path, t, json!({"status": "merged"})).await;
    assert_eq!(merged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(merged.code(), "merge_requires_target");

    let events = app.get(&format!("{path}/events"), t).await.body;
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["ticket.created", "message.created", "sla.started"],
        "no events from refused patches"
    );
}

#[tokio::test]
async fn patch_changes_fields_and_logs_each_change() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let line1 = app.team("Line 1", 1).await;
    let line2 = app.team("Line 2", 2).await;
    let (agent2, _) = app
        .agent("second@test.example", Role::Agent, &[line2], None)
        .await;
    let ticket = app.ticket(t, json!({"subject": "Route me", "body": "b", "customer": {"email": "r@example.com"}, "team_id": line1})).await;
    assert_eq!(ticket["team_id"], line1);
    let path = format!("/api/v1/tickets/{}", ticket["id"]);

    // An assignee outside the ticket's team is refused…
    let wrong = app.patch(&path, t, json!({"assignee_id": agent2})).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.code(), "assignee_not_in_team");
    // …but escalating to line 2 with them works in one patch.
    let moved = app.patch(&path, t, json!({"team_id": line2, "assignee_id": agent2, "priority": "high", "category": "billing", "tags": ["Refund"]})).await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    assert_eq!(moved.body["team_id"], line2);
    assert_eq!(moved.body["assignee_id"], agent2);
    assert_eq!(moved.body["tags"], json!(["refund"]));

    let cleared = app
        .patch(&path, t, json!({"assignee_id": null, "category": null}))
        .await;
    assert!(cleared.body["assignee_id"].is_null());
    assert!(cleared.body["category"].is_null());
    assert_eq!(cleared.body["team_id"], line2, "absent fields stay");

    let events = app.get(&format!("{path}/events?limit=50"), t).await.body;
    let fields: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "ticket.updated")
        .map(|e| e["data"]["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "priority",
            "category",
            "team_id",
            "assignee_id",
            "tags",
            "category",
            "assignee_id"
        ]
    );

    let unknown_team = app.patch(&path, t, json!({"team_id": 999999})).await;
    assert_eq!(unknown_team.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_team.code(), "team_not_found");
}

#[tokio::test]
async fn list_filters_and_cursor_pagination() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    // Line 2: with no line-1 team, tickets that name no team stay without one.
    let team = app.team("Filters", 2).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let body = json!({"subject": format!("Ticket {i}"), "body": "b", "customer": {"email": format!("c{}@example.com", i % 2)},
                          "priority": if i % 3 == 0 { "urgent" } else { "normal" }, "tags": if i % 2 == 0 { json!(["even"]) } else { json!([]) },
                          "team_id": if i < 4 { json!(team) } else { json!(null) }});
        ids.push(app.ticket(t, body).await["id"].as_i64().unwrap());
    }
    // Pages of 3, newest first, no gaps or repeats.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("/api/v1/tickets?limit=3&cursor={c}"),
            None => "/api/v1/tickets?limit=3".into(),
        };
        let page = app.get(&q, t).await.body;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.into()),
            None => break,
        }
    }
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(seen, expected);

    let count = |q: &str| {
        let q = q.to_string();
        let app = &app;
        async move {
            app.get(&q, &app.admin_token).await.body["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count("/api/v1/tickets?priority=urgent").await, 3);
    assert_eq!(count("/api/v1/tickets?tag=even").await, 4);
    assert_eq!(count("/api/v1/tickets?tag=EVEN&priority=urgent").await, 2);
    assert_eq!(count(&format!("/api/v1/tickets?team_id={team}")).await, 4);
    assert_eq!(count("/api/v1/tickets?status=new").await, 7);
    assert_eq!(count("/api/v1/tickets?status=open").await, 0);
    let first = app
        .get(&format!("/api/v1/tickets/{}", ids[0]), t)
        .await
        .body;
    assert_eq!(
        count(&format!(
            "/api/v1/tickets?customer_id={}",
            first["customer_id"]
        ))
        .await,
        4
    );
    app.patch(
        &format!("/api/v1/tickets/{}", ids[1]),
        t,
        json!({"assignee_id": app.admin_id}),
    )
    .await;
    assert_eq!(
        count(&format!("/api/v1/tickets?assignee_id={}", app.admin_id)).await,
        1
    );
}

#[tokio::test]
async fn merging_marks_the_source_and_notes_the_target() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let a = app.ticket(t, ticket_body("dup@example.com")).await;
    let b = app.ticket(t, ticket_body("dup@example.com")).await;
    let merged = app
        .post(
            &format!("/api/v1/tickets/{}/merge", b["id"]),
            t,
            json!({"into": a["id"]}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    assert_eq!(merged.body["status"], "merged");
    assert_eq!(merged.body["merged_into_id"], a["id"]);
    let notes = app
        .get(&format!("/api/v1/tickets/{}/messages", a["id"]), t)
        .await
        .body;
    let last = notes["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["author_type"], "system");
    assert_eq!(last["internal"], true);
    assert!(
        last["body"]
            .as_str()
            .unwrap()
            .contains(&b["number"].to_string())
    );

    let again = app
        .post(
            &format!("/api/v1/tickets/{}/merge", b["id"]),
            t,
            json!({"into": a["id"]}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let into_self = app
        .post(
            &format!("/api/v1/tickets/{}/merge", a["id"]),
            t,
            json!({"into": a["id"]}),
        )
        .await;
    assert_eq!(into_self.code(), "merge_into_self");
    let into_missing = app
        .post(
            &format!("/api/v1/tickets/{}/merge", a["id"]),
            t,
            json!({"into": 987654}),
        )
        .await;
    assert_eq!(into_missing.status, StatusCode::UNPROCESSABLE_ENTITY);
}
