//! The agent workspace over HTTP: sign-in, CSRF, the sign-in rate limit, permissions on pages.

use ferrodesk_core::Role;
use ferrodesk_testkit::{TestApp, spawn_app};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};

use crate::ticket_body;

/// A browser without a cookie jar or redirects: cookies are passed explicitly.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub cookie: String,
}

pub struct Page {
    pub status: StatusCode,
    pub location: String,
    pub set_cookie: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.base_url.clone(),
            cookie: String::new(),
        }
    }

    async fn page(res: reqwest::Response) -> Page {
        let status = res.status();
        let header = |n| {
            res.headers()
                .get(n)
                .map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_string())
        };
        let location = header(LOCATION).unwrap_or_default();
        let set_cookie = header(SET_COOKIE);
        Page {
            status,
            location,
            set_cookie,
            body: res.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if !self.cookie.is_empty() {
            req = req.header(COOKIE, &self.cookie);
        }
        Self::page(req.send().await.unwrap()).await
    }

    /// Posts a form (`a=1&b=2`, already encoded).
    pub async fn post(&self, path: &str, form: &str) -> Page {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form.to_string());
        if !self.cookie.is_empty() {
            req = req.header(COOKIE, &self.cookie);
        }
        Self::page(req.send().await.unwrap()).await
    }

    /// Keeps the cookie a response set.
    pub fn keep(&mut self, page: &Page) {
        let set = page.set_cookie.as_deref().expect("a cookie was set");
        self.cookie = set.split(';').next().unwrap().to_string();
    }

    /// The CSRF token embedded in a page.
    pub fn csrf(page: &Page) -> String {
        let at = page
            .body
            .find("name=\"_csrf\" value=\"")
            .expect("the page has a CSRF field");
        let rest = &page.body[at + 20..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    pub async fn sign_in(app: &TestApp, email: &str, password: &str) -> Browser {
        let mut b = Browser::new(app);
        let p = b
            .post(
                "/login",
                &format!(
                    "email={email}&password={}&next=/",
                    password.replace(' ', "+")
                ),
            )
            .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
        b.keep(&p);
        b
    }

    /// Signs a customer up on the portal as a person does: the form, then the link mailed to
    /// the address (`email` is form-encoded, `a%40b.example`), which opens the session.
    pub async fn portal_sign_up(app: &TestApp, email: &str) -> Browser {
        let mut b = Browser::new(app);
        let p = b
            .post(
                "/portal/signup",
                &format!("name=Customer&email={email}&password=long+enough+pw"),
            )
            .await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        assert!(p.set_cookie.is_none(), "sign-up alone opens no session");
        let link = app
            .last_link_to(&email.replace("%40", "@"))
            .expect("a sign-up mail with a link");
        let confirmed = b.get(&portal_path(&link)).await;
        assert_eq!(
            confirmed.status,
            StatusCode::SEE_OTHER,
            "{}",
            confirmed.body
        );
        b.keep(&confirmed);
        b
    }
}

#[tokio::test]
async fn sign_in_page_session_and_sign_out() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    app.agent(
        "ui@test.example",
        Role::Agent,
        &[team],
        Some("correct horse"),
    )
    .await;
    let b = Browser::new(&app);

    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location, "/login");
    let deep = b.get("/tickets/5").await;
    assert_eq!(deep.location, "/login?next=/tickets/5");

    let form = b.get("/login").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"password\""));

    let wrong = b
        .post("/login", "email=ui%40test.example&password=nope-nope")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("The email or the password is wrong"));
    assert!(wrong.body.contains("value=\"ui@test.example\""));

    let mut b = Browser::sign_in(&app, "ui%40test.example", "correct horse").await;
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("My open tickets"), "{}", home.body);
    assert!(home.body.contains("Unassigned in my teams"));
    assert!(home.body.contains("Front"));
    assert!(
        !home.body.contains("All tickets"),
        "agents have no All view"
    );

    // The same session works for the API (the cookie is shared).
    let me = b.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);

    // Signing out needs the CSRF token; then the session is gone.
    let token = Browser::csrf(&home);
    let refused = b.post("/logout", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let out = b.post("/logout", &format!("_csrf={token}")).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location, "/login");
    let after = b.get("/").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    b.cookie.clear();
}

