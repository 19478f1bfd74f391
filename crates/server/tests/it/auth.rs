use ferrodesk_core::Role;
use ferrodesk_testkit::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn session_login_cookie_and_logout() {
    let app = spawn_app().await;
    app.agent(
        "login@test.example",
        Role::Agent,
        &[],
        Some("correct horse battery"),
    )
    .await;

    let wrong = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "login@test.example", "password": "nope-nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong = ferrodesk_testkit::TestApp::answer(wrong).await;
    assert_eq!(wrong.code(), "invalid_credentials");
    let unknown = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "ghost@test.example", "password": "whatever1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);

    let ok = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "LOGIN@test.example", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let cookie = ok
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_string();

    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .header("Cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], "login@test.example");
    assert!(me.get("password_hash").is_none());

    let out = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("Cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = app
        .client
        .get(app.url("/api/v1/me"))
        .header("Cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_and_tokens_as_hashes() {
    let app = spawn_app().await;
    app.agent(
        "hash@test.example",
        Role::Agent,
        &[],
        Some("s3cret-password"),
    )
    .await;
    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM agents WHERE email = 'hash@test.example'")
            .fetch_one(app.db.reader())
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("s3cret-password"));
    let stored: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM api_tokens")
        .fetch_all(app.db.reader())
        .await
        .unwrap();
    assert!(!stored.is_empty());
    assert!(
        stored
            .iter()
            .all(|(h,)| h.len() == 64 && h != &app.admin_token)
    );
}

#[tokio::test]
async fn short_passwords_are_refused() {
    let app = spawn_app().await;
    let a = app
        .post(
            "/api/v1/agents",
            &app.admin_token,
            json!({"email": "p@test.example", "name": "P", "role": "agent", "password": "short"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["field"], "password");
    assert_eq!(
        app.get("/api/v1/agents", &app.admin_token).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn api_login(app: &ferrodesk_testkit::TestApp, email: &str, password: &str) -> StatusCode {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn the_api_sign_in_shares_the_sign_in_pages_limiter() {
    let app = spawn_app().await;
    app.agent(
        "guess@test.example",
        Role::Agent,
        &[],
        Some("correct horse"),
    )
    .await;
    for _ in 0..5 {
        assert_eq!(
            api_login(&app, "guess@test.example", "wrong-guess").await,
            StatusCode::UNAUTHORIZED
        );
    }
    // Locked out, even with the right password.
    let blocked = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "guess@test.example", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.headers().contains_key("retry-after"));
    let body: serde_json::Value = blocked.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // And the sign-in page counts the same failures.
    let page = app
        .client
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=guess%40test.example&password=correct+horse")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_throttled() {
    let app = spawn_app().await;
    app.agent(
        "target@test.example",
        Role::Agent,
        &[],
        Some("correct horse"),
    )
    .await;
    // Four wrong guesses per account stay under the per-account limit, but not under the
    // address's.
    for n in 0..5 {
        for _ in 0..4 {
            assert_eq!(
                api_login(&app, &format!("nobody{n}@test.example"), "wrong-guess").await,
                StatusCode::UNAUTHORIZED
            );
        }
    }
    assert_eq!(
        api_login(&app, "target@test.example", "correct horse").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn many_sign_ups_from_one_address_do_not_lock_its_sign_ins() {
    let app = spawn_app().await;
    app.agent(
        "office@test.example",
        Role::Agent,
        &[],
        Some("correct horse"),
    )
    .await;
    // A company's customers signing up from behind its one proxy address.
    for n in 0..25 {
        let page = app
            .client
            .post(app.url("/portal/signup"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "name=C{n}&email=c{n}%40cust.example&password=long+enough+pw"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK, "sign-up {n}");
    }
    assert_eq!(
        api_login(&app, "office@test.example", "correct horse").await,
        StatusCode::OK
    );
}
