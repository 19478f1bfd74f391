//! The knowledge base in the pages: the ticket's suggestion panel, the workspace search (and
//! who sees what in it), deflection from the portal, the `/admin/kb` pages, and article files.

use ferrodesk_core::Role;
use ferrodesk_testkit::{TestApp, spawn_app};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::ticket_body;
use crate::ui::Browser;

async fn article(app: &TestApp, token: &str, body: Value) -> Value {
    let a = app.post("/api/v1/kb/articles", token, body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    a.body
}

fn published(title: &str, body: &str, visibility: &str) -> Value {
    json!({"title": title, "body": body, "locale": "en", "visibility": visibility, "status": "published"})
}

/// Sends a raw-body upload with a bearer token.
async fn upload(
    app: &TestApp,
    token: &str,
    article_id: i64,
    filename: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> ferrodesk_testkit::Answer {
    let res = app
        .client
        .post(app.url(&format!(
            "/api/v1/kb/articles/{article_id}/attachments?filename={filename}"
        )))
        .bearer_auth(token)
        .header(CONTENT_TYPE, content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    TestApp::answer(res).await
}

#[tokio::test]
async fn ticket_page_loads_suggested_articles_and_similar_tickets_after_the_page() {
    let app = spawn_app().await;
    let team = app.team("Front", 1).await;
    let (_, token) = app
        .agent(
            "assist@test.example",
            Role::Agent,
            &[team],
            Some("assist password"),
        )
        .await;
    let public = article(
        &app,
        &token,
        published(
            "Resetting your password",
            "Open **Settings**, choose *Password* and follow the link we mail you.",
            "public",
        ),
    )
    .await;
    let internal = article(
        &app,
        &token,
        published(
            "Password resets for locked accounts",
            "Internal: unlock the account in the admin console before resetting the password.",
            "internal",
        ),
    )
    .await;
    article(
        &app,
        &token,
        published(
            "Shipping times",
            "Parcels are shipped in five days.",
            "public",
        ),
    )
    .await;
    let mut body = ticket_body("pw@cust.example");
    body["subject"] = json!("I forgot my password");
    body["body"] = json!("How do I reset my password? The reset link never arrives.");
    body["team_id"] = json!(team);
    let ticket = app.ticket(&token, body.clone()).await;
    body["subject"] = json!("Password reset email missing");
    body["customer"] = json!({"email": "pw2@cust.example"});
    let similar = app.ticket(&token, body).await;
    let mut other = ticket_body("other@cust.example");
    other["team_id"] = json!(team);
    app.ticket(&token, other).await;
    app.indexed().await;

    let b = Browser::sign_in(&app, "assist%40test.example", "assist password").await;
    let id = ticket["id"].as_i64().unwrap();
    let page = b.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("hx-get=\"/tickets/{id}/assist\""))
    );
    assert!(
        !page.body.contains("Resetting your password"),
        "the ticket page itself does not wait for the search"
    );

    let panel = b.get(&format!("/tickets/{id}/assist")).await;
    assert_eq!(panel.status, StatusCode::OK, "{}", panel.body);
    let html = &panel.body;
    let pub_id = public["id"].as_i64().unwrap();
    let first_article = html.find("Resetting your password").expect(html);
    assert!(
        first_article < html.find("Password resets for locked accounts").unwrap(),
        "the best match first"
    );
    assert!(!html.contains("Shipping times"), "{html}");
    assert!(html.contains(&format!(
        "data-insert-link=\"{}/help/en/articles/{pub_id}-resetting-your-password\"",
        app.base_url
    )));
    assert!(html.contains(&format!("data-insert-text=\"{pub_id}\"")));
    // The internal article can be quoted, not linked, and says what it is.
    assert!(html.contains(&format!("data-insert-text=\"{}\"", internal["id"])));
    assert_eq!(html.matches("data-insert-link=").count(), 1, "{html}");
    assert!(html.contains(">Internal<"));
    assert!(
        html.contains("<b>"),
        "matched words are highlighted: {html}"
    );
    // Similar tickets: the other password ticket, not this one.
    assert!(html.contains(&format!("href=\"/tickets/{}\"", similar["id"])));
    assert!(
        html.contains("class=\"badge s-new\">New<"),
        "with its status: {html}"
    );
    assert!(!html.contains(&format!("href=\"/tickets/{id}\"")));
    // "Insert text" reads the article through the API with the session.
    let res = b
        .client
        .get(format!("{}/api/v1/kb/articles/{pub_id}", b.base))
        .header(COOKIE, &b.cookie)
        .send()
        .await
        .unwrap();
    let a: Value = res.json().await.unwrap();
    assert!(a["body"].as_str().unwrap().starts_with("Open **Settings**"));

    // An agent outside the ticket's team gets no panel.
    app.agent(
        "outsider@test.example",
        Role::Agent,
        &[],
        Some("outsider password"),
    )
    .await;
    let outsider = Browser::sign_in(&app, "outsider%40test.example", "outsider password").await;
    let refused = outsider.get(&format!("/tickets/{id}/assist")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("Resetting your password"));
}

#[tokio::test]
async fn workspace_search_finds_tickets_customers_articles_and_hides_other_teams_tickets() {
    let app = spawn_app().await;
    let mine = app.team("Mine", 1).await;
    let theirs = app.team("Theirs", 1).await;
    let (_, token) = app
        .agent(
            "finder@test.example",
            Role::Agent,
            &[mine],
            Some("finder password"),
        )
        .await;
    app.agent(
        "boss@test.example",
        Role::Supervisor,
        &[],
        Some("boss password"),
    )
    .await;
    let mut body = ticket_body("zara@cust.example");
    body["subject"] = json!("Zanzibar shipment delayed");
    body["customer"] = json!({"email": "zara@cust.example", "name": "Zara Zanzibar"});
    body["team_id"] = json!(mine);
    let visible = app.ticket(&token, body).await;
    let mut body = ticket_body("hidden@cust.example");
    body["subject"] = json!("Zanzibar invoice secret");
    body["team_id"] = json!(theirs);
    let hidden = app.ticket(&app.admin_token, body).await;
    let art = article(
        &app,
        &token,
        published("Shipping to Zanzibar", "Customs take a week.", "public"),
    )
    .await;
    let org = app
        .post(
            "/api/v1/organizations",
            &app.admin_token,
            json!({"name": "Zanzibar Trading"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{:?}", org.body);
    app.indexed().await;

    let b = Browser::sign_in(&app, "finder%40test.example", "finder password").await;
    let home = b.get("/").await;
    assert!(
        home.body.contains("action=\"/search\""),
        "the header has a search box"
    );
    let page = b.get("/search?q=zanzibar").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("href=\"/tickets/{}\"", visible["id"]))
    );
    assert!(
        page.body
            .contains(&format!("href=\"/admin/kb/articles/{}\"", art["id"]))
    );
    assert!(
        page.body
            .contains(&format!("customer={}\"", visible["customer_id"])),
        "{}",
        page.body
    );
    assert!(page.body.contains("<b>Zanzibar</b>"), "{}", page.body);
    // Organisations have an admin page only: agents see the name without a link.
    assert!(
        page.body.contains("<strong>Zanzibar Trading</strong>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("href=\"/admin/organizations\""));
    assert!(
        !page
            .body
            .contains(&format!("href=\"/tickets/{}\"", hidden["id"])),
        "a ticket of another team never shows"
    );
    assert!(!page.body.contains("invoice secret"));
    // The API agrees.
    let api = app
        .get("/api/v1/search?q=zanzibar&type=ticket", &token)
        .await;
    let ids: Vec<i64> = api.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![visible["id"].as_i64().unwrap()]);
    // Type tabs filter.
    let tickets_only = b.get("/search?q=zanzibar&type=ticket").await;
    assert!(!tickets_only.body.contains("/admin/kb/articles/"));
    assert!(tickets_only.body.contains("1 result"));
    let nothing = b.get("/search?q=qwertyuiop").await;
    assert!(nothing.body.contains("id=\"search-empty\""));
    // Markup in the query is shown as text.
    let odd = b.get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!odd.body.contains("<script>alert(1)"));

    // A supervisor sees both tickets.
    let boss = Browser::sign_in(&app, "boss%40test.example", "boss password").await;
    let page = boss.get("/search?q=zanzibar&type=ticket").await;
    assert!(!page.body.contains("Zanzibar Trading"), "only tickets");
    assert!(
        page.body
            .contains(&format!("href=\"/tickets/{}\"", hidden["id"]))
    );
    assert!(
        page.body
            .contains(&format!("href=\"/tickets/{}\"", visible["id"]))
    );
    // Signed out: to the sign-in page.
    let anon = Browser::new(&app).get("/search?q=zanzibar").await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn portal_forms_carry_suggestions_and_the_kb_page_shows_the_deflection_rate() {
    let app = spawn_app().await;
    app.agent(
        "lead@test.example",
        Role::Supervisor,
        &[],
        Some("lead password"),
    )
    .await;
    let (_, agent_token) = app
        .agent(
            "plain@test.example",
            Role::Agent,
            &[],
            Some("plain password"),
        )
        .await;
    article(
        &app,
        &agent_token,
        published("Tracking a parcel", "Use the tracking number.", "public"),
    )
    .await;
    app.indexed().await;

    // Both forms carry the suggestion box (filled by kb.js) in the page's language.
    let anon = Browser::new(&app);
    let form = anon.get("/portal/form").await;
    assert!(form.body.contains("data-deflect data-locale=\"en\""));
    assert!(form.body.contains("/assets/kb.js?v="));
    let cust = Browser::portal_sign_up(&app, "signed%40cust.example").await;
    let new = cust.get("/portal/new").await;
    assert!(new.body.contains("data-deflect"));
    let js = anon.get("/assets/kb.js").await;
    assert!(
        js.body.contains("/api/v1/kb/deflections") && js.body.contains("credentials: \"omit\"")
    );

    // What the page asks and sends while a customer types (no cookies, no CSRF token).
    let found = app
        .call(
            Method::GET,
            "/api/v1/kb/search?q=parcel&locale=en&limit=5",
            None,
            None,
        )
        .await;
    assert_eq!(found.body["items"][0]["title"], "Tracking a parcel");
    let article_id = found.body["items"][0]["id"].clone();
    for (session, action) in [
        ("visit-submitted-0001", "shown"),
        ("visit-submitted-0001", "submitted"),
        ("visit-read-left-0001", "shown"),
        ("visit-read-left-0001", "article_opened"),
        ("visit-read-left-0002", "shown"),
        ("visit-read-left-0002", "article_opened"),
        ("visit-opened-sent-01", "shown"),
        ("visit-opened-sent-01", "article_opened"),
        ("visit-opened-sent-01", "submitted"),
    ] {
        let a = app
            .call(
                Method::POST,
                "/api/v1/kb/deflections",
                None,
                Some(json!({"session": session, "action": action, "article_id": article_id})),
            )
            .await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "{:?}", a.body);
    }
    sqlx::query("UPDATE kb_deflections SET last_seen_at = last_seen_at - 3600000000")
        .execute(app.db.reader())
        .await
        .unwrap();

    // Supervisors see the rate on the KB page (2 deflected of 4 ended visits); agents do not.
    let lead = Browser::sign_in(&app, "lead%40test.example", "lead password").await;
    let kb = lead.get("/admin/kb").await;
    assert_eq!(kb.status, StatusCode::OK);
    let rate_at = kb.body.find("id=\"deflection-rate\"").expect("rate shown");
    assert!(
        kb.body[rate_at..].starts_with("id=\"deflection-rate\"><strong>50%</strong>"),
        "{}",
        &kb.body[rate_at..rate_at + 80]
    );
    let card = &kb.body[kb.body.find("id=\"deflection\"").unwrap()..];
    assert!(card.contains("<dd>4</dd>"), "4 visits with suggestions");
    let plain = Browser::sign_in(&app, "plain%40test.example", "plain password").await;
    let kb = plain.get("/admin/kb").await;
    assert_eq!(kb.status, StatusCode::OK);
    assert!(!kb.body.contains("deflection-rate"));
}

