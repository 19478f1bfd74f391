use ferrodesk_core::Role;
use ferrodesk_testkit::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

use crate::ticket_body;

#[tokio::test]
async fn agents_see_only_their_teams_tickets() {
    let app = spawn_app().await;
    let admin = &app.admin_token;
    // Opened before any line-1 team exists, so no team gets it.
    let no_team = app.ticket(admin, ticket_body("p@example.com")).await;
    assert!(no_team["team_id"].is_null());
    let line1 = app.team("Line 1", 1).await;
    let line2 = app.team("Line 2", 2).await;
    let (_, agent1) = app
        .agent("one@test.example", Role::Agent, &[line1], None)
        .await;
    let (agent2_id, agent2) = app
        .agent("two@test.example", Role::Agent, &[line2], None)
        .await;
    let (_, supervisor) = app
        .agent("sup@test.example", Role::Supervisor, &[], None)
        .await;

    let mut body = ticket_body("p@example.com");
    body["team_id"] = json!(line1);
    let in_line1 = app.ticket(admin, body).await;
    let mut body = ticket_body("p@example.com");
    body["team_id"] = json!(line2);
    let in_line2 = app.ticket(admin, body).await;

    let ids = |v: serde_json::Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(app.get("/api/v1/tickets", &agent1).await.body),
        vec![in_line1["id"].clone()]
    );
    assert_eq!(
        ids(app.get("/api/v1/tickets", &agent2).await.body),
        vec![in_line2["id"].clone()]
    );
    assert_eq!(
        ids(app.get("/api/v1/tickets", &supervisor).await.body).len(),
        3
    );
    assert_eq!(ids(app.get("/api/v1/tickets", admin).await.body).len(), 3);
    // A filter cannot widen the scope.
    assert!(
        ids(app
            .get(&format!("/api/v1/tickets?team_id={line2}"), &agent1)
            .await
            .body)
        .is_empty()
    );

    // Direct access outside the scope is refused, for reads and writes alike.
    for path in [
        format!("/api/v1/tickets/{}", in_line2["id"]),
        format!("/api/v1/tickets/{}/messages", in_line2["id"]),
        format!("/api/v1/tickets/{}/events", in_line2["id"]),
        format!("/api/v1/tickets/{}", no_team["id"]),
    ] {
        let a = app.get(&path, &agent1).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(a.code(), "ticket_forbidden");
    }
    let write = app
        .patch(
            &format!("/api/v1/tickets/{}", in_line2["id"]),
            &agent1,
            json!({"priority": "urgent"}),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    let reply = app
        .post(
            &format!("/api/v1/tickets/{}/messages", in_line2["id"]),
            &agent1,
            json!({"body": "hi"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/api/v1/tickets/{}", in_line2["id"]), admin)
            .await
            .body["priority"],
        "normal"
    );

    // A ticket assigned to an agent is theirs to see even in another team's queue.
    let mut body = ticket_body("p@example.com");
    body["team_id"] = json!(line2);
    body["assignee_id"] = json!(agent2_id);
    let assigned = app.ticket(admin, body).await;
    assert_eq!(
        app.get(&format!("/api/v1/tickets/{}", assigned["id"]), &agent2)
            .await
            .status,
        StatusCode::OK
    );

    // Handing a ticket on to line 2 takes it out of line 1's sight.
    let path = format!("/api/v1/tickets/{}", in_line1["id"]);
    assert_eq!(
        app.patch(&path, &agent1, json!({"team_id": line2}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(app.get(&path, &agent1).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&path, &agent2).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_agents_new_ticket_lands_in_their_team() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (_, agent) = app
        .agent("front@test.example", Role::Agent, &[team], None)
        .await;
    let ticket = app.ticket(&agent, ticket_body("walkin@example.com")).await;
    assert_eq!(ticket["team_id"], team);
    assert_eq!(
        app.get(&format!("/api/v1/tickets/{}", ticket["id"]), &agent)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn only_admins_manage_agents_and_teams() {
    let app = spawn_app().await;
    let (agent_id, agent) = app
        .agent("plain@test.example", Role::Agent, &[], None)
        .await;
    let (_, supervisor) = app
        .agent("super@test.example", Role::Supervisor, &[], None)
        .await;
    let new_agent = json!({"email": "x@test.example", "name": "X", "role": "agent"});
    for token in [&agent, &supervisor] {
        let a = app.post("/api/v1/agents", token, new_agent.clone()).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(a.code(), "admin_required");
        let t = app
            .post("/api/v1/teams", token, json!({"name": "T", "tier": 1}))
            .await;
        assert_eq!(t.status, StatusCode::FORBIDDEN);
    }
    // Everyone may read the directory.
    assert_eq!(
        app.get("/api/v1/agents", &agent).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/teams", &agent).await.status,
        StatusCode::OK
    );
    // An agent edits their own profile, but not their role.
    let own = app
        .patch(
            &format!("/api/v1/agents/{agent_id}"),
            &agent,
            json!({"name": "Plain Agent", "locale": "ru"}),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    assert_eq!(own.body["locale"], "ru");
    let promote = app
        .patch(
            &format!("/api/v1/agents/{agent_id}"),
            &agent,
            json!({"role": "admin"}),
        )
        .await;
    assert_eq!(promote.status, StatusCode::FORBIDDEN);
    let other = app
        .patch(
            &format!("/api/v1/agents/{}", app.admin_id),
            &agent,
            json!({"name": "Hacked"}),
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    // Organisations need a supervisor; customers any agent.
    assert_eq!(
        app.post("/api/v1/organizations", &agent, json!({"name": "Org"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/api/v1/organizations", &supervisor, json!({"name": "Org"}))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post(
            "/api/v1/customers",
            &agent,
            json!({"email": "c@example.com"})
        )
        .await
        .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_deactivated_agents_token_stops_working() {
    let app = spawn_app().await;
    let (id, token) = app
        .agent("leaver@test.example", Role::Agent, &[], None)
        .await;
    assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::OK);
    assert_eq!(
        app.delete(&format!("/api/v1/agents/{id}"), &app.admin_token)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let a = app.get("/api/v1/me", &token).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.code(), "invalid_token");
    let agent = app
        .get(&format!("/api/v1/agents/{id}"), &app.admin_token)
        .await;
    assert_eq!(agent.body["active"], false);
    // The token acts as its agent: the admin cannot deactivate themselves through it.
    let own = app
        .delete(
            &format!("/api/v1/agents/{}", app.admin_id),
            &app.admin_token,
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
}
