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

#[tokio::test]
async fn admins_connect_mailboxes_set_acknowledgements_and_release_held_mail_on_pages() {
    let app = spawn_app().await;
    let team = app.team("Billing", 1).await;
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
        plain.get("/admin/mailboxes").await.status,
        StatusCode::FORBIDDEN
    );

    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get("/admin/mailboxes").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = Browser::csrf(&page);
    let created = boss
        .post(
            "/admin/mailboxes",
            &format!("_csrf={csrf}&address=billing%40desk.example&display_name=Billing&team_id={team}&smtp_host=smtp.desk.example&smtp_port=587\
&smtp_security=starttls&smtp_password=pw-one&imap_host=imap.desk.example&imap_security=tls&imap_username=billing&imap_password=pw-two&auto_ack=1"),
        )
        .await;
    assert!(created.location.contains("done=1"), "{}", created.location);
    let list = app.get("/api/v1/mailboxes", &app.admin_token).await;
    let m = list.body[0].clone();
    assert_eq!(m["team_id"], team);
    assert_eq!(m["imap_port"], 993);
    assert_eq!(m["auto_ack"], true);
    assert_eq!(m["has_imap_password"], true);
    let id = m["id"].as_i64().unwrap();
    let page = boss.get("/admin/mailboxes").await;
    assert!(page.body.contains("billing@desk.example"));
    assert!(
        !page.body.contains("pw-one") && !page.body.contains("pw-two"),
        "passwords never shown"
    );

    // A blank password keeps the stored one; an empty IMAP host stops polling.
    let saved = boss
        .post(
            &format!("/admin/mailboxes/{id}"),
            &format!("_csrf={csrf}&display_name=Billing+Desk&team_id={team}&smtp_host=smtp.desk.example&smtp_port=2525&smtp_security=none&smtp_password=&imap_host="),
        )
        .await;
    assert!(saved.location.contains("done=1"), "{}", saved.location);
    let m = app
        .get(&format!("/api/v1/mailboxes/{id}"), &app.admin_token)
        .await
        .body;
    assert_eq!(m["display_name"], "Billing Desk");
    assert_eq!(m["smtp_port"], 2525);
    assert_eq!(m["has_password"], true);
    assert_eq!(m["imap_host"], serde_json::Value::Null);
    assert_eq!(
        m["auto_ack"], false,
        "an unchecked box turns acknowledgements off"
    );
    let refused = boss
        .post(
            &format!("/admin/mailboxes/{id}"),
            &format!("_csrf={csrf}&smtp_port=99999"),
        )
        .await;
    assert!(refused.location.contains("error="), "{}", refused.location);

    // The team's acknowledgement texts.
    let teams_page = boss.get("/admin/teams").await;
    assert!(teams_page.body.contains("name=\"ack_en\""));
    let saved = boss
        .post(
            &format!("/admin/teams/{team}"),
            &format!("_csrf={csrf}&name=Billing&tier=1&ack_en=Thanks%2C+%7Bname%7D&ack_ru="),
        )
        .await;
    assert!(saved.location.contains("done=1"), "{}", saved.location);
    let t = app
        .get(&format!("/api/v1/teams/{team}"), &app.admin_token)
        .await
        .body;
    assert_eq!(t["auto_ack"], serde_json::json!({"en": "Thanks, {name}"}));

    assert!(
        boss.post(
            &format!("/admin/mailboxes/{id}/delete"),
            &format!("_csrf={csrf}")
        )
        .await
        .location
        .contains("done=1")
    );
    assert_eq!(
        app.get(&format!("/api/v1/mailboxes/{id}"), &app.admin_token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
