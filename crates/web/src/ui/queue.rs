//! The workspace home: views with counts, the queue with filters and sort, bulk actions.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use ferrodesk_core::{Channel, Priority, Status};
use ferrodesk_store::tickets::{self, TicketPatch};
use ferrodesk_store::views::{self, QueueFilter, View};
use ferrodesk_store::{PageRequest, StoreError, agents, teams};
use jiff::Timestamp;

use crate::shell::AppState;
use crate::shell::forms::{
    Opt, channel_opts, non_empty, priority_label, priority_opts, status_label, status_opts,
};
use crate::shell::{AgentSession, Chrome, UiError, fmt_time, render, see_other, urlencode};

pub const PAGE_SIZE: i64 = 25;

pub struct ViewLink {
    pub href: String,
    pub label: String,
    pub count: i64,
    pub on: bool,
}

pub struct Row {
    pub id: i64,
    pub href: String,
    pub number: i64,
    pub subject: String,
    pub customer: String,
    pub status: &'static str,
    pub status_label: String,
    pub priority: &'static str,
    pub priority_label: String,
    pub team: String,
    pub assignee: String,
    pub updated: String,
    pub due: String,
    pub due_late: bool,
    pub tags: String,
}

#[derive(Template)]
#[template(path = "agent/queue.html")]
pub struct QueuePage {
    pub c: Chrome,
    pub views: Vec<ViewLink>,
    pub view_key: String,
    pub view_label: String,
    pub rows: Vec<Row>,
    pub statuses: Vec<Opt>,
    pub priorities: Vec<Opt>,
    pub channels: Vec<Opt>,
    pub assignees: Vec<Opt>,
    pub bulk_assignees: Vec<Opt>,
    pub bulk_statuses: Vec<Opt>,
    pub bulk_priorities: Vec<Opt>,
    pub tag: String,
    pub customer: String,
    pub oldest: bool,
    pub next_href: Option<String>,
    pub total_label: String,
    pub flash: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct QueueQuery {
    pub view: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub channel: Option<String>,
    pub tag: Option<String>,
    pub category: Option<String>,
    pub assignee: Option<String>,
    pub customer: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub done: Option<String>,
    pub error: Option<String>,
}

fn default_view(me: &AgentSession) -> View {
    if me.viewer.role.sees_all_tickets() {
        View::All
    } else {
        View::Mine
    }
}

pub async fn page(
    State(s): State<AppState>,
    me: AgentSession,
    Query(q): Query<QueueQuery>,
) -> Response {
    match build(&s, &me, &q).await {
        Ok(p) => render(&p),
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

fn parse<T: std::str::FromStr>(v: &Option<String>) -> Option<T> {
    non_empty(v).and_then(|v| v.parse().ok())
}

async fn build(s: &AppState, me: &AgentSession, q: &QueueQuery) -> Result<QueuePage, StoreError> {
    let tr = me.tr();
    let view = non_empty(&q.view)
        .and_then(View::parse)
        .unwrap_or_else(|| default_view(me));
    let all_teams = teams::list(&s.db, PageRequest::first(200)).await?.items;
    let all_agents = agents::list(&s.db, PageRequest::first(200)).await?.items;
    let team_name: HashMap<i64, String> =
        all_teams.iter().map(|t| (t.id, t.name.clone())).collect();
    let agent_name: HashMap<i64, String> =
        all_agents.iter().map(|a| (a.id, a.name.clone())).collect();

    let mut list = vec![
        (View::Mine, tr.t("view-mine")),
        (View::Unassigned, tr.t("view-unassigned")),
    ];
    for t in &all_teams {
        if me.viewer.role.sees_all_tickets() || me.viewer.is_member_of(t.id) {
            list.push((View::Team(t.id), t.name.clone()));
        }
    }
    list.push((View::Pending, tr.t("view-pending")));
    list.push((View::AtRisk, tr.t("view-at-risk")));
    if me.viewer.role.sees_all_tickets() {
        list.push((View::All, tr.t("view-all")));
    }
    let keys: Vec<View> = list.iter().map(|(v, _)| *v).collect();
    let counts = s.view_counts.get(&s.db, &me.viewer, &keys).await?;
    let view_label = list
        .iter()
        .find(|(v, _)| *v == view)
        .map(|(_, l)| l.clone())
        .unwrap_or_default();
    let view_count = keys
        .iter()
        .zip(&counts)
        .find(|(v, _)| **v == view)
        .map(|(_, n)| *n);
    let links = list
        .into_iter()
        .zip(counts)
        .map(|((v, label), count)| ViewLink {
            href: format!("/?view={}", v.key()),
            label,
            count,
            on: v == view,
        })
        .collect();

    let customer_id = non_empty(&q.customer).and_then(|c| c.trim_start_matches('#').parse().ok());
    let filter = QueueFilter {
        status: parse::<Status>(&q.status),
        priority: parse::<Priority>(&q.priority),
        channel: parse::<Channel>(&q.channel),
        tag: non_empty(&q.tag).map(str::to_owned),
        category: non_empty(&q.category).map(str::to_owned),
        assignee_id: parse::<i64>(&q.assignee),
        customer_id,
        oldest_first: q.sort.as_deref() == Some("oldest"),
    };
    let page = PageRequest::parse(Some(PAGE_SIZE), q.cursor.as_deref())?;
    let result = views::queue(&s.db, &me.viewer, view, &filter, page).await?;
    let ids: Vec<i64> = result.items.iter().map(|t| t.customer_id).collect();
    let customers = views::customer_names(&s.db, &ids).await?;
    let now = Timestamp::now();
    let rows = result
        .items
        .iter()
        .map(|t| {
            let due = [
                t.first_response_due_at,
                t.next_response_due_at,
                t.resolution_due_at,
            ]
            .into_iter()
            .flatten()
            .min();
            Row {
                id: t.id,
                href: format!("/tickets/{}", t.id),
                number: t.number,
                subject: t.subject.clone(),
                customer: customers.get(&t.customer_id).cloned().unwrap_or_default(),
                status: t.status.as_str(),
                status_label: status_label(tr, t.status),
                priority: t.priority.as_str(),
                priority_label: priority_label(tr, t.priority),
                team: t
                    .team_id
                    .and_then(|id| team_name.get(&id).cloned())
                    .unwrap_or_default(),
                assignee: t
                    .assignee_id
                    .and_then(|id| agent_name.get(&id).cloned())
                    .unwrap_or_else(|| tr.t("unassigned")),
                updated: fmt_time(t.updated_at, &me.tz),
                due: due.map(|d| fmt_time(d, &me.tz)).unwrap_or_default(),
                due_late: due.is_some_and(|d| d < now) && !t.status.is_final(),
                tags: t.tags.join(", "),
            }
        })
        .collect::<Vec<_>>();
    let next_href = result.next_cursor.map(|c| {
        let mut href = format!("/?view={}&cursor={c}", view.key());
        for (k, v) in [
            ("status", &q.status),
            ("priority", &q.priority),
            ("channel", &q.channel),
            ("tag", &q.tag),
            ("category", &q.category),
            ("assignee", &q.assignee),
            ("customer", &q.customer),
            ("sort", &q.sort),
        ] {
            if let Some(v) = non_empty(v) {
                href.push_str(&format!("&{k}={}", urlencode(v)));
            }
        }
        href
    });
    let agent_opts = |sel: Option<i64>| -> Vec<Opt> {
        all_agents
            .iter()
            .filter(|a| a.active)
            .map(|a| Opt::new(a.id.to_string(), a.name.clone(), sel == Some(a.id)))
            .collect()
    };
    let flash = if let Some(n) = parse::<i64>(&q.done) {
        Some(tr.n("bulk-done", n))
    } else {
        non_empty(&q.error).map(|code| tr.t(&crate::shell::error_key(code)))
    };
    Ok(QueuePage {
        c: me.chrome(view_label.clone()),
        views: links,
        view_key: view.key(),
        view_label,
        total_label: tr.n("count-tickets", view_count.unwrap_or(rows.len() as i64)),
        rows,
        statuses: status_opts(tr, filter.status, true),
        priorities: priority_opts(tr, filter.priority),
        channels: channel_opts(tr, filter.channel),
        assignees: agent_opts(filter.assignee_id),
        bulk_assignees: agent_opts(None),
        bulk_statuses: status_opts(tr, None, false),
        bulk_priorities: priority_opts(tr, None),
        tag: filter.tag.unwrap_or_default(),
        customer: customer_id.map(|c: i64| c.to_string()).unwrap_or_default(),
        oldest: filter.oldest_first,
        next_href,
        flash,
    })
}

/// `ids=1&ids=2&action=status&status=solved` etc.
pub async fn bulk(
    State(s): State<AppState>,
    me: AgentSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let back = get("view")
        .map(|v| format!("/?view={}", urlencode(&v)))
        .unwrap_or_else(|| "/".into());
    let sep = if back.contains('?') { '&' } else { '?' };
    let action = get("action").unwrap_or_default();
    let mut done = 0i64;
    // The merge target is looked up once, not once per selected ticket.
    let merge_into = if action == "merge" {
        merge_target(&s, get("into")).await
    } else {
        Ok(None)
    };
    for id in &ids {
        let result = match action.as_str() {
            "assign" => {
                let assignee = get("assignee").and_then(|v| v.parse::<i64>().ok());
                let patch = TicketPatch {
                    assignee_id: Some(assignee),
                    ..TicketPatch::default()
                };
                ferrodesk_desk::tickets::update(&s.db, &me.viewer, *id, patch)
                    .await
                    .map(drop)
            }
            "status" => match get("status").and_then(|v| v.parse::<Status>().ok()) {
                Some(st) => ferrodesk_desk::tickets::update(
                    &s.db,
                    &me.viewer,
                    *id,
                    TicketPatch {
                        status: Some(st),
                        ..TicketPatch::default()
                    },
                )
                .await
                .map(drop),
                None => Ok(()),
            },
            "priority" => match get("priority").and_then(|v| v.parse::<Priority>().ok()) {
                Some(p) => ferrodesk_desk::tickets::update(
                    &s.db,
                    &me.viewer,
                    *id,
                    TicketPatch {
                        priority: Some(p),
                        ..TicketPatch::default()
                    },
                )
                .await
                .map(drop),
                None => Ok(()),
            },
            "tag" => match get("tag") {
                Some(tag) => match tickets::get(&s.db, &me.viewer, *id).await {
                    Ok(t) => {
                        let mut tags = t.tags.clone();
                        tags.push(tag);
                        ferrodesk_desk::tickets::update(
                            &s.db,
                            &me.viewer,
                            *id,
                            TicketPatch {
                                tags: Some(tags),
                                ..TicketPatch::default()
                            },
                        )
                        .await
                        .map(drop)
                    }
                    Err(e) => Err(e),
                },
                None => Ok(()),
            },
            "merge" => match &merge_into {
                Ok(Some(into)) if into != id => {
                    ferrodesk_desk::tickets::merge(&s.db, &me.viewer, *id, *into)
                        .await
                        .map(drop)
                }
                Ok(_) => Ok(()),
                // An unknown target: each ticket reports the same error.
                Err(_) => merge_target(&s, get("into")).await.map(drop),
            },
            _ => Ok(()),
        };
        match result {
            Ok(()) => done += 1,
            Err(e) => {
                let code = crate::shell::ApiError::from(e).code;
                return see_other(&format!("{back}{sep}done={done}&error={code}"));
            }
        }
    }
    s.view_counts.forget(me.agent.id);
    see_other(&format!("{back}{sep}done={done}"))
}

/// The merge target is given by its number (`#10042` or `10042`).
async fn merge_target(s: &AppState, into: Option<String>) -> Result<Option<i64>, StoreError> {
    match into.and_then(|v| v.trim_start_matches('#').parse::<i64>().ok()) {
        Some(number) => match views::id_by_number(&s.db, number).await? {
            Some(id) => Ok(Some(id)),
            None => Err(StoreError::not_found("ticket", number)),
        },
        None => Ok(None),
    }
}
