//! The admin pages over HTTP: admins only; agents, teams and JSON settings are saved through
//! the same store functions as the API.

use ferrodesk_core::Role;
use ferrodesk_testkit::spawn_app;
use reqwest::StatusCode;

use crate::ui::Browser;

#[tokio::test]
async fn admin_pages_manage_agents_teams_and_rules() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    app.agent("boss@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    app.agent(
        "plain@test.example",
        Role::Agent,
        &[team],
        Some("correct horse"),
    )
    .await;

    let plain = Browser::sign_in(&app, "plain%40test.example", "correct horse").await;
    assert_eq!(
        plain.get("/admin/agents").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        plain.get("/admin/settings/sla").await.status,
        StatusCode::FORBIDDEN
    );

    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get("/admin/agents").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("plain@test.example"));
    let csrf = Browser::csrf(&page);

    let created = boss
        .post(
            "/admin/agents",
            &format!("_csrf={csrf}&email=new%40test.example&name=New+Agent&role=agent&teams={team}&password=long+enough"),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert!(created.location.contains("done=1"), "{}", created.location);
    let list = app.get("/api/v1/agents?limit=50", &app.admin_token).await;
    let new = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "new@test.example")
        .unwrap()
        .clone();
    assert_eq!(new["team_ids"], serde_json::json!([team]));
    let id = new["id"].as_i64().unwrap();

    // Promote and deactivate (the active box left unchecked).
    let saved = boss
        .post(
            &format!("/admin/agents/{id}"),
            &format!("_csrf={csrf}&role=supervisor&capacity=5&skills=billing"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let a = app
        .get(&format!("/api/v1/agents/{id}"), &app.admin_token)
        .await;
    assert_eq!(a.body["role"], "supervisor");
    assert_eq!(a.body["active"], false);
    assert_eq!(a.body["capacity"], 5);

    // Team: assignment strategy and members.
    let teams = boss.get("/admin/teams").await;
    assert!(teams.body.contains("Round robin"));
    let saved = boss
        .post(
            &format!("/admin/teams/{team}"),
            &format!("_csrf={csrf}&name=Front&tier=2&assignment=round_robin&members={id}"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let t = app
        .get(&format!("/api/v1/teams/{team}"), &app.admin_token)
        .await;
    assert_eq!(t.body["assignment"], "round_robin");
    assert_eq!(t.body["tier"], 2);

    // JSON settings: a macro from the page's example, an invalid one refused with the reason.
    let macros = boss.get("/admin/settings/macros").await;
    assert_eq!(macros.status, StatusCode::OK);
    let example = r#"{"name": "Solve as duplicate", "actions": [{"action": "set_status", "status": "solved"}]}"#;
    let created = boss
        .post(
            "/admin/settings/macros",
            &format!("_csrf={csrf}&json={}", urlencode(example)),
        )
        .await;
    assert!(created.location.contains("done=1"), "{}", created.location);
    let bad = boss
        .post(
            "/admin/settings/macros",
            &format!("_csrf={csrf}&json=%7B%7D"),
        )
        .await;
    assert!(bad.location.contains("error="), "{}", bad.location);
    let shown = boss.get(&bad.location).await;
    assert!(shown.body.contains("class=\"error\""));
    let macros = boss.get("/admin/settings/macros").await;
    assert!(macros.body.contains("Solve as duplicate"));
    // Organisations and a customer's portal access.
    let org = boss
        .post(
            "/admin/organizations",
            &format!("_csrf={csrf}&name=Acme&domain=acme.example"),
        )
        .await;
    assert!(org.location.contains("done=1"), "{}", org.location);
    assert!(
        boss.get("/admin/organizations")
            .await
            .body
            .contains("acme.example")
    );
    let unknown = boss
        .post(
            "/admin/portal-access",
            &format!("_csrf={csrf}&email=nobody%40acme.example&sees=organization"),
        )
        .await;
    assert!(
        unknown.location.contains("error=customer_not_found"),
        "{}",
        unknown.location
    );
    app.ticket(&app.admin_token, crate::ticket_body("zoe@acme.example"))
        .await;
    let granted = boss
        .post(
            "/admin/portal-access",
            &format!("_csrf={csrf}&email=zoe%40acme.example&sees=organization"),
        )
        .await;
    assert!(granted.location.contains("done=1"), "{}", granted.location);
    for kind in ["sla", "calendars", "triggers", "automations"] {
        assert_eq!(
            boss.get(&format!("/admin/settings/{kind}")).await.status,
            StatusCode::OK
        );
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
