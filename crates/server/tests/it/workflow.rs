//! Routing, manual escalation, triggers, macros and automations, through the API.

use ferrodesk_core::Role;
use ferrodesk_testkit::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn body(email: &str, team: i64) -> Value {
    json!({"subject": "Routing", "body": "please help", "customer": {"email": email}, "team_id": team})
}

fn kinds(events: &Value) -> Vec<String> {
    events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn set_strategy(app: &TestApp, team: i64, strategy: &str) {
    let a = app
        .patch(
            &format!("/api/v1/teams/{team}"),
            &app.admin_token,
            json!({"assignment": strategy}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["assignment"], strategy);
}

#[tokio::test]
async fn round_robin_takes_turns_and_skips_away_and_full_agents() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let team = app.team("Line 1", 1).await;
    let (a, _) = app
        .agent("a@test.example", Role::Agent, &[team], None)
        .await;
    let (b, _) = app
        .agent("b@test.example", Role::Agent, &[team], None)
        .await;
    let (c, _) = app
        .agent("c@test.example", Role::Agent, &[team], None)
        .await;
    set_strategy(&app, team, "round_robin").await;
    let mut got = Vec::new();
    for i in 0..6 {
        got.push(
            app.ticket(t, body(&format!("rr{i}@example.com"), team))
                .await["assignee_id"]
                .as_i64()
                .unwrap(),
        );
    }
    assert_eq!(
        got,
        [a, b, c, a, b, c],
        "everyone in turn, in a stable order"
    );

    // Away agents get nothing; an agent at capacity neither.
    app.patch(
        &format!("/api/v1/agents/{b}"),
        t,
        json!({"availability": "away"}),
    )
    .await;
    let full = app
        .patch(&format!("/api/v1/agents/{c}"), t, json!({"capacity": 2}))
        .await;
    assert_eq!(full.body["capacity"], 2);
    for i in 0..3 {
        let ticket = app
            .ticket(t, body(&format!("x{i}@example.com"), team))
            .await;
        assert_eq!(ticket["assignee_id"], a);
    }
    let events = app
        .get(
            &format!(
                "/api/v1/tickets/{}/events",
                app.ticket(t, body("y@example.com", team)).await["id"]
            ),
            t,
        )
        .await
        .body;
    assert!(kinds(&events).contains(&"ticket.routed".to_string()));
    // A manual team assigns nobody.
    let manual = app.team("Manual", 1).await;
    app.agent("m@test.example", Role::Agent, &[manual], None)
        .await;
    assert!(app.ticket(t, body("z@example.com", manual)).await["assignee_id"].is_null());
}

#[tokio::test]
async fn least_loaded_weighs_priority_and_skill_routing_matches_category() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let team = app.team("Line 2", 2).await;
    let (a, _) = app
        .agent("a@test.example", Role::Agent, &[team], None)
        .await;
    let (b, _) = app
        .agent("b@test.example", Role::Agent, &[team], None)
        .await;
    // a holds one urgent ticket (weight 8); b holds three normal ones (weight 6).
    let mut urgent = body("u@example.com", team);
    urgent["priority"] = json!("urgent");
    urgent["assignee_id"] = json!(a);
    app.ticket(t, urgent).await;
    for i in 0..3 {
        let mut n = body(&format!("n{i}@example.com"), team);
        n["assignee_id"] = json!(b);
        app.ticket(t, n).await;
    }
    set_strategy(&app, team, "least_loaded").await;
    assert_eq!(
        app.ticket(t, body("next@example.com", team)).await["assignee_id"],
        b
    );

    set_strategy(&app, team, "skill").await;
    app.patch(
        &format!("/api/v1/agents/{a}"),
        t,
        json!({"skills": ["Billing"]}),
    )
    .await;
    let mut billing = body("bill@example.com", team);
    billing["category"] = json!("billing");
    assert_eq!(app.ticket(t, billing).await["assignee_id"], a);
    let mut other = body("other@example.com", team);
    other["category"] = json!("shipping");
    assert!(
        app.ticket(t, other).await["assignee_id"].is_null(),
        "nobody has the skill"
    );
}

