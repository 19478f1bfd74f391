//! SLA policies through the API and the clocks they start on tickets.

use ferrodesk_core::Role;
use ferrodesk_testkit::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn kinds(events: &Value) -> Vec<String> {
    events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

fn time(v: &Value) -> jiff::Timestamp {
    v.as_str()
        .unwrap_or_else(|| panic!("not a time: {v}"))
        .parse()
        .unwrap()
}

/// A round-the-clock policy for `channel`, tried before the defaults.
async fn policy(app: &TestApp, channel: &str, first: u32, resolution: u32) -> Value {
    let a = app
        .post(
            "/api/v1/sla-policies",
            &app.admin_token,
            json!({"name": format!("{channel} test"), "position": 1, "conditions": {"channels": [channel]},
                   "first_response_min": first, "next_response_min": 30, "resolution_min": resolution}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    a.body
}

#[tokio::test]
async fn a_new_instance_has_default_policies_per_channel() {
    let app = spawn_app().await;
    let policies = app.get("/api/v1/sla-policies", &app.admin_token).await.body;
    let by_channel = |c: &str| {
        policies
            .as_array()
            .unwrap()
            .iter()
            .find(|p| {
                p["conditions"]["channels"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(c))
            })
            .cloned()
            .unwrap()
    };
    assert_eq!(by_channel("phone")["first_response_min"], 0);
    assert_eq!(by_channel("chat")["first_response_min"], 5);
    assert_eq!(by_channel("email")["first_response_min"], 24 * 60);
    assert_eq!(by_channel("social")["first_response_min"], 12 * 60);
    assert_eq!(
        by_channel("email")["pause_statuses"],
        json!(["pending", "on_hold"])
    );
    let calendars = app.get("/api/v1/calendars", &app.admin_token).await.body;
    assert_eq!(calendars[0]["name"], "Business hours");
    assert_eq!(
        calendars[0]["definition"]["hours"]["mon"],
        json!([["09:00", "18:00"]])
    );
    assert_eq!(by_channel("email")["calendar_id"], calendars[0]["id"]);
}

#[tokio::test]
async fn a_reply_in_time_fulfils_and_a_late_one_breaches() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let p = policy(&app, "chat", 60, 600).await;
    let ticket = app.ticket(t, json!({"subject": "Chat", "body": "hello?", "customer": {"email": "c@example.com"}, "channel": "chat"})).await;
    assert_eq!(ticket["sla_policy_id"], p["id"]);
    let created = time(&ticket["created_at"]);
    assert_eq!(
        time(&ticket["first_response_due_at"]),
        created + jiff::SignedDuration::from_mins(60)
    );
    assert_eq!(
        time(&ticket["resolution_due_at"]),
        created + jiff::SignedDuration::from_mins(600)
    );

    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    app.post(
        &format!("{path}/messages"),
        t,
        json!({"body": "Hi, how can I help?"}),
    )
    .await;
    let after = app.get(&path, t).await.body;
    assert!(after["first_response_due_at"].is_null());
    let events = app.get(&format!("{path}/events?limit=50"), t).await.body;
    let fulfilled = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "sla.fulfilled")
        .expect("fulfilled event");
    assert_eq!(fulfilled["data"]["target"], "first_response");
    assert_eq!(fulfilled["data"]["breached"], false);

    // A zero-minute target on a round-the-clock calendar is due the moment the ticket opens,
    // so any reply is late.
    app.patch(
        &format!("/api/v1/sla-policies/{}", p["id"]),
        t,
        json!({"first_response_min": 0}),
    )
    .await;
    let late = app.ticket(t, json!({"subject": "Chat 2", "body": "hello", "customer": {"email": "c@example.com"}, "channel": "chat"})).await;
    assert_eq!(late["first_response_due_at"], late["created_at"]);
    app.post(
        &format!("/api/v1/tickets/{}/messages", late["id"]),
        t,
        json!({"body": "Sorry for the wait"}),
    )
    .await;
    let events = app
        .get(
            &format!("/api/v1/tickets/{}/events?limit=50", late["id"]),
            t,
        )
        .await
        .body;
    let late_reply = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "sla.fulfilled")
        .expect("fulfilled event");
    assert_eq!(late_reply["data"]["breached"], true);
}

