//! Bulk loading for demo data and benchmarks: many tickets per statement, explicit ids, and
//! the same events a normal creation writes.

use ferrodesk_core::{AuthorKind, Channel, Priority, Status};
use jiff::Timestamp;
use serde_json::json;

use crate::sql::Sql;
use crate::{Backend, Db, StoreError, Tx, to_micros};

/// A ticket with its whole conversation, already decided by the generator.
#[derive(Debug, Clone)]
pub struct SeedTicket {
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub category: Option<String>,
    pub channel: Channel,
    pub customer_id: i64,
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub tags: Vec<String>,
    pub created_at: Timestamp,
    pub messages: Vec<SeedMessage>,
}

#[derive(Debug, Clone)]
pub struct SeedMessage {
    pub author_type: AuthorKind,
    pub author_id: Option<i64>,
    pub internal: bool,
    pub body: String,
    pub at: Timestamp,
}

/// Rows per INSERT statement, below both backends' bind-parameter limits.
const ROWS_PER_STATEMENT: usize = 400;

async fn max_id(tx: &mut Tx, table: &str) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
            .fetch_one(&mut **tx)
            .await?,
    )
}

async fn max_number(tx: &mut Tx) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COALESCE(MAX(number), 10000) FROM tickets")
            .fetch_one(&mut **tx)
            .await?,
    )
}

async fn run(tx: &mut Tx, sql: Sql) -> Result<(), StoreError> {
    let (text, args) = sql.into_parts();
    sqlx::query_with(&text, args).execute(&mut **tx).await?;
    Ok(())
}