#[tokio::test]
async fn an_agent_escalates_by_hand_with_a_reason() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let line1 = app.team("Line 1", 1).await;
    let line2 = app.team("Line 2", 2).await;
    let (_, agent1) = app
        .agent("one@test.example", Role::Agent, &[line1], None)
        .await;
    let (two, _) = app
        .agent("two@test.example", Role::Agent, &[line2], None)
        .await;
    set_strategy(&app, line2, "round_robin").await;
    let ticket = app.ticket(&agent1, body("e@example.com", line1)).await;
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    let up = app
        .post(
            &format!("{path}/escalate"),
            &agent1,
            json!({"tier": 2, "reason": "Needs a database fix; logs attached in note"}),
        )
        .await;
    assert_eq!(up.status, StatusCode::OK, "{:?}", up.body);
    assert_eq!(up.body["team_id"], line2);
    assert_eq!(
        up.body["assignee_id"], two,
        "line 2's strategy picked an agent"
    );
    let notes = app.get(&format!("{path}/messages"), t).await.body;
    let last = notes["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["internal"], true);
    assert!(
        last["body"]
            .as_str()
            .unwrap()
            .contains("Needs a database fix"),
        "{last}"
    );
    assert_eq!(
        notes["items"][0]["body"], "please help",
        "the conversation is kept"
    );
    let events = app.get(&format!("{path}/events?limit=50"), t).await.body;
    assert!(kinds(&events).contains(&"ticket.escalated".to_string()));
    // Not down, not sideways.
    let down = app
        .post(
            &format!("{path}/escalate"),
            t,
            json!({"team_id": line1, "reason": "back"}),
        )
        .await;
    assert_eq!(down.code(), "not_an_escalation");
    let empty = app
        .post(
            &format!("{path}/escalate"),
            t,
            json!({"tier": 3, "reason": "  "}),
        )
        .await;
    assert_eq!(empty.body["error"]["field"], "reason");
    let no_line = app
        .post(
            &format!("{path}/escalate"),
            t,
            json!({"tier": 3, "reason": "why not"}),
        )
        .await;
    assert_eq!(no_line.code(), "team_not_found");
}