#[tokio::test]
async fn a_pending_tickets_clock_pauses_and_resumes_and_a_customer_reply_starts_the_next() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    policy(&app, "web", 60, 600).await;
    let ticket = app.ticket(t, json!({"subject": "Form", "body": "question", "customer": {"email": "w@example.com"}, "channel": "web"})).await;
    let id = ticket["id"].as_i64().unwrap();
    let path = format!("/api/v1/tickets/{id}");
    let due_before = time(&ticket["resolution_due_at"]);

    let pending = app.patch(&path, t, json!({"status": "pending"})).await.body;
    assert!(pending["sla_paused_since"].is_string());
    std::thread::sleep(std::time::Duration::from_millis(50));
    // The customer answers: the ticket reopens, the clocks resume later by the pause.
    ferrodesk_desk::tickets::add_customer_message(
        &app.db,
        id,
        ticket["customer_id"].as_i64().unwrap(),
        ferrodesk_core::Channel::Web,
        "here you go",
    )
    .await
    .unwrap();
    let resumed = app.get(&path, t).await.body;
    assert_eq!(resumed["status"], "open");
    assert!(resumed["sla_paused_since"].is_null());
    let due_after = time(&resumed["resolution_due_at"]);
    assert!(
        due_after >= due_before + jiff::SignedDuration::from_millis(50),
        "{due_before} → {due_after}"
    );
    let events = app.get(&format!("{path}/events?limit=50"), t).await.body;
    let k = kinds(&events);
    for expected in ["sla.paused", "sla.resumed"] {
        assert!(
            k.contains(&expected.to_string()),
            "{expected} missing from {k:?}"
        );
    }
    // First response still pending, so the customer's message starts no next-response clock.
    assert!(resumed["next_response_due_at"].is_null());
    app.post(
        &format!("{path}/messages"),
        t,
        json!({"body": "Thanks, looking"}),
    )
    .await;
    ferrodesk_desk::tickets::add_customer_message(
        &app.db,
        id,
        ticket["customer_id"].as_i64().unwrap(),
        ferrodesk_core::Channel::Web,
        "any news?",
    )
    .await
    .unwrap();
    let waiting = app.get(&path, t).await.body;
    assert!(waiting["next_response_due_at"].is_string(), "{waiting}");

    // Solving meets the resolution target and ends every clock.
    let solved = app.patch(&path, t, json!({"status": "solved"})).await.body;
    for field in [
        "first_response_due_at",
        "next_response_due_at",
        "resolution_due_at",
    ] {
        assert!(solved[field].is_null(), "{field}: {solved}");
    }
}

#[tokio::test]
async fn only_admins_manage_policies_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let (_, agent) = app.agent("a@test.example", Role::Agent, &[], None).await;
    let body = json!({"name": "X", "position": 5, "first_response_min": 10});
    assert_eq!(
        app.post("/api/v1/sla-policies", &agent, body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/sla-policies", &agent).await.status,
        StatusCode::OK
    );
    let t = &app.admin_token;
    let bad_calendar = app
        .post(
            "/api/v1/sla-policies",
            t,
            json!({"name": "X", "position": 5, "calendar_id": 999}),
        )
        .await;
    assert_eq!(bad_calendar.code(), "calendar_not_found");
    let bad_condition = app
        .post(
            "/api/v1/sla-policies",
            t,
            json!({"name": "X", "position": 5, "conditions": {"colour": ["red"]}}),
        )
        .await;
    assert_eq!(bad_condition.code(), "invalid_body");
    let bad_hours = app
        .post("/api/v1/calendars", t, json!({"name": "Night", "definition": {"tz": "Mars/Base", "hours": {"mon": [["09:00", "17:00"]]}}}))
        .await;
    assert_eq!(bad_hours.status, StatusCode::UNPROCESSABLE_ENTITY);
    let calendar = app
        .post("/api/v1/calendars", t, json!({"name": "Moscow", "definition": {"tz": "Europe/Moscow", "hours": {"mon": [["09:00", "18:00"]]}, "holidays": ["2027-01-01"]}}))
        .await;
    assert_eq!(calendar.status, StatusCode::CREATED, "{:?}", calendar.body);
    let created = app.post("/api/v1/sla-policies", t, json!({"name": "Moscow email", "position": 5, "calendar_id": calendar.id(), "first_response_min": 60})).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(
        app.delete(&format!("/api/v1/sla-policies/{}", created.id()), t)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&format!("/api/v1/sla-policies/{}", created.id()), t)
            .await
            .code(),
        "sla_policy_not_found"
    );
}

