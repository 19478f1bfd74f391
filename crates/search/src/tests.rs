//! The index on its own, fed documents directly: stemming, typo tolerance, phrases, snippets,
//! permissions and filters.

use std::sync::Arc;

use ferrodesk_core::kb::{ArticleKind, ArticleStatus, Locale};
use ferrodesk_core::{Role, Viewer, Visibility};
use ferrodesk_kb::Article;
use ferrodesk_store::search_source::TicketDoc;

use crate::{SearchIndex, SearchRequest, Who, docs};

fn article(id: i64, title: &str, body: &str) -> Article {
    Article {
        id,
        translation_of: id,
        category_id: None,
        kind: ArticleKind::Article,
        locale: Locale::En,
        title: title.into(),
        slug: "s".into(),
        body: body.into(),
        body_html: None,
        visibility: Visibility::Public,
        status: ArticleStatus::Published,
        publish_at: None,
        live: true,
        revision: 1,
        author_id: None,
        tags: vec![],
        helpful_yes: 0,
        helpful_no: 0,
        created_at: jiff::Timestamp::UNIX_EPOCH,
        updated_at: jiff::Timestamp::UNIX_EPOCH,
    }
}

fn ticket(id: i64, subject: &str, body: &str, team: Option<i64>, created_at: i64) -> TicketDoc {
    TicketDoc {
        id,
        number: 10000 + id,
        subject: subject.into(),
        status: "open".into(),
        team_id: team,
        assignee_id: None,
        customer_id: 1,
        customer_name: "Иван Петров".into(),
        customer_email: Some("ivan@example.ru".into()),
        messages: vec![body.into()],
        created_at,
    }
}

fn index_of(articles: &[Article], tickets: &[TicketDoc]) -> Arc<SearchIndex> {
    let index = SearchIndex::in_memory().unwrap();
    {
        let w = index.writer();
        for a in articles {
            w.add_document(docs::article(&index.fields, a)).unwrap();
        }
        for t in tickets {
            w.add_document(docs::ticket(&index.fields, t)).unwrap();
        }
    }
    index.commit(Default::default()).unwrap();
    index
}

fn admin() -> Who {
    Who::Agent(Viewer {
        agent_id: 1,
        role: Role::Admin,
        team_ids: vec![],
    })
}

