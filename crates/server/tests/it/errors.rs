use ferrodesk_testkit::spawn_app;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::ticket_body;

#[tokio::test]
async fn missing_or_bad_credentials_are_401() {
    let app = spawn_app().await;
    let none = app.call(Method::GET, "/api/v1/tickets", None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.code(), "unauthorized");
    assert!(none.message().contains("Bearer"));
    let wrong = app.get("/api/v1/tickets", "fdt_not_a_real_token").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_token");
    let malformed = app
        .client
        .get(app.url("/api/v1/tickets"))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_json_unknown_fields_and_wrong_types_say_what_is_wrong() {
    let app = spawn_app().await;
    let send_raw = |body: &'static str, content_type: &'static str| {
        let req = app
            .client
            .post(app.url("/api/v1/tickets"))
            .bearer_auth(&app.admin_token)
            .header("Content-Type", content_type)
            .body(body);
        async move { ferrodesk_testkit::TestApp::answer(req.send().await.unwrap()).await }
    };
    let syntax = send_raw("{\"subject\": ", "application/json").await;
    assert_eq!(syntax.status, StatusCode::BAD_REQUEST);
    assert_eq!(syntax.code(), "invalid_json");

    let media = send_raw("subject=x", "application/x-www-form-urlencoded").await;
    assert_eq!(media.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(media.code(), "unsupported_media_type");

    let mut unknown = ticket_body("u@example.com");
    unknown["stauts"] = json!("open");
    let a = app.post("/api/v1/tickets", &app.admin_token, unknown).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "invalid_body");
    assert!(
        a.message().contains("unknown field `stauts`"),
        "{}",
        a.message()
    );

    let mut wrong_type = ticket_body("u@example.com");
    wrong_type["tags"] = json!("vip");
    let a = app
        .post("/api/v1/tickets", &app.admin_token, wrong_type)
        .await;
    assert_eq!(a.code(), "invalid_body");
    assert!(a.message().contains("tags"), "{}", a.message());

    let mut bad_enum = ticket_body("u@example.com");
    bad_enum["priority"] = json!("asap");
    let a = app
        .post("/api/v1/tickets", &app.admin_token, bad_enum)
        .await;
    assert_eq!(a.code(), "invalid_body");
    assert!(
        a.message().contains("low, normal, high, urgent"),
        "{}",
        a.message()
    );

    let a = app
        .post(
            "/api/v1/tickets",
            &app.admin_token,
            json!({"subject": "x", "body": "y", "customer": {"email": "not-an-email"}}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.message().contains("not a valid email"), "{}", a.message());

    let a = app
        .post(
            "/api/v1/tickets",
            &app.admin_token,
            json!({"subject": "   ", "body": "y", "customer": {"email": "e@example.com"}}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "invalid_field");
    assert_eq!(a.body["error"]["field"], "subject");

    let missing = app
        .post("/api/v1/tickets", &app.admin_token, json!({"subject": "x"}))
        .await;
    assert_eq!(missing.code(), "invalid_body");
    assert!(
        missing.message().contains("missing field"),
        "{}",
        missing.message()
    );

    // None of it left anything behind.
    let list = app.get("/api/v1/tickets", &app.admin_token).await;
    assert!(list.body["items"].as_array().unwrap().is_empty());
    let customers = app.get("/api/v1/customers", &app.admin_token).await;
    assert!(customers.body["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn oversize_bodies_are_413() {
    let app = spawn_app().await;
    let mut big = ticket_body("big@example.com");
    big["body"] = json!("x".repeat(2 * 1024 * 1024));
    let a = app.post("/api/v1/tickets", &app.admin_token, big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.code(), "payload_too_large");

    // Under the transport limit but over the message limit: a field error.
    let mut long = ticket_body("big@example.com");
    long["body"] = json!("y".repeat(300 * 1024));
    let a = app.post("/api/v1/tickets", &app.admin_token, long).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["field"], "body");
}

#[tokio::test]
async fn unknown_ids_routes_and_bad_queries() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    for (path, code) in [
        ("/api/v1/tickets/424242", "ticket_not_found"),
        ("/api/v1/customers/424242", "customer_not_found"),
        ("/api/v1/organizations/424242", "organization_not_found"),
        ("/api/v1/agents/424242", "agent_not_found"),
        ("/api/v1/teams/424242", "team_not_found"),
        ("/api/v1/nothing-here", "route_not_found"),
    ] {
        let a = app.get(path, t).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(a.code(), code, "{path}");
    }
    let a = app.get("/api/v1/tickets/abc", t).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.code(), "invalid_path");
    let a = app.get("/api/v1/tickets?status=done", t).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.code(), "invalid_query");
    assert!(a.message().contains("expected one of"), "{}", a.message());
    let a = app.get("/api/v1/tickets?limit=0", t).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["field"], "limit");
    let a = app.get("/api/v1/tickets?cursor=zzz", t).await;
    assert_eq!(a.body["error"]["field"], "cursor");
    let a = app.get("/api/v1/tickets?colour=red", t).await;
    assert_eq!(a.code(), "invalid_query");
    let a = app
        .call(Method::PUT, "/api/v1/tickets", Some(t), None)
        .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.code(), "method_not_allowed");
    let a = app
        .patch("/api/v1/tickets/424242", t, json!({"status": "open"}))
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn control_characters_and_invalid_utf8_are_refused_on_both_databases() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    for subject in ["NUL \u{0} in the subject", "escape \u{1b}[31m red"] {
        let refused = app
            .post(
                "/api/v1/tickets",
                t,
                json!({"subject": subject, "body": "x", "customer": {"email": "c@example.com"}}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{subject:?}: {:?}",
            refused.body
        );
        assert_eq!(refused.body["error"]["field"], "subject");
    }
    let body_nul = app
        .post(
            "/api/v1/tickets",
            t,
            json!({"subject": "fine", "body": "a\u{0}b", "customer": {"email": "c@example.com"}}),
        )
        .await;
    assert_eq!(body_nul.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body_nul.body["error"]["field"], "body");
    let tabs_and_lines = app
        .post(
            "/api/v1/tickets",
            t,
            json!({"subject": "tab\there", "body": "line one\r\nline two\n\tindented", "customer": {"email": "c@example.com"}}),
        )
        .await;
    assert_eq!(
        tabs_and_lines.status,
        StatusCode::CREATED,
        "{:?}",
        tabs_and_lines.body
    );

    // A form whose bytes are not UTF-8 is refused, not stored with U+FFFD in their place.
    let form = app
        .client
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a%FF%FE%40example.com&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::BAD_REQUEST);
    let fine = app
        .client
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=%D0%B0%40example.com&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fine.status(),
        StatusCode::UNAUTHORIZED,
        "UTF-8 (а) passes on to the sign-in"
    );
}

#[tokio::test]
async fn sla_minutes_beyond_a_year_are_refused_and_the_schema_says_so() {
    let app = spawn_app().await;
    let t = &app.admin_token;
    let refused = app
        .post(
            "/api/v1/sla-policies",
            t,
            json!({"name": "Too late", "position": 1, "first_response_min": 60, "warn_before_min": 2_147_483_648u64}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.body["error"]["field"], "warn_before_min");
    let spec = app.get("/api/v1/openapi.json", t).await.body;
    assert_eq!(
        spec["components"]["schemas"]["NewSlaPolicy"]["properties"]["warn_before_min"]["maximum"],
        525600
    );
    let limit = spec["paths"]["/api/v1/tickets/{id}/messages"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .cloned()
        .unwrap();
    assert_eq!(limit["schema"]["maximum"], 200);
    assert_eq!(limit["schema"]["minimum"], 1);
}
