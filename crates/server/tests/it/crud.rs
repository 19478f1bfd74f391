use ferrodesk_testkit::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

use crate::ticket_body;

#[tokio::test]
async fn customers_crud() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let org = app
        .post(
            "/api/v1/organizations",
            t,
            json!({"name": "Acme", "domain": "Acme.example"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED);
    assert_eq!(org.body["domain"], "acme.example");
    let c = app.post("/api/v1/customers", t, json!({"email": "Jane@Acme.example", "phone": "+7 (900) 123-45-67", "organization_id": org.id()})).await;
    assert_eq!(c.status, StatusCode::CREATED, "{:?}", c.body);
    assert_eq!(c.body["name"], "jane");
    let id = c.id();
    let dup = app
        .post(
            "/api/v1/customers",
            t,
            json!({"email": "jane@acme.example"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.code(), "customer_exists");

    let by_email = app
        .get("/api/v1/customers?email=JANE@acme.example", t)
        .await;
    assert_eq!(by_email.body["items"][0]["id"], id);
    let by_org = app
        .get(
            &format!("/api/v1/customers?organization_id={}", org.id()),
            t,
        )
        .await;
    assert_eq!(by_org.body["items"].as_array().unwrap().len(), 1);

    let patched = app
        .patch(
            &format!("/api/v1/customers/{id}"),
            t,
            json!({"name": "Jane Doe", "phone": null}),
        )
        .await;
    assert_eq!(patched.body["name"], "Jane Doe");
    assert!(patched.body["phone"].is_null());
    let bad_phone = app
        .patch(
            &format!("/api/v1/customers/{id}"),
            t,
            json!({"phone": "call me"}),
        )
        .await;
    assert_eq!(bad_phone.body["error"]["field"], "phone");
    let bad_org = app
        .patch(
            &format!("/api/v1/customers/{id}"),
            t,
            json!({"organization_id": 5555}),
        )
        .await;
    assert_eq!(bad_org.code(), "organization_not_found");

    // A new customer from a ticket joins the organisation of their mail domain.
    let ticket = app.ticket(t, ticket_body("bob@acme.example")).await;
    let bob = app
        .get(&format!("/api/v1/customers/{}", ticket["customer_id"]), t)
        .await;
    assert_eq!(bob.body["organization_id"], org.id());
    let refused = app
        .delete(&format!("/api/v1/customers/{}", ticket["customer_id"]), t)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "customer_has_tickets");

    assert_eq!(
        app.delete(&format!("/api/v1/customers/{id}"), t)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/customers/{id}"), t).await.status,
        StatusCode::NOT_FOUND
    );

    // Deleting the organisation keeps its customers.
    assert_eq!(
        app.delete(&format!("/api/v1/organizations/{}", org.id()), t)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let bob = app
        .get(&format!("/api/v1/customers/{}", ticket["customer_id"]), t)
        .await;
    assert!(bob.body["organization_id"].is_null());
}

#[tokio::test]
async fn organizations_crud() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let a = app
        .post(
            "/api/v1/organizations",
            t,
            json!({"name": "ООО Ромашка", "domain": "romashka.example"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let dup = app
        .post("/api/v1/organizations", t, json!({"name": "ООО Ромашка"}))
        .await;
    assert_eq!(dup.code(), "organization_exists");
    let bad = app
        .post(
            "/api/v1/organizations",
            t,
            json!({"name": "X", "domain": "not a domain"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "domain");
    let p = app
        .patch(
            &format!("/api/v1/organizations/{}", a.id()),
            t,
            json!({"domain": null}),
        )
        .await;
    assert!(p.body["domain"].is_null());
    assert_eq!(
        app.get("/api/v1/organizations", t).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn agents_and_teams_crud() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let team = app
        .post("/api/v1/teams", t, json!({"name": "Line 2", "tier": 2}))
        .await;
    assert_eq!(team.status, StatusCode::CREATED);
    assert_eq!(team.body["tier"], 2);
    let bad_tier = app
        .post("/api/v1/teams", t, json!({"name": "Line 4", "tier": 4}))
        .await;
    assert_eq!(bad_tier.code(), "invalid_body");
    assert!(
        bad_tier.message().contains("tier must be 1, 2 or 3"),
        "{}",
        bad_tier.message()
    );

    let agent = app.post("/api/v1/agents", t, json!({"email": "Maria@test.example", "name": "Мария", "role": "agent", "team_ids": [team.id()], "time_zone": "Europe/Moscow"})).await;
    assert_eq!(agent.status, StatusCode::CREATED, "{:?}", agent.body);
    assert_eq!(agent.body["email"], "maria@test.example");
    assert_eq!(agent.body["team_ids"], json!([team.id()]));
    assert_eq!(agent.body["active"], true);
    let dup = app
        .post(
            "/api/v1/agents",
            t,
            json!({"email": "maria@test.example", "name": "M2", "role": "agent"}),
        )
        .await;
    assert_eq!(dup.code(), "agent_exists");
    let bad_tz = app.post("/api/v1/agents", t, json!({"email": "tz@test.example", "name": "T", "role": "agent", "time_zone": "Mars/Base"})).await;
    assert_eq!(bad_tz.body["error"]["field"], "time_zone");
    let bad_team = app
        .post(
            "/api/v1/agents",
            t,
            json!({"email": "tm@test.example", "name": "T", "role": "agent", "team_ids": [999]}),
        )
        .await;
    assert_eq!(bad_team.code(), "team_not_found");

    let members = app.get(&format!("/api/v1/teams/{}", team.id()), t).await;
    assert_eq!(members.body["member_ids"], json!([agent.id()]));
    let renamed = app
        .patch(
            &format!("/api/v1/teams/{}", team.id()),
            t,
            json!({"name": "Line 2 — Tech", "member_ids": []}),
        )
        .await;
    assert_eq!(renamed.body["member_ids"], json!([]));
    assert_eq!(
        app.get(&format!("/api/v1/agents/{}", agent.id()), t)
            .await
            .body["team_ids"],
        json!([])
    );

    let promoted = app
        .patch(
            &format!("/api/v1/agents/{}", agent.id()),
            t,
            json!({"role": "supervisor", "team_ids": [team.id()]}),
        )
        .await;
    assert_eq!(promoted.body["role"], "supervisor");
    let events = ferrodesk_store::events::list_for(
        &app.db,
        "agent",
        agent.id(),
        ferrodesk_store::PageRequest::first(50),
    )
    .await
    .unwrap();
    assert!(
        events
            .items
            .iter()
            .any(|e| e.kind == "agent.updated" && e.data["field"] == "role")
    );

    // A team with tickets cannot be deleted; an empty one can.
    let mut body = ticket_body("t@example.com");
    body["team_id"] = json!(team.id());
    app.ticket(t, body).await;
    let refused = app.delete(&format!("/api/v1/teams/{}", team.id()), t).await;
    assert_eq!(refused.code(), "team_has_tickets");
    let empty = app
        .post("/api/v1/teams", t, json!({"name": "Spare", "tier": 3}))
        .await;
    assert_eq!(
        app.delete(&format!("/api/v1/teams/{}", empty.id()), t)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/teams", t).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_last_active_admin_cannot_demote_or_deactivate_themselves() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let me = format!("/api/v1/agents/{}", app.admin_id);
    for change in [json!({"role": "agent"}), json!({"role": "supervisor"})] {
        let refused = app.patch(&me, t, change.clone()).await;
        assert_eq!(
            refused.status,
            StatusCode::CONFLICT,
            "{change}: {:?}",
            refused.body
        );
        assert_eq!(refused.code(), "last_admin");
    }
    let still = app.get(&me, t).await;
    assert_eq!(still.body["role"], "admin");
    assert_eq!(still.body["active"], true);

    // With a second admin, the first may step down.
    let other = app
        .post(
            "/api/v1/agents",
            t,
            json!({"email": "second@test.example", "name": "Second", "role": "admin"}),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED, "{:?}", other.body);
    let demoted = app.patch(&me, t, json!({"role": "supervisor"})).await;
    assert_eq!(demoted.status, StatusCode::OK, "{:?}", demoted.body);
    assert_eq!(demoted.body["role"], "supervisor");
}

#[tokio::test]
async fn a_team_a_mailbox_points_at_is_not_deleted_and_the_answer_names_the_mailbox() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let team = app.team("Mail team", 1).await;
    let mailbox = app
        .post(
            "/api/v1/mailboxes",
            t,
            json!({"address": "help@team.example", "display_name": "Help", "smtp_host": "127.0.0.1",
                   "smtp_port": 2525, "team_id": team}),
        )
        .await;
    assert_eq!(mailbox.status, StatusCode::CREATED, "{:?}", mailbox.body);
    let refused = app.delete(&format!("/api/v1/teams/{team}"), t).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "team_in_use");
    assert!(
        refused.message().contains("help@team.example"),
        "{}",
        refused.message()
    );
    assert_eq!(
        app.get(&format!("/api/v1/teams/{team}"), t).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_customer_created_through_the_api_joins_the_organisation_of_their_domain() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let org = app
        .post(
            "/api/v1/organizations",
            t,
            json!({"name": "Acme", "domain": "acme.example"}),
        )
        .await;
    let joined = app
        .post("/api/v1/customers", t, json!({"email": "Ann@ACME.example"}))
        .await;
    assert_eq!(joined.status, StatusCode::CREATED, "{:?}", joined.body);
    assert_eq!(joined.body["organization_id"], org.id());
    let elsewhere = app
        .post("/api/v1/customers", t, json!({"email": "bo@other.example"}))
        .await;
    assert!(elsewhere.body["organization_id"].is_null());
}
