//! What the search index reads: tickets with their whole conversation and customer,
//! customers, organisations — in id batches (for `reindex`) or by id (for the log follower).

use std::collections::HashMap;

use sqlx::Row;

use crate::sql::Sql;
use crate::{Db, StoreError};

/// A ticket as the index sees it.
#[derive(Debug, Clone)]
pub struct TicketDoc {
    pub id: i64,
    pub number: i64,
    pub subject: String,
    pub status: String,
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub customer_id: i64,
    pub customer_name: String,
    pub customer_email: Option<String>,
    /// Every message body, public replies and internal notes alike (only agents search
    /// tickets).
    pub messages: Vec<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct CustomerDoc {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct OrganizationDoc {
    pub id: i64,
    pub name: String,
    pub domain: Option<String>,
    pub created_at: i64,
}

/// Which rows to read.
#[derive(Debug, Clone, Copy)]
pub enum Select<'a> {
    /// These ids (absent ones are simply missing from the answer).
    Ids(&'a [i64]),
    /// Ids in `lo..=hi`.
    Range(i64, i64),
}

impl Select<'_> {
    fn push(&self, sql: &mut Sql, column: &str) -> bool {
        match *self {
            Select::Ids([]) => return false,
            Select::Ids(ids) => {
                sql.push(column).push(" IN ").bind_list(ids.iter().copied());
            }
            Select::Range(lo, hi) => {
                sql.push(column)
                    .push(" BETWEEN ")
                    .bind(lo)
                    .push(" AND ")
                    .bind(hi);
            }
        }
        true
    }
}

/// The highest id in `table` (`tickets`, `customers`, `organizations`, `events`); 0 when empty.
pub async fn max_id(db: &Db, table: &'static str) -> Result<i64, StoreError> {
    let max: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table}"))
        .fetch_one(db.reader())
        .await?;
    Ok(max.unwrap_or(0))
}

/// How many rows `table` holds.
pub async fn count(db: &Db, table: &'static str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.reader())
        .await?)
}

pub async fn tickets(db: &Db, select: Select<'_>) -> Result<Vec<TicketDoc>, StoreError> {
    let mut sql = Sql::new(
        "SELECT t.id, t.number, t.subject, t.status, t.team_id, t.assignee_id, t.customer_id, t.created_at, \
         c.name AS customer_name, c.email AS customer_email \
         FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE ",
    );
    if !select.push(&mut sql, "t.id") {
        return Ok(Vec::new());
    }
    sql.push(" ORDER BY t.id");
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    let mut docs = Vec::with_capacity(rows.len());
    let mut index = HashMap::with_capacity(rows.len());
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        index.insert(id, docs.len());
        docs.push(TicketDoc {
            id,
            number: row.try_get("number")?,
            subject: row.try_get("subject")?,
            status: row.try_get("status")?,
            team_id: row.try_get("team_id")?,
            assignee_id: row.try_get("assignee_id")?,
            customer_id: row.try_get("customer_id")?,
            customer_name: row.try_get("customer_name")?,
            customer_email: row.try_get("customer_email")?,
            messages: Vec::new(),
            created_at: row.try_get("created_at")?,
        });
    }
    if docs.is_empty() {
        return Ok(docs);
    }
    let mut sql = Sql::new("SELECT ticket_id, body_text FROM messages WHERE ");
    match select {
        Select::Range(lo, hi) => Select::Range(lo, hi).push(&mut sql, "ticket_id"),
        Select::Ids(_) => {
            let ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
            Select::Ids(&ids).push(&mut sql, "ticket_id")
        }
    };
    sql.push(" ORDER BY id");
    let (text, args) = sql.into_parts();
    let rows: Vec<(i64, String)> = sqlx::query_as_with(&text, args)
        .fetch_all(db.reader())
        .await?;
    for (ticket_id, body) in rows {
        if let Some(&i) = index.get(&ticket_id) {
            docs[i].messages.push(body);
        }
    }
    Ok(docs)
}

/// Ids of a customer's tickets (their name and email are part of each ticket's document).
pub async fn ticket_ids_of_customer(db: &Db, customer_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM tickets WHERE customer_id = $1 ORDER BY id")
            .bind(customer_id)
            .fetch_all(db.reader())
            .await?,
    )
}

/// Ids of an organisation's customers (its name is part of each customer's document).
pub async fn customer_ids_of_organization(
    db: &Db,
    organization_id: i64,
) -> Result<Vec<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM customers WHERE organization_id = $1 ORDER BY id")
            .bind(organization_id)
            .fetch_all(db.reader())
            .await?,
    )
}

pub async fn customers(db: &Db, select: Select<'_>) -> Result<Vec<CustomerDoc>, StoreError> {
    let mut sql = Sql::new(
        "SELECT c.id, c.name, c.email, c.phone, c.created_at, o.name AS organization \
         FROM customers c LEFT JOIN organizations o ON o.id = c.organization_id WHERE ",
    );
    if !select.push(&mut sql, "c.id") {
        return Ok(Vec::new());
    }
    sql.push(" ORDER BY c.id");
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    rows.iter()
        .map(|row| {
            Ok(CustomerDoc {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                phone: row.try_get("phone")?,
                organization: row.try_get("organization")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

pub async fn organizations(
    db: &Db,
    select: Select<'_>,
) -> Result<Vec<OrganizationDoc>, StoreError> {
    let mut sql = Sql::new("SELECT id, name, domain, created_at FROM organizations WHERE ");
    if !select.push(&mut sql, "id") {
        return Ok(Vec::new());
    }
    sql.push(" ORDER BY id");
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    rows.iter()
        .map(|row| {
            Ok(OrganizationDoc {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                domain: row.try_get("domain")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}
