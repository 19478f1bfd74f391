//! In-app notifications for agents: written in the transaction of what caused them, read and
//! marked read by the agent they are for.

use ferrodesk_core::Viewer;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::sql::Sql;
use crate::tickets::Ticket;
use crate::{Db, Page, PageRequest, StoreError, Tx, from_micros, now, to_micros};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub ticket_id: Option<i64>,
    /// e.g. `sla.escalated`, `rule.notify`.
    pub kind: String,
    pub message: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub read_at: Option<Timestamp>,
}

fn from_row(row: &AnyRow) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: row.try_get("id")?,
        ticket_id: row.try_get("ticket_id")?,
        kind: row.try_get("kind")?,
        message: row.try_get("message")?,
        created_at: from_micros(row.try_get("created_at")?),
        read_at: row.try_get::<Option<i64>, _>("read_at")?.map(from_micros),
    })
}

/// Who a notification goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every active supervisor (admins when there is none).
    Supervisors,
    /// The ticket's assignee, else the members of its team.
    TicketOwners,
}

/// Writes one notification per recipient, in one statement.
pub async fn notify(
    tx: &mut Tx,
    audience: Audience,
    ticket: &Ticket,
    kind: &str,
    message: &str,
    at: Timestamp,
) -> Result<usize, StoreError> {
    let recipients: Vec<i64> = match audience {
        Audience::Supervisors => {
            let sups: Vec<i64> = sqlx::query_scalar("SELECT id FROM agents WHERE role = 'supervisor' AND deactivated_at IS NULL ORDER BY id")
                .fetch_all(&mut **tx)
                .await?;
            if sups.is_empty() {
                sqlx::query_scalar("SELECT id FROM agents WHERE role = 'admin' AND deactivated_at IS NULL ORDER BY id").fetch_all(&mut **tx).await?
            } else {
                sups
            }
        }
        Audience::TicketOwners => match (ticket.assignee_id, ticket.team_id) {
            (Some(agent), _) => vec![agent],
            (None, Some(team)) => sqlx::query_scalar(
                "SELECT m.agent_id FROM team_members m JOIN agents a ON a.id = m.agent_id WHERE m.team_id = $1 AND a.deactivated_at IS NULL ORDER BY m.agent_id",
            )
            .bind(team)
            .fetch_all(&mut **tx)
            .await?,
            (None, None) => Vec::new(),
        },
    };
    if recipients.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::new(
        "INSERT INTO notifications (agent_id, ticket_id, kind, message, created_at) VALUES ",
    );
    for (i, agent) in recipients.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(*agent)
            .push(", ")
            .bind(ticket.id)
            .push(", ")
            .bind(kind.to_string())
            .push(", ")
            .bind(message.to_string());
        sql.push(", ").bind(to_micros(at)).push(")");
    }
    let (text, args) = sql.into_parts();
    sqlx::query_with(&text, args).execute(&mut **tx).await?;
    Ok(recipients.len())
}

/// The viewer's notifications, newest first; `unread_only` leaves out those already read.
pub async fn list(
    db: &Db,
    viewer: &Viewer,
    unread_only: bool,
    page: PageRequest,
) -> Result<Page<Notification>, StoreError> {
    let mut sql = Sql::new(
        "SELECT id, ticket_id, kind, message, created_at, read_at FROM notifications WHERE agent_id = ",
    );
    sql.bind(viewer.agent_id)
        .push(" AND id < ")
        .bind(page.cursor_id.unwrap_or(i64::MAX));
    if unread_only {
        sql.push(" AND read_at IS NULL");
    }
    sql.push(" ORDER BY id DESC LIMIT ").bind(page.limit + 1);
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(page.finish(items, |n| n.id))
}

/// Marks the viewer's notifications read: one, or all of them.
pub async fn mark_read(db: &Db, viewer: &Viewer, id: Option<i64>) -> Result<u64, StoreError> {
    let mut sql = Sql::new("UPDATE notifications SET read_at = ");
    sql.bind(to_micros(now()))
        .push(" WHERE agent_id = ")
        .bind(viewer.agent_id)
        .push(" AND read_at IS NULL");
    if let Some(id) = id {
        sql.push(" AND id = ").bind(id);
    }
    let (text, args) = sql.into_parts();
    let done = sqlx::query_with(&text, args).execute(db.writer()).await?;
    Ok(done.rows_affected())
}