/// Inserts `tickets` in one transaction; returns their ids.
pub async fn insert_tickets(db: &Db, tickets: &[SeedTicket]) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.begin().await?;
    let first_ticket = max_id(&mut tx, "tickets").await? + 1;
    let first_number = max_number(&mut tx).await? + 1;
    let mut next_message = max_id(&mut tx, "messages").await? + 1;
    let ids: Vec<i64> = (0..tickets.len() as i64)
        .map(|i| first_ticket + i)
        .collect();

    for (chunk_no, chunk) in tickets.chunks(ROWS_PER_STATEMENT).enumerate() {
        let base = chunk_no * ROWS_PER_STATEMENT;
        let mut sql = Sql::new(
            "INSERT INTO tickets (id, number, subject, status, priority, category, channel, customer_id, team_id, \
             assignee_id, created_at, updated_at, first_response_at, solved_at, closed_at) VALUES ",
        );
        for (i, t) in chunk.iter().enumerate() {
            let id = ids[base + i];
            let last = t.messages.last().map(|m| m.at).unwrap_or(t.created_at);
            let first_response = t
                .messages
                .iter()
                .find(|m| m.author_type == AuthorKind::Agent && !m.internal)
                .map(|m| to_micros(m.at));
            let solved =
                matches!(t.status, Status::Solved | Status::Closed).then_some(to_micros(last));
            let closed = (t.status == Status::Closed).then_some(to_micros(last));
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(id)
                .push(", ")
                .bind(first_number + (base + i) as i64)
                .push(", ")
                .bind(t.subject.clone())
                .push(", ")
                .bind(t.status.as_str())
                .push(", ")
                .bind(t.priority.as_str())
                .push(", ")
                .bind(t.category.clone())
                .push(", ")
                .bind(t.channel.as_str())
                .push(", ")
                .bind(t.customer_id)
                .push(", ")
                .bind(t.team_id)
                .push(", ")
                .bind(t.assignee_id)
                .push(", ")
                .bind(to_micros(t.created_at))
                .push(", ")
                .bind(to_micros(last))
                .push(", ")
                .bind(first_response)
                .push(", ")
                .bind(solved)
                .push(", ")
                .bind(closed)
                .push(")");
        }
        run(&mut tx, sql).await?;
    }

    let mut tag_rows = Vec::new();
    let mut message_rows = Vec::new();
    let mut event_rows = Vec::new();
    for (t, &id) in tickets.iter().zip(&ids) {
        for tag in &t.tags {
            tag_rows.push((id, tag.clone()));
        }
        event_rows.push((
            t.created_at,
            AuthorKind::System,
            None,
            id,
            "ticket.created",
            json!({"subject": t.subject, "status": Status::New, "priority": t.priority, "channel": t.channel,
                   "customer_id": t.customer_id, "team_id": t.team_id, "assignee_id": t.assignee_id, "tags": t.tags, "seeded": true}),
        ));
        for m in &t.messages {
            let mid = next_message;
            next_message += 1;
            message_rows.push((mid, id, m, t.channel));
            event_rows.push((
                m.at,
                m.author_type,
                m.author_id,
                id,
                "message.created",
                json!({"message_id": mid, "internal": m.internal, "author_type": m.author_type, "author_id": m.author_id}),
            ));
        }
        if t.status != Status::New {
            let at = t.messages.last().map(|m| m.at).unwrap_or(t.created_at);
            event_rows.push((
                at,
                AuthorKind::System,
                None,
                id,
                "ticket.updated",
                json!({"field": "status", "old": Status::New, "new": t.status}),
            ));
        }
    }

    for chunk in tag_rows.chunks(ROWS_PER_STATEMENT * 4) {
        let mut sql = Sql::new("INSERT INTO ticket_tags (ticket_id, tag) VALUES ");
        for (i, (id, tag)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(*id)
                .push(", ")
                .bind(tag.clone())
                .push(")");
        }
        run(&mut tx, sql).await?;
    }
    for chunk in message_rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "INSERT INTO messages (id, ticket_id, author_type, author_id, visibility, channel, body_text, created_at) VALUES ",
        );
        for (i, (mid, tid, m, channel)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(*mid)
                .push(", ")
                .bind(*tid)
                .push(", ")
                .bind(m.author_type.as_str())
                .push(", ")
                .bind(m.author_id)
                .push(", ")
                .bind(if m.internal { "internal" } else { "public" })
                .push(", ")
                .bind(channel.as_str())
                .push(", ")
                .bind(m.body.clone())
                .push(", ")
                .bind(to_micros(m.at))
                .push(")");
        }
        run(&mut tx, sql).await?;
    }
    for chunk in event_rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "INSERT INTO events (occurred_at, actor_type, actor_id, entity_type, entity_id, kind, data) VALUES ",
        );
        for (i, (at, actor, actor_id, tid, kind, data)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(to_micros(*at))
                .push(", ")
                .bind(actor.as_str())
                .push(", ")
                .bind(*actor_id)
                .push(", ")
                .bind("ticket")
                .push(", ")
                .bind(*tid)
                .push(", ")
                .bind(*kind)
                .push(", ")
                .bind(data.to_string())
                .push(")");
        }
        run(&mut tx, sql).await?;
    }
    if db.backend() == Backend::Postgres {
        // Explicit ids bypass the identity sequences; move them past what was inserted.
        for table in ["tickets", "messages"] {
            sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("SELECT setval('ticket_number_seq', (SELECT MAX(number) FROM tickets))")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(ids)
}

/// Creates customers in bulk (name, email, organisation); returns their ids in order.
pub async fn insert_customers(
    db: &Db,
    customers: &[(String, String, Option<i64>)],
    at: Timestamp,
) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.begin().await?;
    let first = max_id(&mut tx, "customers").await? + 1;
    let ids: Vec<i64> = (0..customers.len() as i64).map(|i| first + i).collect();
    for (chunk_no, chunk) in customers.chunks(ROWS_PER_STATEMENT).enumerate() {
        let mut sql = Sql::new(
            "INSERT INTO customers (id, name, email, organization_id, created_at, updated_at) VALUES ",
        );
        for (i, (name, email, org)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(ids[chunk_no * ROWS_PER_STATEMENT + i])
                .push(", ")
                .bind(name.clone())
                .push(", ")
                .bind(email.clone())
                .push(", ")
                .bind(*org)
                .push(", ")
                .bind(to_micros(at))
                .push(", ")
                .bind(to_micros(at))
                .push(")");
        }
        run(&mut tx, sql).await?;
    }
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "INSERT INTO events (occurred_at, actor_type, actor_id, entity_type, entity_id, kind, data) VALUES ",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(to_micros(at))
                .push(", 'system', NULL, 'customer', ")
                .bind(*id)
                .push(", 'customer.created', '{\"seeded\":true}')");
        }
        run(&mut tx, sql).await?;
    }
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT MAX(id) FROM customers))").execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

/// How many tickets exist (for `seed` and `demo` to decide what to do).
pub async fn ticket_count(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM tickets")
        .fetch_one(db.reader())
        .await?)
}

/// The highest customer id so far (0 when there are none), to number generated customers.
pub async fn max_customer_id(db: &Db) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM customers")
            .fetch_one(db.reader())
            .await?,
    )
}