#[tokio::test]
async fn a_trigger_fires_once_and_cannot_loop() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let vip = app
        .post(
            "/api/v1/triggers",
            t,
            json!({"name": "VIP first", "position": 1, "event": "ticket.created",
                   "conditions": [{"field": "subject_contains", "text": "urgent"}],
                   "actions": [{"action": "set_priority", "priority": "urgent"}, {"action": "add_tags", "tags": ["vip"]},
                               {"action": "reply", "body": "Hello {{customer.name}}, we got ticket #{{ticket.number}}."},
                               {"action": "notify", "message": "A VIP wrote"}]}),
        )
        .await;
    assert_eq!(vip.status, StatusCode::CREATED, "{:?}", vip.body);
    // A trigger on status changes that would set the status again if rules could re-trigger.
    app.post(
        "/api/v1/triggers",
        t,
        json!({"name": "Ping-pong", "position": 2, "event": "status.changed",
               "conditions": [{"field": "status", "any_of": ["pending"]}],
               "actions": [{"action": "set_status", "status": "open"}, {"action": "add_tags", "tags": ["bounced"]}]}),
    )
    .await;

    let team = app.team("Front", 1).await;
    let (_, member) = app
        .agent("front@test.example", Role::Agent, &[team], None)
        .await;
    let ticket = app
        .ticket(t, json!({"subject": "URGENT: site down", "body": "help", "customer": {"email": "vip@example.com", "name": "Vera"}, "team_id": team}))
        .await;
    assert_eq!(ticket["priority"], "urgent");
    assert_eq!(ticket["tags"], json!(["vip"]));
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    let messages = app.get(&format!("{path}/messages"), t).await.body;
    let reply = messages["items"][1]["body"].as_str().unwrap();
    assert_eq!(
        reply,
        format!("Hello Vera, we got ticket #{}.", ticket["number"])
    );
    assert_eq!(messages["items"][1]["author_type"], "system");
    let inbox = app.get("/api/v1/notifications", &member).await.body;
    assert_eq!(
        inbox["items"][0]["message"], "A VIP wrote",
        "nobody assigned: the team hears of it: {inbox}"
    );

    let calm = app.ticket(t, json!({"subject": "A question", "body": "hi", "customer": {"email": "calm@example.com"}})).await;
    assert_eq!(calm["priority"], "normal", "conditions must hold");

    let pending = app.patch(&path, t, json!({"status": "pending"})).await.body;
    assert_eq!(pending["status"], "open", "the trigger set it back…");
    assert!(
        pending["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("bounced"))
    );
    let events = app.get(&format!("{path}/events?limit=100"), t).await.body;
    let fired = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "trigger.fired")
        .count();
    assert_eq!(
        fired,
        2,
        "…once each, and its own change did not set it off again: {:?}",
        kinds(&events)
    );

    let bad = app
        .post(
            "/api/v1/triggers",
            t,
            json!({"name": "No event", "actions": [{"action": "add_tags", "tags": ["x"]}]}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "event");
    let (_, agent) = app
        .agent("plain@test.example", Role::Agent, &[], None)
        .await;
    let refused = app.post("/api/v1/triggers", &agent, json!({"name": "x", "event": "ticket.created", "actions": [{"action": "add_tags", "tags": ["x"]}]})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_macro_applies_its_actions_and_reply_in_one_step() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let m = app
        .post(
            "/api/v1/macros",
            t,
            json!({"name": "Ask for logs", "actions": [{"action": "set_status", "status": "pending"}, {"action": "add_tags", "tags": ["needs-logs"]},
                                                       {"action": "reply", "body": "Could you send the logs for #{{ticket.number}}?"}]}),
        )
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{:?}", m.body);
    let ticket = app.ticket(t, json!({"subject": "Crash", "body": "it crashed", "customer": {"email": "m@example.com"}})).await;
    let applied = app
        .post(
            &format!("/api/v1/tickets/{}/macros/{}", ticket["id"], m.id()),
            t,
            json!({}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{:?}", applied.body);
    assert_eq!(applied.body["status"], "pending");
    assert_eq!(applied.body["tags"], json!(["needs-logs"]));
    assert!(
        applied.body["first_response_at"].is_string(),
        "the macro's public reply is the first response"
    );
    let messages = app
        .get(&format!("/api/v1/tickets/{}/messages", ticket["id"]), t)
        .await
        .body;
    assert_eq!(messages["items"][1]["author_type"], "agent");
    assert_eq!(messages["items"][1]["author_id"], app.admin_id);
    let missing = app
        .post(
            &format!("/api/v1/tickets/{}/macros/999", ticket["id"]),
            t,
            json!({}),
        )
        .await;
    assert_eq!(missing.code(), "macro_not_found");
}

#[tokio::test]
async fn automations_close_tickets_that_waited_long_enough() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let rule = app
        .post(
            "/api/v1/automations",
            t,
            json!({"name": "Pending 7 days → solved", "conditions": [{"field": "status", "any_of": ["pending"]}, {"field": "hours_since_update", "at_least": 168}],
                   "actions": [{"action": "set_status", "status": "solved"}, {"action": "reply", "body": "We are closing this request; reply to reopen it."}]}),
        )
        .await;
    assert_eq!(rule.status, StatusCode::CREATED, "{:?}", rule.body);
    let no_time = app
        .post(
            "/api/v1/automations",
            t,
            json!({"name": "x", "actions": [{"action": "add_tags", "tags": ["x"]}]}),
        )
        .await;
    assert_eq!(no_time.body["error"]["field"], "conditions");

    let old = app
        .ticket(
            t,
            json!({"subject": "Old", "body": "b", "customer": {"email": "o@example.com"}}),
        )
        .await;
    let fresh = app
        .ticket(
            t,
            json!({"subject": "Fresh", "body": "b", "customer": {"email": "f@example.com"}}),
        )
        .await;
    for ticket in [&old, &fresh] {
        app.patch(
            &format!("/api/v1/tickets/{}", ticket["id"]),
            t,
            json!({"status": "pending"}),
        )
        .await;
    }
    let eight_days_ago =
        (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(8 * 24)).as_microsecond();
    sqlx::query("UPDATE tickets SET updated_at = $1 WHERE id = $2")
        .bind(eight_days_ago)
        .bind(old["id"].as_i64().unwrap())
        .execute(app.db.reader())
        .await
        .unwrap();
    let changed = ferrodesk_desk::rules::run_automations(&app.db)
        .await
        .unwrap();
    assert_eq!(changed, 1);
    let old_now = app
        .get(&format!("/api/v1/tickets/{}", old["id"]), t)
        .await
        .body;
    assert_eq!(old_now["status"], "solved");
    assert_eq!(
        app.get(&format!("/api/v1/tickets/{}", fresh["id"]), t)
            .await
            .body["status"],
        "pending"
    );
    let messages = app
        .get(&format!("/api/v1/tickets/{}/messages", old["id"]), t)
        .await
        .body;
    assert!(
        messages["items"].as_array().unwrap().last().unwrap()["body"]
            .as_str()
            .unwrap()
            .contains("closing this request")
    );
    assert_eq!(
        ferrodesk_desk::rules::run_automations(&app.db)
            .await
            .unwrap(),
        0,
        "it does not fire twice"
    );
}

#[tokio::test]
async fn a_trigger_calls_a_webhook_once_with_the_ticket() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let sink = received.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, axum::Json(body): axum::Json<Value>| {
                let sink = sink.clone();
                async move {
                    let key = headers
                        .get("idempotency-key")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    sink.lock().unwrap().push((key, body));
                    "ok"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });

    let app = spawn_app().await;
    let t = &app.admin_token;
    let created = app
        .post("/api/v1/triggers", t, json!({"name": "Tell the CRM", "event": "ticket.created", "actions": [{"action": "webhook", "url": hook}]}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let bad = app.post("/api/v1/triggers", t, json!({"name": "Bad hook", "event": "ticket.created", "actions": [{"action": "webhook", "url": "ftp://x"}]})).await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the address is checked when the rule is saved"
    );
    assert_eq!(bad.body["error"]["field"], "url");

    let ticket = app
        .ticket(
            t,
            json!({"subject": "Hooked", "body": "b", "customer": {"email": "h@example.com"}}),
        )
        .await;
    for _ in 0..100 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    ferrodesk_desk::jobs::run_due(&app.db).await.unwrap();
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "delivered once");
    assert!(
        got[0].0.starts_with(&format!("webhook:{}:", ticket["id"])),
        "{}",
        got[0].0
    );
    assert_eq!(got[0].1["ticket"]["id"], ticket["id"]);
    assert_eq!(got[0].1["cause"], "rule");
    let events = app
        .get(
            &format!("/api/v1/tickets/{}/events?limit=50", ticket["id"]),
            t,
        )
        .await
        .body;
    for _ in 0..50 {
        let events = app
            .get(
                &format!("/api/v1/tickets/{}/events?limit=50", ticket["id"]),
                t,
            )
            .await
            .body;
        if kinds(&events).contains(&"webhook.delivered".to_string()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no webhook.delivered event: {:?}", kinds(&events));
}

#[tokio::test]
async fn a_rule_naming_a_team_or_agent_that_does_not_exist_is_refused_on_save() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let ghost_team = app
        .post(
            "/api/v1/triggers",
            t,
            json!({"name": "To nowhere", "event": "ticket.created",
                   "actions": [{"action": "set_team", "team_id": 999_999}]}),
        )
        .await;
    assert_eq!(
        ghost_team.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        ghost_team.body
    );
    assert_eq!(ghost_team.body["error"]["field"], "actions");
    assert!(
        ghost_team.message().contains("999999"),
        "{}",
        ghost_team.message()
    );
    let ghost_agent = app
        .post(
            "/api/v1/macros",
            t,
            json!({"name": "Give to nobody", "actions": [{"action": "assign", "agent_id": 999_999}]}),
        )
        .await;
    assert_eq!(
        ghost_agent.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        ghost_agent.body
    );

    // Real references are accepted, and a later change to a missing one is refused too.
    let team = app.team("Billing", 1).await;
    let ok = app
        .post(
            "/api/v1/triggers",
            t,
            json!({"name": "To billing", "event": "ticket.created",
                   "actions": [{"action": "set_team", "team_id": team}]}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
    let changed = app
        .patch(
            &format!("/api/v1/triggers/{}", ok.id()),
            t,
            json!({"actions": [{"action": "set_team", "team_id": 999_999}]}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::UNPROCESSABLE_ENTITY);
}