fn ids(index: &SearchIndex, who: &Who, q: &str) -> Vec<i64> {
    index
        .search(
            who,
            &SearchRequest {
                q: q.into(),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect()
}

fn corpus() -> Arc<SearchIndex> {
    index_of(
        &[
            article(1, "Оплата картой", "Как оплатить заказ банковской картой."),
            article(2, "Reset your password", "Open Settings and choose Reset."),
            article(3, "Доставка", "Курьер привезёт заказ в течение дня."),
            article(
                4,
                "Delivery times",
                "Orders arrive within two business days.",
            ),
        ],
        &[],
    )
}

#[test]
fn russian_word_forms_find_each_other() {
    let index = corpus();
    for q in ["оплата", "оплаты", "оплатой", "ОПЛАТУ"] {
        assert_eq!(ids(&index, &Who::Public, q), [1], "{q}");
    }
    // ё = е, both ways.
    assert_eq!(ids(&index, &Who::Public, "привезет"), [3]);
    assert_eq!(ids(&index, &Who::Public, "курьёр"), [3]);
}

#[test]
fn english_stemming_and_or_semantics() {
    let index = corpus();
    assert_eq!(ids(&index, &Who::Public, "resetting passwords"), [2]);
    // Any word may match; the document with more of them ranks first.
    assert_eq!(ids(&index, &Who::Public, "delivery orders password")[0], 4);
    assert_eq!(
        ids(&index, &Who::Public, "delivery orders password").len(),
        2
    );
}

#[test]
fn short_queries_tolerate_one_typo_but_exact_matches_rank_first() {
    let index = index_of(
        &[
            article(1, "Password reset", "Reset it in settings."),
            article(2, "Lapel pins", "Pins for a jacket."),
            article(3, "Shipping label", "Print the label."),
        ],
        &[],
    );
    assert_eq!(ids(&index, &Who::Public, "pasword"), [1]);
    assert_eq!(ids(&index, &Who::Public, "passwrod"), [1]);
    // One typo away from "lapel", exactly "label": the exact match first.
    assert_eq!(ids(&index, &Who::Public, "label"), [3, 2]);
    // Short words must be spelt right.
    assert!(ids(&index, &Who::Public, "pinz").len() <= 1);
    assert!(ids(&index, &Who::Public, "pim").is_empty());
    let ru = corpus();
    assert_eq!(ids(&ru, &Who::Public, "доствка"), [3]);
}

#[test]
fn quoted_phrases_must_match_in_order() {
    let index = index_of(
        &[
            article(1, "A", "reset the password in settings"),
            article(2, "B", "password: you can reset it"),
        ],
        &[],
    );
    assert_eq!(ids(&index, &Who::Public, "\"reset the password\""), [1]);
    let mut both = ids(&index, &Who::Public, "reset password");
    both.sort();
    assert_eq!(both, [1, 2]);
}

#[test]
fn snippets_highlight_matches_and_escape_the_rest() {
    let index = index_of(
        &[article(
            1,
            "Оплата",
            "Use <script> tags & pay: оплатить можно картой, оплата проходит сразу.",
        )],
        &[],
    );
    let hits = index
        .search(
            &Who::Public,
            &SearchRequest {
                q: "оплата".into(),
                limit: 5,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(hits.len(), 1);
    let s = &hits[0].snippet;
    assert!(s.contains("<b>оплатить</b>"), "{s}");
    assert!(s.contains("<b>оплата</b>"), "{s}");
    assert!(s.contains("&lt;script&gt;") && s.contains("&amp;"), "{s}");
    assert_eq!(hits[0].kind, "article");
    assert!(hits[0].score > 0.0);
}

#[test]
fn agents_see_only_tickets_of_their_teams_and_the_public_no_tickets() {
    let index = index_of(
        &[article(9, "Printer", "printer help")],
        &[
            ticket(1, "Printer on fire", "help", Some(1), 10),
            ticket(2, "Printer jammed", "help", Some(2), 20),
        ],
    );
    let agent = Who::Agent(Viewer {
        agent_id: 5,
        role: Role::Agent,
        team_ids: vec![1],
    });
    let mut seen = ids(&index, &agent, "printer");
    seen.sort();
    assert_eq!(seen, [1, 9]);
    let mut all = ids(&index, &admin(), "printer");
    all.sort();
    assert_eq!(all, [1, 2, 9]);
    assert_eq!(ids(&index, &Who::Public, "printer"), [9]);
    // The customer's name and email are part of the ticket.
    let mut by_customer = ids(&index, &admin(), "петров");
    by_customer.sort();
    assert_eq!(by_customer, [1, 2]);
}

#[test]
fn filters_by_type_team_and_date() {
    let index = index_of(
        &[article(9, "Printer", "printer help")],
        &[
            ticket(1, "Printer on fire", "help", Some(1), 10),
            ticket(2, "Printer jammed", "help", Some(2), 20),
        ],
    );
    let search = |req: SearchRequest| -> Vec<i64> {
        index
            .search(&admin(), &req)
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect()
    };
    let base = SearchRequest {
        q: "printer".into(),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(
        search(SearchRequest {
            kind: Some("article".into()),
            ..base.clone()
        }),
        [9]
    );
    assert_eq!(
        search(SearchRequest {
            team_id: Some(2),
            ..base.clone()
        }),
        [2]
    );
    assert_eq!(
        search(SearchRequest {
            kind: Some("ticket".into()),
            from: Some(15),
            ..base.clone()
        }),
        [2]
    );
    assert_eq!(
        search(SearchRequest {
            kind: Some("ticket".into()),
            to: Some(15),
            ..base
        }),
        [1]
    );
}

#[test]
fn drafts_internal_and_scheduled_articles_are_not_public() {
    let mut draft = article(1, "Refunds", "refund policy");
    draft.status = ArticleStatus::Draft;
    let mut internal = article(2, "Refunds internal", "refund escalation");
    internal.visibility = Visibility::Internal;
    let mut later = article(3, "Refunds later", "refund news");
    later.publish_at = Some(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1));
    let mut earlier = article(4, "Refunds now", "refund news");
    earlier.publish_at = Some(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1));
    let index = index_of(&[draft, internal, later, earlier], &[]);
    assert_eq!(ids(&index, &Who::Public, "refund"), [4]);
    assert_eq!(ids(&index, &admin(), "refund").len(), 4);
}

#[test]
fn an_empty_or_stop_word_query_finds_nothing() {
    let index = corpus();
    assert!(ids(&index, &Who::Public, "").is_empty());
    assert!(ids(&index, &Who::Public, "the и how").is_empty());
}