#[tokio::test]
async fn admin_kb_pages_write_preview_schedule_and_translate_articles() {
    let app = spawn_app().await;
    app.agent(
        "writer@test.example",
        Role::Agent,
        &[],
        Some("writer password"),
    )
    .await;
    let b = Browser::sign_in(&app, "writer%40test.example", "writer password").await;
    let list = b.get("/admin/kb").await;
    assert_eq!(list.status, StatusCode::OK);
    let csrf = Browser::csrf(&list);

    // Categories: create two, nest one, refuse a cycle.
    let c = b
        .post(
            "/admin/kb/categories",
            &format!("_csrf={csrf}&name=Billing&parent=&position=1&description=Money"),
        )
        .await;
    assert_eq!(c.status, StatusCode::SEE_OTHER);
    assert!(c.location.contains("done=1"), "{}", c.location);
    b.post(
        "/admin/kb/categories",
        &format!("_csrf={csrf}&name=Cards&parent=&position=2"),
    )
    .await;
    let cats = app
        .call(Method::GET, "/api/v1/kb/categories", None, None)
        .await;
    let billing = cats.body[0]["id"].as_i64().unwrap();
    let cards = cats.body[1]["id"].as_i64().unwrap();
    let moved = b
        .post(
            &format!("/admin/kb/categories/{cards}"),
            &format!("_csrf={csrf}&name=Cards&parent={billing}&position=2&description="),
        )
        .await;
    assert!(moved.location.contains("done=1"), "{}", moved.location);
    let cycle = b
        .post(
            &format!("/admin/kb/categories/{billing}"),
            &format!("_csrf={csrf}&name=Billing&parent={cards}&position=1"),
        )
        .await;
    assert!(
        cycle.location.contains("error=invalid_field"),
        "{}",
        cycle.location
    );
    let page = b.get("/admin/kb").await;
    assert!(page.body.contains("— Cards"), "children are indented");

    // Live preview: Markdown rendered, raw HTML shown as text.
    let preview = b
        .post(
            "/admin/kb/preview",
            &format!("_csrf={csrf}&body=**Bold**+%3Cscript%3Ealert(1)%3C%2Fscript%3E+%5Bx%5D(javascript:alert(1))"),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.body.contains("<strong>Bold</strong>"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("&lt;script&gt;"));
    assert!(!preview.body.contains("javascript:"));
    let no_token = b.post("/admin/kb/preview", "body=x").await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN, "CSRF applies");

    // Write an article scheduled for tomorrow (in the agent's zone, UTC by default).
    let new = b.get("/admin/kb/articles/new").await;
    assert_eq!(new.status, StatusCode::OK);
    let tomorrow = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .tomorrow()
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let created = b
        .post(
            "/admin/kb/articles/new",
            &format!(
                "_csrf={csrf}&translation_of=&title=Paying+by+card&locale=en&category={cards}&visibility=public&status=published&kind=article&publish_at={}&tags=cards%2C+Billing&body=Add+a+**card**.",
                tomorrow.replace(':', "%3A")
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 = created
        .location
        .trim_start_matches("/admin/kb/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let a = app
        .get(&format!("/api/v1/kb/articles/{id}"), &app.admin_token)
        .await;
    assert_eq!(a.body["category_id"], cards);
    assert_eq!(a.body["tags"], json!(["billing", "cards"]));
    assert_eq!(a.body["live"], false, "scheduled for tomorrow");
    let anon = app
        .call(
            Method::GET,
            &format!("/api/v1/kb/articles/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(anon.status, StatusCode::NOT_FOUND);
    let edit = b.get(&created.location).await;
    assert!(edit.body.contains("value=\"Paying by card\""));
    assert!(edit.body.contains(&format!("value=\"{tomorrow}\"")));
    assert!(
        edit.body.contains("<strong>card</strong>"),
        "the preview starts rendered"
    );
    assert!(edit.body.contains("id=\"kb-upload\""));

    // Publish now: clear the time.
    let saved = b
        .post(
            &format!("/admin/kb/articles/{id}"),
            &format!("_csrf={csrf}&title=Paying+by+card&category={cards}&visibility=public&status=published&kind=article&publish_at=&tags=cards&body=Add+a+**card**+in+Billing."),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let anon = app
        .call(
            Method::GET,
            &format!("/api/v1/kb/articles/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(anon.status, StatusCode::OK);
    assert_eq!(anon.body["revision"], 2);
    let edit = b.get(&format!("/admin/kb/articles/{id}")).await;
    let old = &edit.body[edit
        .body
        .find("id=\"kb-revisions\"")
        .expect("earlier versions")..];
    assert!(old.contains("Revision 1 · "), "{old}");
    assert!(
        old.contains("Add a **card**.</pre>"),
        "the replaced text, escaped: {old}"
    );
    // A bad value re-renders the form with what was typed.
    let bad = b
        .post(
            &format!("/admin/kb/articles/{id}"),
            &format!(
                "_csrf={csrf}&title=&category=&visibility=public&status=published&body=Kept+text"
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Kept text"));

    // Translate: the form starts from the original; the result is linked both ways.
    let edit = b.get(&format!("/admin/kb/articles/{id}")).await;
    let add = format!("/admin/kb/articles/new?translation_of={id}&");
    assert!(edit.body.contains(&add), "{}", edit.body);
    let tr_form = b
        .get(&format!("/admin/kb/articles/new?translation_of={id}"))
        .await;
    assert!(
        tr_form
            .body
            .contains(&format!("name=\"translation_of\" value=\"{id}\""))
    );
    assert!(tr_form.body.contains("<option value=\"ru\" selected"));
    let ru = b
        .post(
            "/admin/kb/articles/new",
            &format!("_csrf={csrf}&translation_of={id}&title=%D0%9E%D0%BF%D0%BB%D0%B0%D1%82%D0%B0+%D0%BA%D0%B0%D1%80%D1%82%D0%BE%D0%B9&locale=ru&category={cards}&visibility=public&status=draft&kind=article&publish_at=&tags=&body=%D0%A2%D0%B5%D0%BA%D1%81%D1%82"),
        )
        .await;
    assert_eq!(ru.status, StatusCode::SEE_OTHER, "{}", ru.body);
    let edit = b.get(&format!("/admin/kb/articles/{id}")).await;
    assert!(edit.body.contains("Русский — Оплата картой"));
    let again = b
        .post(
            "/admin/kb/articles/new",
            &format!("_csrf={csrf}&translation_of={id}&title=Dup&locale=ru&visibility=public&status=draft&body=x"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("That language version already exists."));

    // Agents may not delete; the list shows the articles.
    let del = b
        .post(
            &format!("/admin/kb/articles/{id}/delete"),
            &format!("_csrf={csrf}"),
        )
        .await;
    assert_eq!(del.status, StatusCode::FORBIDDEN);
    let list = b.get("/admin/kb?locale=ru").await;
    assert!(list.body.contains("Оплата картой"));
    assert!(!list.body.contains("Paying by card"));
}

#[tokio::test]
async fn article_files_are_stored_once_and_served_by_visibility() {
    let app = spawn_app().await;
    let (_, token) = app
        .agent("files@test.example", Role::Agent, &[], None)
        .await;
    let public = article(
        &app,
        &token,
        published("With picture", "See below.", "public"),
    )
    .await;
    let internal = article(
        &app,
        &token,
        published("Secret", "Agents only.", "internal"),
    )
    .await;
    let pid = public["id"].as_i64().unwrap();
    let iid = internal["id"].as_i64().unwrap();
    let png = b"\x89PNG\r\n\x1a\nnot-really-an-image".to_vec();

    let up = upload(
        &app,
        &token,
        pid,
        "screen%20shot.png",
        "image/png",
        png.clone(),
    )
    .await;
    assert_eq!(up.status, StatusCode::CREATED, "{:?}", up.body);
    assert_eq!(up.body["filename"], "screen shot.png");
    assert_eq!(up.body["content_type"], "image/png");
    assert_eq!(up.body["size"], png.len());
    let url = up.body["url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with("/kb/files/") && url.ends_with("/screen%20shot.png"),
        "{url}"
    );
    // Same bytes on another article: one stored copy.
    let again = upload(&app, &token, iid, "copy.png", "", png.clone()).await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    assert_eq!(
        again.body["content_type"], "image/png",
        "guessed from the name"
    );
    assert_eq!(again.body["sha256"], up.body["sha256"]);
    let (blobs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attachments")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(blobs, 1);
    let svg = upload(
        &app,
        &token,
        iid,
        "x.svg",
        "image/svg+xml",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
    )
    .await;
    assert_eq!(svg.status, StatusCode::CREATED);

    // Public article: anyone fetches the file; it shows inline and cannot be sniffed.
    let res = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(
        res.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    let etag = res.headers()["etag"].clone();
    assert_eq!(res.bytes().await.unwrap().to_vec(), png);
    let cached = app
        .client
        .get(app.url(&url))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    // A stale session cookie does not hide a public file (nor reveal a private one).
    let stale = app
        .client
        .get(app.url(&url))
        .header(COOKIE, "ferrodesk_session=expired-or-bogus")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
    // Internal article: agents only; anonymous callers learn nothing.
    let private_url = again.body["url"].as_str().unwrap();
    let res = app.client.get(app.url(private_url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .client
        .get(app.url(private_url))
        .header(COOKIE, "ferrodesk_session=expired-or-bogus")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .client
        .get(app.url(private_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // SVG downloads rather than renders, under a sandboxing policy.
    let res = app
        .client
        .get(app.url(svg.body["url"].as_str().unwrap()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );

    // The list; images go into the Markdown body.
    let list = app
        .get(&format!("/api/v1/kb/articles/{iid}/attachments"), &token)
        .await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    let with_img = app
        .patch(
            &format!("/api/v1/kb/articles/{pid}"),
            &token,
            json!({"body": format!("See below.\n\n![screen]({url})")}),
        )
        .await;
    assert!(
        with_img.body["body_html"]
            .as_str()
            .unwrap()
            .contains(&format!("<img src=\"{url}\" alt=\"screen\""))
    );

    // Limits and errors.
    let big = upload(
        &app,
        &token,
        pid,
        "big.bin",
        "application/octet-stream",
        vec![0u8; 10 * 1024 * 1024 + 1],
    )
    .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{:?}", big.body);
    assert_eq!(big.code(), "file_too_large");
    let empty = upload(&app, &token, pid, "e.txt", "text/plain", Vec::new()).await;
    assert_eq!(empty.code(), "invalid_field");
    let nameless = upload(&app, &token, pid, "%2F", "text/plain", b"x".to_vec()).await;
    assert_eq!(nameless.code(), "invalid_field");
    let missing = upload(&app, &token, 9999, "a.txt", "text/plain", b"x".to_vec()).await;
    assert_eq!(missing.code(), "article_not_found");
    let anon = app
        .client
        .post(app.url(&format!(
            "/api/v1/kb/articles/{pid}/attachments?filename=a.txt"
        )))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
    let spec = app
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    let post = &spec.body["paths"]["/api/v1/kb/articles/{id}/attachments"]["post"];
    assert!(
        post["requestBody"]["content"]["application/octet-stream"].is_object(),
        "{post}"
    );
    assert!(post["parameters"].to_string().contains("filename"));
    assert_eq!(
        spec.body["components"]["schemas"]["FileBody"]["format"],
        "binary"
    );

    // Detach one; deleting the article takes the rest along.
    let file_id = svg.body["id"].as_i64().unwrap();
    let gone = app
        .delete(
            &format!("/api/v1/kb/articles/{iid}/attachments/{file_id}"),
            &token,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let again_gone = app
        .delete(
            &format!("/api/v1/kb/articles/{iid}/attachments/{file_id}"),
            &token,
        )
        .await;
    assert_eq!(again_gone.code(), "file_not_found");
    let del = app
        .delete(&format!("/api/v1/kb/articles/{pid}"), &app.admin_token)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let res = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
