//! The knowledge base and search over HTTP: articles with translations, revisions and votes;
//! search that follows the event log, respects permissions and filters; and the relevance
//! test over the StackFAQ set.

use std::path::PathBuf;

use ferrodesk_core::Role;
use ferrodesk_testkit::{TestApp, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::ticket_body;

fn article(title: &str, body: &str, locale: &str) -> Value {
    json!({"title": title, "body": body, "locale": locale, "visibility": "public", "status": "published"})
}

async fn create_article(app: &TestApp, token: &str, body: Value) -> Value {
    let a = app.post("/api/v1/kb/articles", token, body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    a.body
}

async fn search(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let a = app.get(&format!("/api/v1/search?{query}"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{query}: {:?}", a.body);
    a.body["items"].as_array().unwrap().clone()
}

fn ids(items: &[Value]) -> Vec<i64> {
    let mut v: Vec<i64> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    v.sort();
    v
}

fn q(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[tokio::test]
async fn articles_categories_translations_revisions_and_votes() {
    let app = spawn_app().await;
    let (_, agent) = app
        .agent("writer@test.example", Role::Agent, &[], None)
        .await;
    let billing = app
        .post("/api/v1/kb/categories", &agent, json!({"name": "Billing"}))
        .await;
    assert_eq!(billing.status, StatusCode::CREATED, "{:?}", billing.body);
    let cards = app
        .post(
            "/api/v1/kb/categories",
            &agent,
            json!({"name": "Cards", "parent_id": billing.id()}),
        )
        .await;
    assert_eq!(cards.body["parent_id"], billing.id());
    let missing_parent = app
        .post(
            "/api/v1/kb/categories",
            &agent,
            json!({"name": "X", "parent_id": 999}),
        )
        .await;
    assert_eq!(missing_parent.code(), "category_not_found");
    let anonymous = app
        .call(Method::GET, "/api/v1/kb/categories", None, None)
        .await;
    assert_eq!(anonymous.body.as_array().unwrap().len(), 2);

    let mut body = article(
        "Paying by card",
        "Go to **Billing** and add a card.\n\n<script>x</script>",
        "en",
    );
    body["category_id"] = json!(cards.id());
    body["tags"] = json!(["Cards", "billing"]);
    let en = create_article(&app, &agent, body).await;
    assert!(en["id"].as_i64().unwrap() > 0);
    assert_eq!(en["slug"], "paying-by-card");
    assert_eq!(en["tags"], json!(["cards", "billing"]));
    assert_eq!(en["live"], true);
    let html = en["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>Billing</strong>") && html.contains("&lt;script&gt;"));

    let mut ru = article("Оплата картой", "Добавьте карту в разделе «Оплата».", "ru");
    ru["translation_of"] = en["id"].clone();
    let ru = create_article(&app, &agent, ru).await;
    assert_eq!(ru["translation_of"], en["id"]);
    assert_eq!(ru["slug"], "oplata-kartoi");
    let mut again = article("Оплата", "Ещё раз", "ru");
    again["translation_of"] = en["id"].clone();
    let dup = app.post("/api/v1/kb/articles", &agent, again).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.code(), "translation_exists");
    let variants = app
        .call(
            Method::GET,
            &format!("/api/v1/kb/articles/{}/translations", ru["id"]),
            None,
            None,
        )
        .await;
    let locales: Vec<&str> = variants
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["locale"].as_str().unwrap())
        .collect();
    assert_eq!(locales, ["en", "ru"]);

    // Unknown fields and bad values are refused.
    let mut bad = article("T", "B", "de");
    let a = app.post("/api/v1/kb/articles", &agent, bad.clone()).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad["locale"] = json!("en");
    bad["colour"] = json!("red");
    let a = app.post("/api/v1/kb/articles", &agent, bad).await;
    assert_eq!(a.code(), "invalid_body");

    // Edits keep revisions.
    let path = format!("/api/v1/kb/articles/{}", en["id"]);
    let edited = app
        .patch(
            &path,
            &agent,
            json!({"body": "Open Billing, then Cards.", "tags": ["cards"]}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["revision"], 2);
    let revisions = app.get(&format!("{path}/revisions"), &agent).await;
    let items = revisions.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["revision"], 1);
    assert!(items[0]["body"].as_str().unwrap().contains("**Billing**"));

    // Drafts, internal and scheduled articles are hidden from anonymous readers.
    let mut draft = article("Draft", "not yet", "en");
    draft["status"] = json!("draft");
    let draft = create_article(&app, &agent, draft).await;
    let mut internal = article("Internal", "agents only", "en");
    internal["visibility"] = json!("internal");
    let internal = create_article(&app, &agent, internal).await;
    let mut later = article("Later", "tomorrow", "en");
    later["publish_at"] = json!("2099-01-01T00:00:00Z");
    let later = create_article(&app, &agent, later).await;
    assert_eq!(later["live"], false);
    for hidden in [&draft, &internal, &later] {
        let a = app
            .call(
                Method::GET,
                &format!("/api/v1/kb/articles/{}", hidden["id"]),
                None,
                None,
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert_eq!(a.code(), "article_not_found");
        assert_eq!(
            app.get(&format!("/api/v1/kb/articles/{}", hidden["id"]), &agent)
                .await
                .status,
            StatusCode::OK
        );
    }
    let public = app
        .call(Method::GET, "/api/v1/kb/articles?locale=en", None, None)
        .await;
    assert_eq!(
        ids(public.body["items"].as_array().unwrap()),
        [en["id"].as_i64().unwrap()]
    );
    let all = app.get("/api/v1/kb/articles", &agent).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 5);

    // Votes: anyone, on public articles.
    let vote = app
        .call(
            Method::POST,
            &format!("{path}/votes"),
            None,
            Some(json!({"helpful": false, "comment": "Where is Billing?"})),
        )
        .await;
    assert_eq!(vote.status, StatusCode::CREATED, "{:?}", vote.body);
    assert_eq!(vote.body["helpful_no"], 1);
    let vote = app
        .call(
            Method::POST,
            &format!("/api/v1/kb/articles/{}/votes", draft["id"]),
            None,
            Some(json!({"helpful": true})),
        )
        .await;
    assert_eq!(vote.status, StatusCode::NOT_FOUND);

    // Only supervisors and admins delete; writes need an agent.
    assert_eq!(
        app.delete(&path, &agent).await.code(),
        "supervisor_required"
    );
    assert_eq!(
        app.delete(&path, &app.admin_token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get(&path, &agent).await.status, StatusCode::NOT_FOUND);
    // The Russian translation now heads its own group.
    let ru_now = app
        .get(&format!("/api/v1/kb/articles/{}", ru["id"]), &agent)
        .await;
    assert_eq!(ru_now.body["translation_of"], ru["id"]);
    let anon = app
        .call(
            Method::POST,
            "/api/v1/kb/articles",
            None,
            Some(article("A", "B", "en")),
        )
        .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn search_follows_the_log_and_respects_permissions_and_filters() {
    let app = spawn_app().await;
    let admin = &app.admin_token;
    let line1 = app.team("Line 1", 1).await;
    let line2 = app.team("Line 2", 2).await;
    let (_, agent1) = app
        .agent("one@test.example", Role::Agent, &[line1], None)
        .await;

    let mut body = ticket_body("ivan@example.ru");
    body["subject"] = json!("Не проходит оплата картой");
    body["body"] = json!("Здравствуйте, оплата заказа не проходит.");
    body["team_id"] = json!(line1);
    body["customer"]["name"] = json!("Иван Петров");
    let t1 = app.ticket(admin, body).await;
    let mut body = ticket_body("anna@example.com");
    body["subject"] = json!("Payment declined");
    body["body"] = json!("My card payment was declined twice.");
    body["team_id"] = json!(line2);
    let t2 = app.ticket(admin, body).await;
    let kb = create_article(
        &app,
        admin,
        article("Оплата заказа", "Оплатить заказ можно картой.", "ru"),
    )
    .await;
    let mut internal = article(
        "Payment escalations",
        "Escalate declined payments to billing.",
        "en",
    );
    internal["visibility"] = json!("internal");
    let internal = create_article(&app, admin, internal).await;
    // A later reply is indexed too.
    let reply = app
        .post(
            &format!("/api/v1/tickets/{}/messages", t2["id"]),
            admin,
            json!({"body": "Please try the wire transfer instead."}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    app.indexed().await;

    let all = search(&app, admin, "q=оплатой").await;
    assert_eq!(ids(&all), ids(&[t1.clone(), kb.clone()]));
    let hit = all.iter().find(|h| h["type"] == "ticket").unwrap();
    assert_eq!(hit["id"], t1["id"]);
    assert!(
        hit["title"]
            .as_str()
            .unwrap()
            .contains("Не проходит оплата")
    );
    assert!(
        hit["snippet"].as_str().unwrap().contains("<b>оплата</b>"),
        "{hit}"
    );
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    for key in ["type", "id", "title", "snippet", "score"] {
        assert!(hit.get(key).is_some(), "{key} missing in {hit}");
    }

    assert_eq!(
        ids(&search(&app, admin, "q=wire+transfer").await),
        [t2["id"].as_i64().unwrap()]
    );
    // Customers by name, with a typo; organisations and customers as types.
    let customers = search(&app, admin, &format!("q={}&type=customer", q("Петров"))).await;
    assert_eq!(customers.len(), 1);
    assert_eq!(customers[0]["type"], "customer");
    assert_eq!(
        search(&app, admin, "q=declnied&type=ticket").await[0]["id"],
        t2["id"]
    );
    // Phrases.
    assert_eq!(
        search(&app, admin, &format!("q={}", q("\"card payment\"")))
            .await
            .len(),
        1
    );
    assert!(
        search(&app, admin, &format!("q={}", q("\"payment card\"")))
            .await
            .is_empty()
    );

    // An agent sees their team's tickets only, and internal articles.
    let seen = search(&app, &agent1, "q=payment+оплата+declined").await;
    let mut expected = vec![
        t1["id"].as_i64().unwrap(),
        kb["id"].as_i64().unwrap(),
        internal["id"].as_i64().unwrap(),
    ];
    expected.sort();
    assert_eq!(ids(&seen), expected);
    // Filters.
    let tickets = search(
        &app,
        admin,
        &format!("q=payment+оплата&type=ticket&team_id={line2}"),
    )
    .await;
    assert_eq!(ids(&tickets), [t2["id"].as_i64().unwrap()]);
    let open = search(&app, admin, "q=payment+оплата&type=ticket&status=open").await;
    assert_eq!(ids(&open), [t2["id"].as_i64().unwrap()]);
    assert!(
        search(&app, admin, "q=payment&type=ticket&from=2099-01-01")
            .await
            .is_empty()
    );
    assert_eq!(
        search(&app, admin, "q=payment&type=ticket&to=2099-01-01")
            .await
            .len(),
        1
    );
    let bad = app.get("/api/v1/search?q=x&type=spaceship", admin).await;
    assert_eq!(bad.code(), "invalid_field");
    let bad = app.get("/api/v1/search?q=x&from=yesterday", admin).await;
    assert_eq!(bad.code(), "invalid_field");
    let bad = app.get("/api/v1/search?q=x&colour=red", admin).await;
    assert_eq!(bad.code(), "invalid_query");
    assert!(search(&app, admin, "q=").await.is_empty());

    // Anonymous callers may not use the agents' search; the help center's shows public articles.
    let anon = app
        .call(Method::GET, "/api/v1/search?q=payment", None, None)
        .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let public = app
        .call(
            Method::GET,
            &format!("/api/v1/kb/search?q={}", q("оплата payment")),
            None,
            None,
        )
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(
        ids(public.body["items"].as_array().unwrap()),
        [kb["id"].as_i64().unwrap()]
    );

    // Changes follow: a re-titled ticket, a deleted article, a renamed organisation.
    let org = app
        .post(
            "/api/v1/organizations",
            admin,
            json!({"name": "Acme", "domain": "acme.example"}),
        )
        .await;
    let c = app
        .post(
            "/api/v1/customers",
            admin,
            json!({"name": "Olga", "email": "olga@acme.example", "organization_id": org.id()}),
        )
        .await;
    app.patch(
        &format!("/api/v1/organizations/{}", org.id()),
        admin,
        json!({"name": "Globex"}),
    )
    .await;
    let patched = app
        .patch(
            &format!("/api/v1/tickets/{}", t2["id"]),
            admin,
            json!({"subject": "Refund request"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    app.delete(&format!("/api/v1/kb/articles/{}", kb["id"]), admin)
        .await;
    app.indexed().await;
    assert_eq!(search(&app, admin, "q=refund").await.len(), 1);
    assert!(
        search(&app, admin, "q=оплатить&type=article")
            .await
            .is_empty()
    );
    let globex = search(&app, admin, "q=globex").await;
    let kinds: Vec<&str> = globex.iter().map(|h| h["type"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"organization") && kinds.contains(&"customer"),
        "{globex:?}"
    );
    assert!(
        globex
            .iter()
            .any(|h| h["id"] == c.body["id"] && h["type"] == "customer")
    );
}

/// Recall@1, Recall@5 and MRR (over the top 10) of the StackFAQ queries against its articles,
/// loaded through the API and searched through it.
#[tokio::test]
async fn relevance_on_stackfaq() {
    let dir = std::env::var("FERRODESK_KB_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/kb")
        });
    let (Ok(articles), Ok(queries)) = (
        std::fs::read_to_string(dir.join("stackfaq.articles.jsonl")),
        std::fs::read_to_string(dir.join("stackfaq.queries.jsonl")),
    ) else {
        println!(
            "SKIPPED relevance_on_stackfaq: no StackFAQ data in {}",
            dir.display()
        );
        return;
    };
    let app = spawn_app().await;
    let token = &app.admin_token;
    let mut id_of = std::collections::HashMap::new();
    for line in articles.lines().filter(|l| !l.trim().is_empty()) {
        let a: Value = serde_json::from_str(line).unwrap();
        let answers: Vec<&str> = a["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let created = create_article(
            &app,
            token,
            article(a["question"].as_str().unwrap(), &answers.join("\n\n"), "en"),
        )
        .await;
        id_of.insert(a["id"].as_i64().unwrap(), created["id"].as_i64().unwrap());
    }
    assert_eq!(id_of.len(), 125);
    app.indexed().await;

    let (mut n, mut at1, mut at5, mut rr) = (0usize, 0usize, 0usize, 0f64);
    for line in queries.lines().filter(|l| !l.trim().is_empty()) {
        let item: Value = serde_json::from_str(line).unwrap();
        let expected = id_of[&item["expected_id"].as_i64().unwrap()];
        let hits = search(
            &app,
            token,
            &format!(
                "type=article&limit=10&q={}",
                q(item["query"].as_str().unwrap())
            ),
        )
        .await;
        let rank = hits.iter().position(|h| h["id"].as_i64() == Some(expected));
        n += 1;
        if let Some(r) = rank {
            at1 += usize::from(r == 0);
            at5 += usize::from(r < 5);
            rr += 1.0 / (r + 1) as f64;
        }
    }
    let (r1, r5, mrr) = (at1 as f64 / n as f64, at5 as f64 / n as f64, rr / n as f64);
    println!(
        "StackFAQ relevance over {n} queries: Recall@1 {r1:.3}, Recall@5 {r5:.3}, MRR {mrr:.3}"
    );
    assert_eq!(n, 645);
    // Floors a little under the measured figures (docs/BENCHMARKS.md), so a regression fails.
    // Measured: Recall@1 0.794, Recall@5 0.949, MRR 0.860.
    assert!(r1 >= 0.77, "Recall@1 {r1:.3}");
    assert!(r5 >= 0.93, "Recall@5 {r5:.3}");
    assert!(mrr >= 0.84, "MRR {mrr:.3}");
}

async fn page(app: &TestApp, path: &str) -> (StatusCode, String, reqwest::header::HeaderMap) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client.get(app.url(path)).send().await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    (status, res.text().await.unwrap(), headers)
}

#[tokio::test]
async fn help_center_pages_faq_language_switch_sitemap_and_votes() {
    let app = spawn_app().await;
    let admin = &app.admin_token;
    let cat = app
        .post(
            "/api/v1/kb/categories",
            admin,
            json!({"name": "Billing & payments", "description": "Money <matters>"}),
        )
        .await;
    let mut en = article("Paying by card", "Add a **card** in Billing.", "en");
    en["category_id"] = json!(cat.id());
    let en = create_article(&app, admin, en).await;
    let mut ru = article("Оплата картой", "Добавьте карту.", "ru");
    ru["translation_of"] = en["id"].clone();
    ru["category_id"] = json!(cat.id());
    let ru = create_article(&app, admin, ru).await;
    let mut faq = article("Can I pay later?", "Yes, with an invoice.", "en");
    faq["kind"] = json!("faq");
    faq["category_id"] = json!(cat.id());
    create_article(&app, admin, faq).await;
    let mut internal = article("Internal note", "secret", "en");
    internal["visibility"] = json!("internal");
    let internal = create_article(&app, admin, internal).await;

    let (status, _, headers) = page(&app, "/help").await;
    assert!(status.is_redirection());
    assert_eq!(headers["location"], "/help/en");
    let (status, home, _) = page(&app, "/help/en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("Help center") && home.contains("Billing &#38; payments"),
        "{home}"
    );
    assert!(home.contains(&format!("/help/en/articles/{}-paying-by-card", en["id"])));
    assert!(!home.contains("Internal note"));
    let (_, home_ru, _) = page(&app, "/help/ru").await;
    assert!(home_ru.contains("Центр помощи") && home_ru.contains("oplata-kartoi"));

    let (_, category, _) = page(
        &app,
        &format!("/help/en/categories/{}-billing-payments", cat.id()),
    )
    .await;
    assert!(
        category.contains("Money ") && !category.contains("<matters>"),
        "{category}"
    );
    assert!(
        category.contains("<details><summary>Can I pay later?</summary>"),
        "{category}"
    );
    assert!(category.contains("Paying by card"));

    let canonical = format!("/help/en/articles/{}-paying-by-card", en["id"]);
    let (status, body, _) = page(&app, &canonical).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<strong>card</strong>"));
    assert!(
        body.contains(&format!("/help/ru/articles/{}-oplata-kartoi", ru["id"])),
        "language switch: {body}"
    );
    assert!(body.contains("Was this helpful?"));
    // Old or partial slugs redirect to the canonical URL; hidden articles are 404.
    let (status, _, headers) = page(&app, &format!("/help/ru/articles/{}", en["id"])).await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(headers["location"], canonical.as_str());
    let (status, _, _) = page(
        &app,
        &format!("/help/en/articles/{}-internal-note", internal["id"]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = page(&app, "/help/de").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let voted = reqwest::Client::new()
        .post(app.url(&format!("{canonical}/vote")))
        .form(&[("helpful", "yes"), ("comment", "clear")])
        .send()
        .await
        .unwrap();
    assert_eq!(voted.status(), StatusCode::OK);
    assert!(voted.text().await.unwrap().contains("Thank you"));
    let after = app
        .get(&format!("/api/v1/kb/articles/{}", en["id"]), admin)
        .await;
    assert_eq!(after.body["helpful_yes"], 1);

    let (status, xml, headers) = page(&app, "/help/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    assert!(
        xml.contains(&format!(
            "http://{}{canonical}",
            app.base_url.trim_start_matches("http://")
        )),
        "{xml}"
    );
    assert!(!xml.contains("internal-note"));
    let (status, js, _) = page(&app, "/help/assets/help.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(js.contains("/api/v1/kb/search"));
}

#[tokio::test]
async fn suggestions_similar_tickets_and_deflection() {
    let app = spawn_app().await;
    let admin = &app.admin_token;
    let line1 = app.team("Line 1", 1).await;
    let line2 = app.team("Line 2", 2).await;
    let (_, agent1) = app
        .agent("one@test.example", Role::Agent, &[line1], None)
        .await;
    let refunds = create_article(
        &app,
        admin,
        article(
            "How refunds work",
            "Refunds reach your card within five days.",
            "en",
        ),
    )
    .await;
    create_article(
        &app,
        admin,
        article(
            "Changing your address",
            "Edit the delivery address in your profile.",
            "en",
        ),
    )
    .await;
    let mut body = ticket_body("a@example.com");
    body["subject"] = json!("Where is my refund?");
    body["body"] = json!("I asked for a refund to my card a week ago.");
    body["team_id"] = json!(line1);
    let t1 = app.ticket(admin, body.clone()).await;
    body["subject"] = json!("Refund missing");
    body["body"] = json!("The refund has not reached my card.");
    let t2 = app.ticket(admin, body.clone()).await;
    body["team_id"] = json!(line2);
    let t3 = app.ticket(admin, body).await;
    app.indexed().await;

    let s = app
        .get(
            &format!("/api/v1/tickets/{}/suggestions", t1["id"]),
            &agent1,
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{:?}", s.body);
    assert_eq!(s.body["items"][0]["id"], refunds["id"]);
    assert_eq!(s.body["items"][0]["type"], "article");
    let similar = app
        .get(&format!("/api/v1/tickets/{}/similar", t1["id"]), &agent1)
        .await;
    // Line 2's ticket is out of the agent's sight; the ticket itself is left out.
    assert_eq!(
        ids(similar.body["items"].as_array().unwrap()),
        [t2["id"].as_i64().unwrap()]
    );
    let similar = app
        .get(&format!("/api/v1/tickets/{}/similar", t1["id"]), admin)
        .await;
    let mut both = vec![t2["id"].as_i64().unwrap(), t3["id"].as_i64().unwrap()];
    both.sort();
    assert_eq!(ids(similar.body["items"].as_array().unwrap()), both);
    let forbidden = app
        .get(
            &format!("/api/v1/tickets/{}/suggestions", t3["id"]),
            &agent1,
        )
        .await;
    assert_eq!(forbidden.code(), "ticket_forbidden");

    // Deflection: one session reads and leaves, one reads and submits anyway, one only sees.
    let article_id = refunds["id"].as_i64().unwrap();
    for (session, action) in [
        ("session-read-left", "shown"),
        ("session-read-left", "article_opened"),
        ("session-submitted", "shown"),
        ("session-submitted", "article_opened"),
        ("session-submitted", "submitted"),
        ("session-only-saw", "shown"),
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
    let bad = app
        .call(
            Method::POST,
            "/api/v1/kb/deflections",
            None,
            Some(json!({"session": "x", "action": "shown"})),
        )
        .await;
    assert_eq!(bad.code(), "invalid_field");
    // Sessions count as left after 30 idle minutes: report from an hour ahead.
    sqlx::query("UPDATE kb_deflections SET last_seen_at = last_seen_at - 3600000000")
        .execute(app.db.reader())
        .await
        .unwrap();
    let report = app.get("/api/v1/kb/deflections/report", admin).await;
    assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
    assert_eq!(report.body["sessions"], 3);
    assert_eq!(report.body["opened_article"], 2);
    assert_eq!(report.body["submitted"], 1);
    assert_eq!(report.body["deflected"], 1);
    assert_eq!(report.body["deflection_rate"], 0.5);
    assert_eq!(
        app.get("/api/v1/kb/deflections/report", &agent1)
            .await
            .code(),
        "supervisor_required"
    );
}
