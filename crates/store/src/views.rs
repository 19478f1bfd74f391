//! The agent workspace's queries: views (saved queues) with their counts, filters and sort,
//! a customer's other tickets, and the newest event id for live updates.

use ferrodesk_core::{Channel, Priority, Status, Viewer};
use jiff::{SignedDuration, Timestamp};

use crate::sql::Sql;
use crate::tickets::{COLUMNS, Ticket, from_row, load_tags};
use crate::{Db, Page, PageRequest, StoreError, to_micros};

/// Statuses a ticket waits in for an agent.
pub const ACTIVE: &[Status] = &[Status::New, Status::Open, Status::OnHold];

/// How far ahead a deadline counts as "at risk".
pub const AT_RISK_WINDOW: SignedDuration = SignedDuration::from_hours(1);

/// A queue of the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Active tickets assigned to the viewer.
    Mine,
    /// Active tickets of the viewer's teams that nobody holds.
    Unassigned,
    /// Active tickets of one team.
    Team(i64),
    /// Tickets waiting on the customer.
    Pending,
    /// Active tickets with a deadline within [`AT_RISK_WINDOW`] (or already past).
    AtRisk,
    /// Every ticket the viewer may see (supervisors: all).
    All,
}

impl View {
    pub fn parse(s: &str) -> Option<View> {
        Some(match s {
            "mine" => View::Mine,
            "unassigned" => View::Unassigned,
            "pending" => View::Pending,
            "at-risk" => View::AtRisk,
            "all" => View::All,
            other => View::Team(other.strip_prefix("team-")?.parse().ok()?),
        })
    }

    pub fn key(self) -> String {
        match self {
            View::Mine => "mine".into(),
            View::Unassigned => "unassigned".into(),
            View::Team(id) => format!("team-{id}"),
            View::Pending => "pending".into(),
            View::AtRisk => "at-risk".into(),
            View::All => "all".into(),
        }
    }
}

/// Filters on top of a view.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
    pub tag: Option<String>,
    pub category: Option<String>,
    pub assignee_id: Option<i64>,
    pub customer_id: Option<i64>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
}

fn push_statuses(sql: &mut Sql, statuses: &[Status]) {
    sql.push(" AND t.status IN ")
        .bind_list(statuses.iter().map(|s| s.as_str()));
}

/// Appends the view's conditions; `None` when the view is empty for this viewer.
fn push_view(sql: &mut Sql, viewer: &Viewer, view: View, at: Timestamp) -> Option<()> {
    match view {
        View::Mine => {
            sql.push(" AND t.assignee_id = ").bind(viewer.agent_id);
            push_statuses(sql, ACTIVE);
        }
        View::Unassigned => {
            if viewer.team_ids.is_empty() {
                return None;
            }
            sql.push(" AND t.assignee_id IS NULL AND t.team_id IN ")
                .bind_list(viewer.team_ids.iter().copied());
            push_statuses(sql, ACTIVE);
        }
        View::Team(team) => {
            if !viewer.role.sees_all_tickets() && !viewer.is_member_of(team) {
                return None;
            }
            sql.push(" AND t.team_id = ").bind(team);
            push_statuses(sql, ACTIVE);
        }
        View::Pending => push_statuses(sql, &[Status::Pending]),
        View::AtRisk => {
            let soon = to_micros(at.checked_add(AT_RISK_WINDOW).unwrap_or(at));
            push_statuses(sql, ACTIVE);
            // A union of three index ranges: an OR across the columns would scan every
            // active ticket instead.
            sql.push(" AND t.id IN (SELECT id FROM tickets WHERE first_response_due_at < ")
                .bind(soon)
                .push(" UNION SELECT id FROM tickets WHERE next_response_due_at < ")
                .bind(soon)
                .push(" UNION SELECT id FROM tickets WHERE resolution_due_at < ")
                .bind(soon)
                .push(")");
        }
        View::All => {}
    }
    // Mine, Unassigned and a team's queue are inside the viewer's scope by construction;
    // repeating the scope there would keep the database from using its indexes.
    let scoped = matches!(view, View::Pending | View::AtRisk | View::All);
    if let Some(scope) = viewer.ticket_scope().filter(|_| scoped) {
        sql.push(" AND (t.assignee_id = ").bind(scope.agent_id);
        if !scope.team_ids.is_empty() {
            sql.push(" OR t.team_id IN ")
                .bind_list(scope.team_ids.iter().copied());
        }
        sql.push(")");
    }
    Some(())
}

