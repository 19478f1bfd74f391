//! The customer portal over HTTP: accounts, requests, who sees what, the web form.

use ferrodesk_core::{EmailAddress, Role};
use ferrodesk_desk::portal::{self, TokenPurpose};
use ferrodesk_testkit::spawn_app;
use reqwest::StatusCode;

use crate::ui::Browser;

async fn sign_up(app: &ferrodesk_testkit::TestApp, email: &str) -> Browser {
    Browser::portal_sign_up(app, email).await
}

#[tokio::test]
async fn customers_sign_up_submit_and_see_only_their_requests() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice%40cust.example").await;
    let home = alice.get("/portal").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("My requests"));

    let form = alice.get("/portal/new").await;
    let csrf = Browser::csrf(&form);
    let refused = alice
        .post("/portal/new", "subject=Broken&body=It+broke")
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "CSRF applies to the portal"
    );
    let created = alice
        .post(
            "/portal/new",
            &format!("_csrf={csrf}&subject=Broken+kettle&body=It+does+not+boil&category="),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page = alice.get(&created.location).await;
    assert!(page.body.contains("Broken kettle"));
    assert!(page.body.contains("It does not boil"));
    let id: i64 = created
        .location
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // The agent replies publicly and adds a note; the customer sees only the reply.
    let t = app
        .get(&format!("/api/v1/tickets/{id}"), &app.admin_token)
        .await;
    assert_eq!(t.body["channel"], "web");
    app.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &app.admin_token,
        serde_json::json!({"body": "Try descaling it.", "internal": false}),
    )
    .await;
    app.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &app.admin_token,
        serde_json::json!({"body": "Secret colleague note", "internal": true}),
    )
    .await;
    let page = alice.get(&format!("/portal/requests/{id}")).await;
    assert!(page.body.contains("Try descaling it."));
    assert!(!page.body.contains("Secret colleague note"));
    let reply = alice
        .post(
            &format!("/portal/requests/{id}/reply"),
            &format!("_csrf={csrf}&body=Still+broken"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let t = app
        .get(&format!("/api/v1/tickets/{id}"), &app.admin_token)
        .await;
    assert_eq!(t.body["status"], "open");

    // Bob cannot see Alice's request.
    let bob = sign_up(&app, "bob%40other.example").await;
    let theirs = bob.get(&format!("/portal/requests/{id}")).await;
    assert_eq!(
        theirs.status,
        StatusCode::NOT_FOUND,
        "as if it did not exist"
    );
    assert!(!theirs.body.contains("Broken kettle"));
    let nonexistent = bob.get(&format!("/portal/requests/{}", id + 100_000)).await;
    assert_eq!(nonexistent.status, StatusCode::NOT_FOUND);
    for page in [&theirs, &nonexistent] {
        assert!(
            page.body.contains("There is no such ticket."),
            "another customer's request and a missing one answer alike"
        );
    }
    let list = bob.get("/portal").await;
    assert!(!list.body.contains("Broken kettle"));
    let bob_csrf = Browser::csrf(&list);
    let reply = bob
        .post(
            &format!("/portal/requests/{id}/reply"),
            &format!("_csrf={bob_csrf}&body=hijack"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    // Alice closes her request.
    let closed = alice
        .post(
            &format!("/portal/requests/{id}/close"),
            &format!("_csrf={csrf}"),
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let t = app
        .get(&format!("/api/v1/tickets/{id}"), &app.admin_token)
        .await;
    assert_eq!(t.body["status"], "solved");
}

#[tokio::test]
async fn organisation_requests_are_shared_only_when_allowed() {
    let app = spawn_app().await;
    let org = app
        .post(
            "/api/v1/organizations",
            &app.admin_token,
            serde_json::json!({"name": "Acme", "domain": "acme.example"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{:?}", org.body);
    let (_, token) = app
        .agent("sup@test.example", Role::Supervisor, &[], None)
        .await;
    let t = app
        .ticket(&token, crate::ticket_body("colleague@acme.example"))
        .await;
    let id = t["id"].as_i64().unwrap();
    let carol = sign_up(&app, "carol%40acme.example").await;
    let before = carol.get(&format!("/portal/requests/{id}")).await;
    assert_eq!(before.status, StatusCode::NOT_FOUND);
    let home = carol.get("/portal").await;
    assert!(!home.body.contains("Printer on fire"));
    let customer = app
        .get(
            "/api/v1/customers?email=carol@acme.example",
            &app.admin_token,
        )
        .await;
    let carol_id = customer.body["items"][0]["id"].as_i64().unwrap();
    portal::set_sees_organization(&app.db, carol_id, true)
        .await
        .unwrap();
    let after = carol.get(&format!("/portal/requests/{id}")).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(after.body.contains("Printer on fire"));
    let home = carol.get("/portal").await;
    assert!(home.body.contains("Printer on fire"));
}

#[tokio::test]
async fn sign_in_password_link_and_reset() {
    let app = spawn_app().await;
    let _ = sign_up(&app, "dan%40cust.example").await;
    let b = Browser::new(&app);
    let wrong = b
        .post(
            "/portal/login",
            "email=dan%40cust.example&password=nope-nope",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let ok = b
        .post(
            "/portal/login",
            "email=dan%40cust.example&password=long+enough+pw",
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(ok.set_cookie.unwrap().starts_with("ferrodesk_portal="));

    // A portal session is not an agent session.
    let mut c = Browser::new(&app);
    c.keep(
        &b.post(
            "/portal/login",
            "email=dan%40cust.example&password=long+enough+pw",
        )
        .await,
    );
    assert_eq!(c.get("/").await.status, StatusCode::SEE_OTHER);

    // Sign-in link: the same answer for known and unknown addresses; the link works once.
    let sent = b.post("/portal/link", "email=dan%40cust.example").await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.body.contains("we sent a link"));
    let link = app
        .last_link_to("dan@cust.example")
        .expect("a sign-in mail");
    let token = link.rsplit("token=").next().unwrap().to_string();
    let email = EmailAddress::parse("dan@cust.example").unwrap();
    let used = b.get(&format!("/portal/link/use?token={token}")).await;
    assert_eq!(used.status, StatusCode::SEE_OTHER);
    assert!(used.set_cookie.is_some());
    let again = b.get(&format!("/portal/link/use?token={token}")).await;
    assert_eq!(again.status, StatusCode::GONE);

    // Reset: a new password replaces the old one.
    let token = portal::issue_token(&app.db, TokenPurpose::Reset, &email, None)
        .await
        .unwrap();
    let reset = b
        .post(
            "/portal/reset/confirm",
            &format!("token={token}&password=brand+new+secret"),
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    let old = b
        .post(
            "/portal/login",
            "email=dan%40cust.example&password=long+enough+pw",
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = b
        .post(
            "/portal/login",
            "email=dan%40cust.example&password=brand+new+secret",
        )
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn anonymous_web_form_stores_the_request_at_once_and_confirms_it_by_the_link() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let form = b.get("/portal/form").await;
    assert_eq!(form.status, StatusCode::OK);
    let sent = b
        .post(
            "/portal/form",
            "name=Eve&email=eve%40anon.example&subject=Where+is+my+order&body=Order+77&category=",
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("confirm your address"));
    // Stored at once, and marked as waiting for the address to be confirmed.
    let waiting = app.get("/api/v1/tickets?limit=5", &app.admin_token).await;
    let items = waiting.body["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        1,
        "the request is a ticket before confirmation"
    );
    assert_eq!(items[0]["subject"], "Where is my order");
    assert_eq!(items[0]["tags"], serde_json::json!(["unconfirmed"]));
    let link = app
        .last_link_to("eve@anon.example")
        .expect("a confirmation mail");
    let path = &link[link.find("/portal/confirm").unwrap()..];
    let opened = b.get(path).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert!(opened.location.starts_with("/portal/requests/"));
    let mut eve = Browser::new(&app);
    eve.keep(&opened);
    let page = eve.get(&opened.location).await;
    assert!(page.body.contains("Where is my order"));
    let some = app.get("/api/v1/tickets?limit=5", &app.admin_token).await;
    assert_eq!(
        some.body["items"].as_array().unwrap().len(),
        1,
        "one ticket, not two"
    );
    assert_eq!(some.body["items"][0]["subject"], "Where is my order");
    assert_eq!(some.body["items"][0]["tags"], serde_json::json!([]));
    assert_eq!(
        b.get(path).await.status,
        StatusCode::GONE,
        "links work once"
    );
    let bad = b.post("/portal/form", "email=nope&subject=x&body=y").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let embed = b.get("/assets/embed.js").await;
    assert!(embed.body.contains("/portal/form"));
}

#[tokio::test]
async fn sign_up_with_someone_elses_address_sees_nothing_until_the_address_is_proved() {
    let app = spawn_app().await;
    let (_, token) = app
        .agent("sup@test.example", Role::Supervisor, &[], None)
        .await;
    // Vera wrote in by email: she is a customer with a request but no portal account.
    let t = app
        .ticket(&token, crate::ticket_body("vera@victim.example"))
        .await;
    let id = t["id"].as_i64().unwrap();

    // Someone else signs up with her address: no session, and nothing of hers is shown.
    let intruder = Browser::new(&app);
    let p = intruder
        .post(
            "/portal/signup",
            "name=Mallory&email=vera%40victim.example&password=long+enough+pw",
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.set_cookie.is_none(), "sign-up opened a session");
    assert!(p.body.contains("we sent a link"), "{}", p.body);
    assert!(!p.body.contains("Printer on fire"));
    let home = intruder.get("/portal").await;
    assert!(
        home.body.contains("portal-sign-in"),
        "the intruder is not signed in"
    );
    assert!(!home.body.contains("Printer on fire"));
    let request = intruder.get(&format!("/portal/requests/{id}")).await;
    assert!(!request.body.contains("Printer on fire"));
    // The password chosen at sign-up does not work before the link is used.
    let early = intruder
        .post(
            "/portal/login",
            "email=vera%40victim.example&password=long+enough+pw",
        )
        .await;
    assert_eq!(early.status, StatusCode::UNAUTHORIZED);

    // The link went to Vera's mailbox; only it opens the account, and only once.
    let link = app
        .last_link_to("vera@victim.example")
        .expect("a sign-up mail");
    let path = crate::ui::portal_path(&link);
    assert!(path.starts_with("/portal/signup/confirm?token="), "{path}");
    let mut vera = Browser::new(&app);
    let confirmed = vera.get(&path).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    vera.keep(&confirmed);
    let mine = vera.get(&format!("/portal/requests/{id}")).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("Printer on fire"));
    assert_eq!(Browser::new(&app).get(&path).await.status, StatusCode::GONE);
    let junk = Browser::new(&app)
        .get("/portal/signup/confirm?token=not-a-token")
        .await;
    assert_eq!(junk.status, StatusCode::GONE);
}

#[tokio::test]
async fn sign_up_does_not_reveal_that_an_address_has_an_account() {
    let app = spawn_app().await;
    let _ = sign_up(&app, "owner%40cust.example").await;
    let sent_before = app.mail.sent.lock().unwrap().len();
    let again = Browser::new(&app)
        .post(
            "/portal/signup",
            "name=Other&email=owner%40cust.example&password=another+password",
        )
        .await;
    let fresh = Browser::new(&app)
        .post(
            "/portal/signup",
            "name=Other&email=nobody%40cust.example&password=another+password",
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.status, fresh.status);
    assert!(again.set_cookie.is_none());
    assert!(!again.body.contains("account_exists") && !again.body.contains("already"));
    let strip = |b: &str| b.replace("nobody", "").replace("owner", "");
    assert_eq!(
        strip(&again.body),
        strip(&fresh.body),
        "the two answers differ"
    );
    // The owner is told by mail, with no link that signs anyone in.
    {
        let sent = app.mail.sent.lock().unwrap();
        assert_eq!(sent.len(), sent_before + 2);
        let to_owner = sent
            .iter()
            .rev()
            .find(|m| m.to == "owner@cust.example")
            .unwrap();
        assert!(to_owner.subject.contains("already have an account"));
        assert!(!to_owner.body.contains("token="));
    }
    // The old password still works; the one typed at the second sign-up does not.
    let b = Browser::new(&app);
    let old = b
        .post(
            "/portal/login",
            "email=owner%40cust.example&password=long+enough+pw",
        )
        .await;
    assert_eq!(old.status, StatusCode::SEE_OTHER);
    let new = b
        .post(
            "/portal/login",
            "email=owner%40cust.example&password=another+password",
        )
        .await;
    assert_eq!(new.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_up_says_so_when_no_mail_can_go_out() {
    let app = spawn_app().await;
    app.mail
        .offline
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let p = Browser::new(&app)
        .post(
            "/portal/signup",
            "name=Ned&email=ned%40cust.example&password=long+enough+pw",
        )
        .await;
    assert_eq!(p.status, StatusCode::SERVICE_UNAVAILABLE, "{}", p.body);
    assert!(p.body.contains("cannot send email"), "{}", p.body);
    assert!(!p.body.contains("we sent a link"));
}

/// Submits a request through the portal; returns its ticket id.
async fn submit(customer: &Browser, subject: &str) -> i64 {
    let form = customer.get("/portal/new").await;
    let csrf = Browser::csrf(&form);
    let created = customer
        .post(
            "/portal/new",
            &format!("_csrf={csrf}&subject={subject}&body=Please+help&category="),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    created
        .location
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn portal_requests_reach_the_channels_team_line_1_unless_the_admin_chose_another() {
    let app = spawn_app().await;
    let line2 = app.team("Experts", 2).await;
    let line1 = app.team("Front desk", 1).await;
    let spare = app.team("Mail desk", 3).await;
    let (_, front) = app
        .agent("front@test.example", Role::Agent, &[line1], None)
        .await;
    let carol = sign_up(&app, "carol%40cust.example").await;

    // Nothing set: the first line-1 team gets it, and its agents may open it.
    let first = submit(&carol, "Kettle").await;
    let seen = app.get(&format!("/api/v1/tickets/{first}"), &front).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(seen.body["team_id"], line1);

    // The admin sends the web channel to line 2 on /admin/channels.
    app.agent("boss@test.example", Role::Admin, &[], Some("correct horse"))
        .await;
    let boss = Browser::sign_in(&app, "boss%40test.example", "correct horse").await;
    let page = boss.get("/admin/channels").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("First line-1 team"), "{}", page.body);
    let csrf = Browser::csrf(&page);
    let saved = boss
        .post(
            "/admin/channels",
            &format!("_csrf={csrf}&team_web={line2}&team_email={spare}"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location, "/admin/channels?done=1");
    let second = submit(&carol, "Toaster").await;
    let t = app
        .get(&format!("/api/v1/tickets/{second}"), &app.admin_token)
        .await;
    assert_eq!(t.body["team_id"], line2);

    // A team that is a channel's default is not deleted.
    let refused = app
        .delete(&format!("/api/v1/teams/{spare}"), &app.admin_token)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "team_in_use");
    assert!(refused.message().contains("email"), "{}", refused.message());
}

#[tokio::test]
async fn a_web_form_request_is_kept_and_the_sender_told_the_truth_when_no_mail_can_go_out() {
    let app = spawn_app().await;
    app.mail
        .offline
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let sent = Browser::new(&app)
        .post(
            "/portal/form",
            "name=Ivy&email=ivy%40anon.example&subject=Refund+please&body=Order+88&category=",
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(!sent.body.contains("We sent you an email"), "{}", sent.body);
    assert!(
        sent.body
            .contains("could not send you a confirmation email"),
        "{}",
        sent.body
    );
    let stored = app.get("/api/v1/tickets?limit=5", &app.admin_token).await;
    let items = stored.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "the request is not lost");
    assert_eq!(items[0]["subject"], "Refund please");
    assert!(
        sent.body.contains(&items[0]["number"].to_string()),
        "the page gives its number"
    );
    assert!(app.last_link_to("ivy@anon.example").is_none());
}

#[tokio::test]
async fn a_web_form_request_in_someone_elses_name_stays_out_of_their_portal_until_confirmed() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice%40cust.example").await;
    let sent = Browser::new(&app)
        .post(
            "/portal/form",
            "name=Mallory&email=alice%40cust.example&subject=Click+this+link&body=Spam&category=",
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let stored = app.get("/api/v1/tickets?limit=5", &app.admin_token).await;
    let id = stored.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(stored.body["items"][0]["subject"], "Click this link");
    // Agents see it; the address's owner does not, not even by its id.
    let home = alice.get("/portal").await;
    assert!(!home.body.contains("Click this link"));
    assert_eq!(
        alice.get(&format!("/portal/requests/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Following the emailed link (which only the address's owner receives) shows it.
    let link = app
        .last_link_to("alice@cust.example")
        .expect("a confirmation mail");
    let opened = alice
        .get(&link[link.find("/portal/confirm").unwrap()..])
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert!(alice.get("/portal").await.body.contains("Click this link"));
}