/// Polls the ticket's history until an event of `kind` appears (the job worker runs beside the
/// server); panics after a few seconds.
async fn wait_for_event(app: &TestApp, ticket_id: i64, kind: &str) -> Value {
    for _ in 0..100 {
        let events = app
            .get(
                &format!("/api/v1/tickets/{ticket_id}/events?limit=100"),
                &app.admin_token,
            )
            .await
            .body;
        if kinds(&events).iter().any(|k| k == kind) {
            return events;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no {kind} event on ticket {ticket_id}");
}

#[tokio::test]
async fn a_breach_escalates_to_line_2_once() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let line1 = app.team("Line 1", 1).await;
    let line2 = app.team("Line 2", 2).await;
    let (agent1, _) = app
        .agent("one@test.example", Role::Agent, &[line1], None)
        .await;
    let created = app
        .post(
            "/api/v1/sla-policies",
            t,
            json!({"name": "Phone now", "position": 1, "conditions": {"channels": ["phone"]}, "first_response_min": 0,
                   "breach_actions": {"raise_priority": true, "escalate_to_next_tier": true, "notify_supervisor": true}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let ticket = app
        .ticket(t, json!({"subject": "Call", "body": "Caller waiting", "customer": {"email": "p@example.com"}, "channel": "phone",
                          "team_id": line1, "assignee_id": agent1}))
        .await;
    let id = ticket["id"].as_i64().unwrap();
    let events = wait_for_event(&app, id, "sla.escalated").await;
    let now = app.get(&format!("/api/v1/tickets/{id}"), t).await.body;
    assert_eq!(now["team_id"], line2, "moved to line 2");
    assert_eq!(now["priority"], "high", "raised from normal");
    assert!(
        now["assignee_id"].is_null(),
        "the line-1 agent no longer holds it"
    );
    assert_eq!(
        now["first_response_due_at"], ticket["first_response_due_at"],
        "the deadline itself stays"
    );
    let escalated = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "sla.escalated")
        .unwrap();
    assert_eq!(escalated["data"]["to_team_id"], line2);
    assert_eq!(escalated["actor_type"], "system");
    // The supervisor hears of it in the app; the agent who lost the ticket does not.
    let (_, supervisor) = app
        .agent("sup@test.example", Role::Supervisor, &[], None)
        .await;
    let none_before = app.get("/api/v1/notifications", &supervisor).await.body;
    assert!(
        none_before["items"].as_array().unwrap().is_empty(),
        "created after the breach: nothing for them"
    );
    let admin_inbox = app.get("/api/v1/notifications?unread=true", t).await.body;
    let note = &admin_inbox["items"][0];
    assert_eq!(
        note["kind"], "sla.breached",
        "no supervisor existed then, so the admins were told: {admin_inbox}"
    );
    assert_eq!(note["ticket_id"], id);
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .contains(&ticket["number"].to_string())
    );
    let read = app
        .post(
            &format!("/api/v1/notifications/{}/read", note["id"]),
            t,
            json!({}),
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    assert!(
        app.get("/api/v1/notifications?unread=true", t).await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Running the due jobs again, from two places at once, changes nothing more.
    let (a, b) = tokio::join!(
        ferrodesk_desk::jobs::run_due(&app.db),
        ferrodesk_desk::jobs::run_due(&app.db)
    );
    a.unwrap();
    b.unwrap();
    let events = app
        .get(&format!("/api/v1/tickets/{id}/events?limit=100"), t)
        .await
        .body;
    let breaches = kinds(&events)
        .iter()
        .filter(|k| *k == "sla.breached")
        .count();
    assert_eq!(breaches, 1, "{:?}", kinds(&events));
}

#[tokio::test]
async fn a_warning_comes_before_the_deadline() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    app.post(
        "/api/v1/sla-policies",
        t,
        json!({"name": "Web warn", "position": 1, "conditions": {"channels": ["web"]}, "first_response_min": 60, "warn_before_min": 60}),
    )
    .await;
    let ticket = app.ticket(t, json!({"subject": "Form", "body": "q", "customer": {"email": "w@example.com"}, "channel": "web"})).await;
    let id = ticket["id"].as_i64().unwrap();
    let events = wait_for_event(&app, id, "sla.warning").await;
    assert!(!kinds(&events).contains(&"sla.breached".to_string()));
    let warning = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "sla.warning")
        .unwrap();
    assert_eq!(warning["data"]["target"], "first_response");
    assert_eq!(warning["data"]["due"], ticket["first_response_due_at"]);
    // The ticket's alert job now waits for the deadline itself.
    let (run_at,): (i64,) =
        sqlx::query_as("SELECT run_at FROM jobs WHERE key = $1 AND done_at IS NULL")
            .bind(format!("sla:{id}"))
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    let due: jiff::Timestamp = ticket["first_response_due_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(run_at, due.as_microsecond());
}

#[tokio::test]
async fn a_policy_change_or_removal_recomputes_its_open_tickets() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let p = policy(&app, "chat", 60, 600).await;
    let open = app.ticket(t, json!({"subject": "Chat", "body": "hi", "customer": {"email": "c@example.com"}, "channel": "chat"})).await;
    let solved = app.ticket(t, json!({"subject": "Done", "body": "hi", "customer": {"email": "d@example.com"}, "channel": "chat"})).await;
    app.patch(
        &format!("/api/v1/tickets/{}", solved["id"]),
        t,
        json!({"status": "solved"}),
    )
    .await;
    let created = time(&open["created_at"]);

    app.patch(
        &format!("/api/v1/sla-policies/{}", p["id"]),
        t,
        json!({"first_response_min": 120}),
    )
    .await;
    wait_for_event(&app, open["id"].as_i64().unwrap(), "sla.recomputed").await;
    let now = app
        .get(&format!("/api/v1/tickets/{}", open["id"]), t)
        .await
        .body;
    assert_eq!(
        time(&now["first_response_due_at"]),
        created + jiff::SignedDuration::from_mins(120)
    );
    assert_eq!(
        time(&now["resolution_due_at"]),
        created + jiff::SignedDuration::from_mins(600),
        "unchanged target, same deadline"
    );
    let done = app
        .get(&format!("/api/v1/tickets/{}", solved["id"]), t)
        .await
        .body;
    assert!(
        done["resolution_due_at"].is_null(),
        "solved tickets have no running clocks to recompute"
    );

    // Removing the policy hands its open tickets to the next matching one: the default chat policy.
    let default_chat = app
        .get("/api/v1/sla-policies", t)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str().unwrap().starts_with("Chat"))
        .unwrap()["id"]
        .clone();
    assert_eq!(
        app.delete(&format!("/api/v1/sla-policies/{}", p["id"]), t)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    for _ in 0..100 {
        let now = app
            .get(&format!("/api/v1/tickets/{}", open["id"]), t)
            .await
            .body;
        if now["sla_policy_id"] == default_chat {
            assert!(
                now["resolution_due_at"].is_null(),
                "the default chat policy sets no resolution target"
            );
            assert!(now["first_response_due_at"].is_string());
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the ticket was not handed to the default chat policy");
}