/// The tickets of a view, filtered, newest (or oldest) first, cursor-paginated by id.
pub async fn queue(
    db: &Db,
    viewer: &Viewer,
    view: View,
    filter: &QueueFilter,
    page: PageRequest,
) -> Result<Page<Ticket>, StoreError> {
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM tickets t WHERE "));
    if filter.oldest_first {
        sql.push("t.id > ").bind(page.cursor_id.unwrap_or(0));
    } else {
        sql.push("t.id < ").bind(page.cursor_id.unwrap_or(i64::MAX));
    }
    if push_view(&mut sql, viewer, view, crate::now()).is_none() {
        return Ok(Page {
            items: vec![],
            next_cursor: None,
        });
    }
    if let Some(s) = filter.status {
        sql.push(" AND t.status = ").bind(s.as_str());
    }
    if let Some(p) = filter.priority {
        sql.push(" AND t.priority = ").bind(p.as_str());
    }
    if let Some(c) = filter.channel {
        sql.push(" AND t.channel = ").bind(c.as_str());
    }
    if let Some(a) = filter.assignee_id {
        sql.push(" AND t.assignee_id = ").bind(a);
    }
    if let Some(c) = filter.customer_id {
        sql.push(" AND t.customer_id = ").bind(c);
    }
    if let Some(tag) = filter
        .tag
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        sql.push(" AND EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id AND g.tag = ")
            .bind(tag.to_lowercase())
            .push(")");
    }
    if let Some(c) = filter.category.as_deref().filter(|c| !c.is_empty()) {
        sql.push(" AND t.category = ").bind(c.to_string());
    }
    sql.push(if filter.oldest_first {
        " ORDER BY t.id ASC LIMIT "
    } else {
        " ORDER BY t.id DESC LIMIT "
    })
    .bind(page.limit + 1);
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let mut page = page.finish(items, |t| t.id);
    load_tags(db.reader(), &mut page.items).await?;
    Ok(page)
}

/// How many tickets each view holds for the viewer, in the order given.
pub async fn counts(db: &Db, viewer: &Viewer, views: &[View]) -> Result<Vec<i64>, StoreError> {
    let at = crate::now();
    let mut out = Vec::with_capacity(views.len());
    for view in views {
        let mut sql = Sql::new("SELECT COUNT(*) FROM tickets t WHERE 1 = 1");
        if push_view(&mut sql, viewer, *view, at).is_none() {
            out.push(0);
            continue;
        }
        let (text, args) = sql.into_parts();
        let n: i64 = sqlx::query_scalar_with(&text, args)
            .fetch_one(db.reader())
            .await?;
        out.push(n);
    }
    Ok(out)
}

/// A customer's latest tickets other than `except`, newest first (the ticket page sidebar).
pub async fn customer_tickets(
    db: &Db,
    customer_id: i64,
    except: i64,
    limit: i64,
) -> Result<Vec<Ticket>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM tickets t WHERE t.customer_id = $1 AND t.id <> $2 ORDER BY t.id DESC LIMIT $3"
    ))
    .bind(customer_id)
    .bind(except)
    .bind(limit)
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The id of the newest event (0 for an empty log): where a live follower starts.
pub async fn latest_event_id(db: &Db) -> Result<i64, StoreError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM events")
        .fetch_one(db.reader())
        .await?;
    Ok(id.unwrap_or(0))
}

/// The ticket ids that the events after `after_id` touched, with the newest event id seen.
/// Reads at most `limit` events.
pub async fn touched_tickets(
    db: &Db,
    after_id: i64,
    limit: i64,
) -> Result<(Vec<(i64, String)>, i64), StoreError> {
    let events = crate::events::list_after(db, after_id, limit).await?;
    let last = events.last().map(|e| e.id).unwrap_or(after_id);
    let touched = events
        .into_iter()
        .filter(|e| e.entity_type == "ticket")
        .map(|e| (e.entity_id, e.kind))
        .collect();
    Ok((touched, last))
}

/// Names of customers by id (for queue rows), with one query.
pub async fn customer_names(
    db: &Db,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let mut sql = Sql::new("SELECT id, name FROM customers WHERE id IN ");
    sql.bind_list(ids.iter().copied());
    let (text, args) = sql.into_parts();
    let rows: Vec<(i64, String)> = sqlx::query_as_with(&text, args)
        .fetch_all(db.reader())
        .await?;
    Ok(rows.into_iter().collect())
}

/// Tickets by id (those that exist; tags not loaded), in one query: the current state of search hits. The
/// caller has already filtered `ids` by what the reader may see.
pub async fn tickets_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Ticket>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM tickets t WHERE t.id IN "));
    sql.bind_list(ids.iter().copied());
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// The id of the ticket with this human number.
pub async fn id_by_number(db: &Db, number: i64) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM tickets WHERE number = $1")
            .bind(number)
            .fetch_optional(db.reader())
            .await?,
    )
}
