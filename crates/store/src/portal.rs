//! Customers as the portal sees them: who a portal session belongs to, and the requests (tickets)
//! a customer may see, their own and, where allowed, their organisation's.

use sqlx::Row;

use crate::auth::secret_hash;
use crate::tickets::{self, COLUMNS, Message, Ticket, from_row};
use crate::{Db, Page, PageRequest, StoreError, now, to_micros};

/// A signed-in customer.
#[derive(Debug, Clone)]
pub struct PortalViewer {
    pub customer_id: i64,
    pub name: String,
    pub email: String,
    pub organization_id: Option<i64>,
    /// Also sees the requests of their organisation.
    pub sees_organization: bool,
}

pub async fn viewer_for_session(
    db: &Db,
    session: &str,
) -> Result<Option<PortalViewer>, StoreError> {
    let row = sqlx::query(
        "SELECT c.id, c.name, c.email, c.organization_id, a.sees FROM customer_sessions s \
         JOIN customers c ON c.id = s.customer_id \
         LEFT JOIN customer_accounts a ON a.customer_id = c.id \
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(secret_hash(session))
    .bind(to_micros(now()))
    .fetch_optional(db.reader())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let sees: Option<String> = row.try_get(4)?;
    Ok(Some(PortalViewer {
        customer_id: row.try_get(0)?,
        name: row.try_get(1)?,
        email: row.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
        organization_id: row.try_get(3)?,
        sees_organization: sees.as_deref() == Some("organization"),
    }))
}

/// The tag of a web-form request whose sender has not proved the address yet. Anyone can type
/// any address into the form, so such a request is kept from that address's portal until the
/// emailed link is followed (agents see it at once).
pub const UNCONFIRMED_TAG: &str = "unconfirmed";

pub fn push_visible(sql: &mut crate::sql::Sql, v: &PortalViewer) {
    sql.push(" AND NOT EXISTS (SELECT 1 FROM ticket_tags u WHERE u.ticket_id = t.id AND u.tag = ")
        .bind(UNCONFIRMED_TAG)
        .push(")");
    match (v.sees_organization, v.organization_id) {
        (true, Some(org)) => {
            sql.push(" AND (t.customer_id = ")
                .bind(v.customer_id)
                .push(" OR t.customer_id IN (SELECT id FROM customers WHERE organization_id = ")
                .bind(org)
                .push("))");
        }
        _ => {
            sql.push(" AND t.customer_id = ").bind(v.customer_id);
        }
    }
}

/// The requests a customer may see, newest first.
pub async fn requests(
    db: &Db,
    v: &PortalViewer,
    page: PageRequest,
) -> Result<Page<Ticket>, StoreError> {
    let mut sql = crate::sql::Sql::new(format!(
        "SELECT {COLUMNS} FROM tickets t WHERE t.status <> 'merged' AND t.id < "
    ));
    sql.bind(page.cursor_id.unwrap_or(i64::MAX));
    push_visible(&mut sql, v);
    sql.push(" ORDER BY t.id DESC LIMIT ").bind(page.limit + 1);
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(page.finish(items, |t| t.id))
}

/// One request, if the customer may see it (404 `ticket_not_found` otherwise, as for one that
/// does not exist).
pub async fn request(db: &Db, v: &PortalViewer, id: i64) -> Result<Ticket, StoreError> {
    let mut sql = crate::sql::Sql::new(format!("SELECT {COLUMNS} FROM tickets t WHERE t.id = "));
    sql.bind(id);
    let (text, args) = sql.into_parts();
    let row = sqlx::query_with(&text, args)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::not_found("ticket", id))?;
    let ticket = from_row(&row)?;
    let mut sql = crate::sql::Sql::new("SELECT t.id FROM tickets t WHERE t.id = ");
    sql.bind(id);
    push_visible(&mut sql, v);
    let (text, args) = sql.into_parts();
    let visible: Option<i64> = sqlx::query_scalar_with(&text, args)
        .fetch_optional(db.reader())
        .await?;
    // Someone else's request answers exactly as one that does not exist, so request ids
    // cannot be probed.
    if visible.is_none() {
        return Err(StoreError::not_found("ticket", id));
    }
    Ok(ticket)
}

/// The public conversation of a request, oldest first (internal notes are never shown).
pub async fn conversation(db: &Db, ticket_id: i64) -> Result<Vec<Message>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM messages WHERE ticket_id = $1 AND visibility = 'public' ORDER BY id LIMIT 500",
        tickets::MESSAGE_COLUMNS
    ))
    .bind(ticket_id)
    .fetch_all(db.reader())
    .await?;
    let mut messages = rows
        .iter()
        .map(tickets::message_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    crate::tickets::fill_attachments(db, &mut messages).await?;
    Ok(messages)
}