#[tokio::test]
async fn csrf_is_required_for_cookie_sessions_only() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (_, token) = app
        .agent(
            "csrf@test.example",
            Role::Agent,
            &[team],
            Some("correct horse"),
        )
        .await;
    let t = app.ticket(&token, ticket_body("c@example.com")).await;
    let id = t["id"].as_i64().unwrap();
    let b = Browser::sign_in(&app, "csrf%40test.example", "correct horse").await;
    let page = b.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = Browser::csrf(&page);

    let refused = b
        .post(&format!("/tickets/{id}/reply"), "body=hello&kind=note")
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("The form has expired"));
    let forged = b
        .post(
            &format!("/tickets/{id}/reply"),
            "_csrf=0123456789abcdef0123456789abcdef&body=hello&kind=note",
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Any Authorization header does not excuse a cookie-authenticated page from CSRF.
    let junk_token = b
        .client
        .post(format!("{}/tickets/{id}/reply", b.base))
        .header(COOKIE, &b.cookie)
        .header("Authorization", "Bearer junk")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("body=forged+by+another+site&kind=note")
        .send()
        .await
        .unwrap();
    assert_eq!(junk_token.status(), StatusCode::FORBIDDEN);
    // Nor does a real token: pages act as the cookie's agent, so they need its CSRF token.
    let real_token = b
        .client
        .post(format!("{}/tickets/{id}/reply", b.base))
        .header(COOKIE, &b.cookie)
        .header("Authorization", format!("Bearer {token}"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("body=forged+by+another+site&kind=note")
        .send()
        .await
        .unwrap();
    assert_eq!(real_token.status(), StatusCode::FORBIDDEN);
    // The API with a junk token and the cookie: the token is what counts, and it is refused.
    let api_junk = b
        .client
        .post(format!("{}/api/v1/tickets/{id}/messages", b.base))
        .header(COOKIE, &b.cookie)
        .header("Authorization", "Bearer junk")
        .json(&serde_json::json!({"body": "forged", "internal": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(api_junk.status(), StatusCode::UNAUTHORIZED);
    let ok = b
        .post(
            &format!("/tickets/{id}/reply"),
            &format!("_csrf={csrf}&body=Checked+the+logs&kind=note"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location, format!("/tickets/{id}?done=note"));
    let page = b.get(&format!("/tickets/{id}")).await;
    assert!(page.body.contains("Checked the logs"));
    assert!(page.body.contains("msg note"));

    // The JSON API with the cookie: header token required; with a bearer token: none.
    let api = b
        .client
        .post(format!("{}/api/v1/tickets/{id}/messages", b.base))
        .header(COOKIE, &b.cookie)
        .json(&serde_json::json!({"body": "x", "internal": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let api = TestApp::answer(api).await;
    assert_eq!(api.code(), "csrf_failed");
    let api = b
        .client
        .post(format!("{}/api/v1/tickets/{id}/messages", b.base))
        .header(COOKIE, &b.cookie)
        .header("X-CSRF-Token", &csrf)
        .json(&serde_json::json!({"body": "x", "internal": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::CREATED);
    let bearer = app
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            &token,
            serde_json::json!({"body": "y", "internal": true}),
        )
        .await;
    assert_eq!(bearer.status, StatusCode::CREATED);

    // The API's sign-in hands out the same token.
    let login = b
        .client
        .post(format!("{}/api/v1/auth/login", b.base))
        .json(&serde_json::json!({"email": "csrf@test.example", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    assert_eq!(
        login.headers()["x-csrf-token"].to_str().unwrap().len(),
        32,
        "a CSRF token for API cookie callers"
    );

    // Changing fields from the page: status and assignee.
    let (me_id, _) = (t["assignee_id"].as_i64(), ());
    let _ = me_id;
    let saved = b
        .post(
            &format!("/tickets/{id}/fields"),
            &format!("_csrf={csrf}&status=pending&priority=high&team={team}&assignee=&category=billing&tags=vip,late"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let t = app.get(&format!("/api/v1/tickets/{id}"), &token).await;
    assert_eq!(t.body["status"], "pending");
    assert_eq!(t.body["priority"], "high");
    assert_eq!(t.body["category"], "billing");
    assert_eq!(t.body["assignee_id"], serde_json::Value::Null);
    assert_eq!(t.body["tags"], serde_json::json!(["late", "vip"]));
    let mine = b
        .post(
            &format!("/tickets/{id}/fields"),
            &format!("_csrf={csrf}&assign=me"),
        )
        .await;
    assert_eq!(mine.status, StatusCode::SEE_OTHER);
    let t = app.get(&format!("/api/v1/tickets/{id}"), &token).await;
    assert!(t.body["assignee_id"].as_i64().is_some());
    let page = b.get(&format!("/tickets/{id}")).await;
    assert!(
        page.body.contains("Priority: Normal → High"),
        "history shows the change"
    );
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_ip_and_email() {
    let app = spawn_app().await;
    app.agent("rl@test.example", Role::Agent, &[], Some("correct horse"))
        .await;
    let b = Browser::new(&app);
    for _ in 0..5 {
        let p = b
            .post("/login", "email=rl%40test.example&password=wrong-one")
            .await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    }
    let blocked = b
        .post("/login", "email=rl%40test.example&password=correct+horse")
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("Too many failed attempts"));
    // Another email from the same address is not locked out.
    app.agent(
        "other@test.example",
        Role::Agent,
        &[],
        Some("correct horse"),
    )
    .await;
    let other = b
        .post(
            "/login",
            "email=other%40test.example&password=correct+horse",
        )
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn agents_cannot_open_other_teams_tickets() {
    let app = spawn_app().await;
    let front = app.team("Front", 1).await;
    let back = app.team("Back", 2).await;
    app.agent(
        "front@test.example",
        Role::Agent,
        &[front],
        Some("correct horse"),
    )
    .await;
    let (_, back_token) = app
        .agent(
            "back@test.example",
            Role::Agent,
            &[back],
            Some("correct horse"),
        )
        .await;
    let theirs = app.ticket(&back_token, ticket_body("b@example.com")).await;
    let id = theirs["id"].as_i64().unwrap();
    let b = Browser::sign_in(&app, "front%40test.example", "correct horse").await;
    let page = b.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("belongs to a team you are not in"));
    assert!(!page.body.contains("Printer on fire"));
    let thread = b.get(&format!("/tickets/{id}/thread")).await;
    assert_eq!(thread.status, StatusCode::FORBIDDEN);
    let team_view = b.get(&format!("/?view=team-{back}")).await;
    assert_eq!(team_view.status, StatusCode::OK);
    assert!(!team_view.body.contains("Printer on fire"));
    let home = b.get("/?view=all").await;
    assert!(!home.body.contains("Printer on fire"));

    // A supervisor sees it, and the All view.
    app.agent(
        "sup@test.example",
        Role::Supervisor,
        &[],
        Some("correct horse"),
    )
    .await;
    let s = Browser::sign_in(&app, "sup%40test.example", "correct horse").await;
    let page = s.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Printer on fire"));
    let all = s.get("/?view=all").await;
    assert!(all.body.contains("All tickets"));
    assert!(all.body.contains("Printer on fire"));
}

#[tokio::test]
async fn russian_agent_sees_russian_pages() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (id, token) = app
        .agent(
            "ru@test.example",
            Role::Agent,
            &[team],
            Some("correct horse"),
        )
        .await;
    app.patch(
        &format!("/api/v1/agents/{id}"),
        &app.admin_token,
        serde_json::json!({"locale": "ru", "time_zone": "Europe/Moscow"}),
    )
    .await;
    let t = app.ticket(&token, ticket_body("r@example.com")).await;
    let b = Browser::sign_in(&app, "ru%40test.example", "correct horse").await;
    let home = b.get("/").await;
    assert!(home.body.contains("Мои открытые"), "{}", home.body);
    let page = b.get(&format!("/tickets/{}", t["id"])).await;
    assert!(page.body.contains("Ответ клиенту"));
    for english in [
        "My open tickets",
        "Public reply",
        "Internal note",
        "Assignee",
        "Sign out",
    ] {
        assert!(
            !home.body.contains(english),
            "{english} on the Russian queue"
        );
        assert!(
            !page.body.contains(english),
            "{english} on the Russian ticket page"
        );
    }
}

#[tokio::test]
async fn bulk_actions_change_many_tickets() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (_, token) = app
        .agent(
            "bulk@test.example",
            Role::Agent,
            &[team],
            Some("correct horse"),
        )
        .await;
    let a = app.ticket(&token, ticket_body("a@example.com")).await["id"]
        .as_i64()
        .unwrap();
    let b_id = app.ticket(&token, ticket_body("b@example.com")).await["id"]
        .as_i64()
        .unwrap();
    let b = Browser::sign_in(&app, "bulk%40test.example", "correct horse").await;
    let home = b.get(&format!("/?view=team-{team}")).await;
    let csrf = Browser::csrf(&home);
    let done = b
        .post(
            "/bulk",
            &format!(
                "_csrf={csrf}&view=team-{team}&ids={a}&ids={b_id}&action=priority&priority=urgent"
            ),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(done.location.contains("done=2"), "{}", done.location);
    for id in [a, b_id] {
        let t = app.get(&format!("/api/v1/tickets/{id}"), &token).await;
        assert_eq!(t.body["priority"], "urgent");
    }
    let flash = b.get(&done.location).await;
    assert!(flash.body.contains("2 tickets changed"));
}

#[tokio::test]
async fn sla_at_risk_view_lists_tickets_due_soon() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (_, token) = app
        .agent(
            "risk@test.example",
            Role::Agent,
            &[team],
            Some("correct horse"),
        )
        .await;
    let policy = app
        .post(
            "/api/v1/sla-policies",
            &app.admin_token,
            serde_json::json!({"name": "Fast", "position": 1, "first_response_min": 30}),
        )
        .await;
    assert_eq!(policy.status, StatusCode::CREATED, "{:?}", policy.body);
    let soon = app.ticket(&token, ticket_body("soon@example.com")).await;
    assert!(soon["first_response_due_at"].is_string(), "{soon}");
    let b = Browser::sign_in(&app, "risk%40test.example", "correct horse").await;
    let risk = b.get("/?view=at-risk").await;
    assert_eq!(risk.status, StatusCode::OK);
    assert!(risk.body.contains(&format!("/tickets/{}", soon["id"])));
    // Answered: the first-response deadline is met and the ticket leaves the view.
    app.post(
        &format!("/api/v1/tickets/{}/messages", soon["id"]),
        &token,
        serde_json::json!({"body": "On it"}),
    )
    .await;
    let risk = b.get("/?view=at-risk").await;
    assert!(!risk.body.contains(&format!("/tickets/{}\"", soon["id"])));
}

#[tokio::test]
async fn macros_apply_from_the_ticket_page() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (_, token) = app
        .agent(
            "mac@test.example",
            Role::Agent,
            &[team],
            Some("correct horse"),
        )
        .await;
    let m = app
        .post(
            "/api/v1/macros",
            &app.admin_token,
            serde_json::json!({"name": "Tag as duplicate", "actions": [{"action": "add_tags", "tags": ["duplicate"]}]}),
        )
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{:?}", m.body);
    let t = app.ticket(&token, ticket_body("m@example.com")).await;
    let b = Browser::sign_in(&app, "mac%40test.example", "correct horse").await;
    let page = b.get(&format!("/tickets/{}", t["id"])).await;
    assert!(page.body.contains("Tag as duplicate"));
    let csrf = Browser::csrf(&page);
    let applied = b
        .post(
            &format!("/tickets/{}/macro", t["id"]),
            &format!("_csrf={csrf}&macro_id={}", m.id()),
        )
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER);
    let t = app
        .get(&format!("/api/v1/tickets/{}", t["id"]), &token)
        .await;
    assert_eq!(t.body["tags"], serde_json::json!(["duplicate"]));
}

#[tokio::test]
async fn canned_responses_carry_their_reply_rendered_for_the_ticket_to_insert_into_the_reply_box() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (_, token) = app
        .agent(
            "canned@test.example",
            Role::Agent,
            &[team],
            Some("correct horse"),
        )
        .await;
    let m = app
        .post(
            "/api/v1/macros",
            &app.admin_token,
            serde_json::json!({"name": "Greeting", "actions": [{"action": "reply", "body": "Hello {{customer.name}}, about #{{ticket.number}}."}, {"action": "add_tags", "tags": ["greeted"]}]}),
        )
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{:?}", m.body);
    let fields_only = app
        .post(
            "/api/v1/macros",
            &app.admin_token,
            serde_json::json!({"name": "Tag only", "actions": [{"action": "add_tags", "tags": ["x"]}]}),
        )
        .await;
    assert_eq!(fields_only.status, StatusCode::CREATED);
    let mut body = ticket_body("pat@example.com");
    body["customer"]["name"] = "Pat".into();
    body["team_id"] = team.into();
    let t = app.ticket(&token, body).await;
    let b = Browser::sign_in(&app, "canned%40test.example", "correct horse").await;
    let page = b.get(&format!("/tickets/{}", t["id"])).await;
    let number = t["number"].as_i64().unwrap();
    assert!(
        page.body.contains(&format!(
            "data-text=\"Hello Pat, about #{number}.\">Greeting"
        )),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("data-text=\"\">Tag only"),
        "a macro without a reply inserts nothing"
    );
    assert!(page.body.contains("id=\"insert-canned\""));
}

#[tokio::test]
async fn bulk_merge_folds_the_selected_tickets_into_the_one_named_by_number() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (_, token) = app
        .agent(
            "merger@test.example",
            Role::Agent,
            &[team],
            Some("correct horse"),
        )
        .await;
    let mut ids = Vec::new();
    for who in ["a", "b", "c"] {
        let mut body = ticket_body(&format!("{who}@example.com"));
        body["team_id"] = team.into();
        ids.push(app.ticket(&token, body).await);
    }
    let into = &ids[0];
    let b = Browser::sign_in(&app, "merger%40test.example", "correct horse").await;
    let home = b.get(&format!("/?view=team-{team}")).await;
    let csrf = Browser::csrf(&home);
    let done = b
        .post(
            "/bulk",
            &format!(
                "_csrf={csrf}&view=team-{team}&ids={}&ids={}&action=merge&into=%23{}",
                ids[1]["id"], ids[2]["id"], into["number"]
            ),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(done.location.contains("done=2"), "{}", done.location);
    for t in &ids[1..] {
        let merged = app
            .get(&format!("/api/v1/tickets/{}", t["id"]), &token)
            .await;
        assert_eq!(merged.body["status"], "merged", "{:?}", merged.body);
    }
    let target = app
        .get(&format!("/api/v1/tickets/{}", into["id"]), &token)
        .await;
    assert_ne!(target.body["status"], "merged");
}

/// The `/portal/…` path of a link a portal mail carries (the mail has the full URL).
pub fn portal_path(link: &str) -> String {
    let (_, rest) = link.split_once("/portal/").expect("a portal link");
    format!("/portal/{rest}")
}

#[tokio::test]
async fn pages_forbid_framing_and_inline_script_except_the_embeddable_form() {
    let app = spawn_app().await;
    let get = |path: &str| app.client.get(app.url(path)).send();
    for path in ["/login", "/portal/login", "/help/en", "/api/docs"] {
        let res = get(path).await.unwrap();
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        let body = res.text().await.unwrap();
        assert!(
            !body.contains("<script>")
                && !body.contains(" onsubmit=")
                && !body.contains(" onclick="),
            "{path} runs inline script, which the policy blocks"
        );
    }
    let form = get("/portal/form").await.unwrap();
    let csp = form.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(!form.headers().contains_key("x-frame-options"));
    let api = get("/api/v1/openapi.json").await.unwrap();
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
    let script = get("/api/docs.js").await.unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script.text().await.unwrap().contains("openapi.json"));
}
