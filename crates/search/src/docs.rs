//! Entities as index documents.

use ferrodesk_kb::Article;
use ferrodesk_store::search_source::{CustomerDoc, OrganizationDoc, TicketDoc};
use ferrodesk_store::to_micros;
use tantivy::TantivyDocument;

use crate::Fields;

pub const TICKET: &str = "ticket";
pub const ARTICLE: &str = "article";
pub const CUSTOMER: &str = "customer";
pub const ORGANIZATION: &str = "organization";

/// The unique key of a document, used to replace or delete it.
pub fn key(kind: &str, id: i64) -> String {
    format!("{kind}:{id}")
}

fn base(f: &Fields, kind: &str, id: i64, title: &str, created_at: i64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, key(kind, id));
    doc.add_text(f.kind, kind);
    doc.add_i64(f.id, id);
    doc.add_text(f.title, title);
    doc.add_i64(f.created_at, created_at);
    doc
}

pub fn ticket(f: &Fields, t: &TicketDoc) -> TantivyDocument {
    let title = format!("#{} {}", t.number, t.subject);
    let mut doc = base(f, TICKET, t.id, &title, t.created_at);
    let mut body = String::new();
    for m in &t.messages {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(m);
    }
    body.push_str("\n\n");
    body.push_str(&t.customer_name);
    if let Some(e) = &t.customer_email {
        body.push(' ');
        body.push_str(e);
    }
    doc.add_text(f.body, body);
    doc.add_text(f.status, &t.status);
    if let Some(team) = t.team_id {
        doc.add_i64(f.team_id, team);
    }
    if let Some(a) = t.assignee_id {
        doc.add_i64(f.assignee_id, a);
    }
    doc.add_i64(f.customer_id, t.customer_id);
    doc
}

pub fn customer(f: &Fields, c: &CustomerDoc) -> TantivyDocument {
    let mut doc = base(f, CUSTOMER, c.id, &c.name, c.created_at);
    let body: Vec<&str> = [
        c.email.as_deref(),
        c.phone.as_deref(),
        c.organization.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    doc.add_text(f.body, body.join(" · "));
    doc.add_i64(f.customer_id, c.id);
    doc
}

pub fn organization(f: &Fields, o: &OrganizationDoc) -> TantivyDocument {
    let mut doc = base(f, ORGANIZATION, o.id, &o.name, o.created_at);
    doc.add_text(f.body, o.domain.as_deref().unwrap_or_default());
    doc
}

pub fn article(f: &Fields, a: &Article) -> TantivyDocument {
    let mut doc = base(f, ARTICLE, a.id, &a.title, to_micros(a.created_at));
    let mut body = plain_markdown(&a.body);
    if !a.tags.is_empty() {
        body.push_str("\n\n");
        body.push_str(&a.tags.join(", "));
    }
    doc.add_text(f.body, body);
    doc.add_text(f.locale, a.locale.as_str());
    doc.add_text(f.status, a.status.as_str());
    doc.add_text(f.visibility, a.visibility.as_str());
    // Absent means "at once": index it as the beginning of time, so one range covers both.
    doc.add_i64(f.publish_at, a.publish_at.map(to_micros).unwrap_or(0));
    doc
}

/// Markdown without its markup characters, for snippets that read as text.
fn plain_markdown(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        let line = line.trim_start_matches(['#', '>', ' ', '\t']);
        let line = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .unwrap_or(line);
        if line.starts_with("```") {
            continue;
        }
        for c in line.chars() {
            if !matches!(c, '*' | '`' | '~') {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out.trim_end().to_string()
}
