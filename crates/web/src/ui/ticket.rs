//! The ticket page: the conversation as a thread, the reply box (public reply or internal
//! note), fields editable in place, the history from the event log, and the customer sidebar.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use ferrodesk_core::{AuthorKind, Priority, Status};
use ferrodesk_store::events::Event;
use ferrodesk_store::tickets::{self, Message, NewMessage, Ticket, TicketPatch};
use ferrodesk_store::{PageRequest, StoreError, agents, customers, organizations, teams, views};

use super::history::{self, HistoryItem};
use crate::shell::AppState;
use crate::shell::forms::{
    Opt, non_empty, priority_label, priority_opts, status_label, status_opts,
};
use crate::shell::i18n::Tr;
use crate::shell::upload::{FileLink, file_links, inline_images};
use crate::shell::upload::{Upload, UploadError};
use crate::shell::{AgentSession, Chrome, UiError, error_key, fmt_time, render, see_other};

pub struct MsgView {
    pub class: &'static str,
    pub kind_label: String,
    pub author: String,
    pub at: String,
    pub text: String,
    /// Sanitised HTML, when the message came with HTML.
    pub html: Option<String>,
    pub files: Vec<FileLink>,
    /// For replies that go out by email: how delivery went, and whether it failed.
    pub delivery: Option<(String, bool)>,
}

pub struct OtherTicket {
    pub href: String,
    pub number: i64,
    pub subject: String,
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "agent/ticket.html")]
pub struct TicketPage {
    pub c: Chrome,
    pub ticket_id: i64,
    pub number: i64,
    pub subject: String,
    pub status: &'static str,
    pub status_label: String,
    pub priority: &'static str,
    pub priority_label: String,
    pub channel_label: String,
    pub created: String,
    pub due: Vec<(String, String, bool)>,
    pub messages: Vec<MsgView>,
    /// Only the latest messages are shown.
    pub earlier_messages: bool,
    pub history: Vec<HistoryItem>,
    /// Only the latest entries are shown; the API has them all.
    pub older_history: bool,
    pub statuses: Vec<Opt>,
    pub priorities: Vec<Opt>,
    pub teams: Vec<Opt>,
    pub assignees: Vec<Opt>,
    pub category: String,
    pub tags: String,
    pub customer_name: String,
    pub customer_email: String,
    pub customer_href: String,
    pub organization: String,
    pub others: Vec<OtherTicket>,
    pub closed: bool,
    pub flash: Option<String>,
    pub error: Option<String>,
    pub assigned_to_me: bool,
    pub macros: Vec<MacroOpt>,
}

/// A macro in the picker; `text` is its reply (empty when it only changes fields).
pub struct MacroOpt {
    pub value: String,
    pub label: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "agent/thread.html")]
pub struct ThreadFragment {
    pub c: Chrome,
    pub ticket_id: i64,
    pub messages: Vec<MsgView>,
    pub earlier_messages: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct Flash {
    pub error: Option<String>,
    pub done: Option<String>,
}

fn author_name(
    kind: AuthorKind,
    id: Option<i64>,
    agents: &HashMap<i64, String>,
    customer: &str,
    tr: Tr,
) -> String {
    match kind {
        AuthorKind::Agent => id
            .and_then(|i| agents.get(&i).cloned())
            .unwrap_or_else(|| tr.t("author-agent")),
        AuthorKind::Customer => customer.to_string(),
        AuthorKind::Bot => tr.t("author-bot"),
        AuthorKind::System => tr.t("author-system"),
    }
}

fn message_views(
    messages: &[Message],
    agents: &HashMap<i64, String>,
    customer: &str,
    me: &AgentSession,
) -> Vec<MsgView> {
    let tr = me.tr();
    messages
        .iter()
        .map(|m| {
            let (class, kind_label) = match (m.author_type, m.internal) {
                (_, true) => ("note", tr.t("msg-note")),
                (AuthorKind::Agent, false) => ("agent", tr.t("msg-reply")),
                (AuthorKind::Customer, false) => ("customer", tr.t("msg-customer")),
                (AuthorKind::Bot, false) => ("bot", tr.t("author-bot")),
                (AuthorKind::System, false) => ("system", tr.t("author-system")),
            };
            MsgView {
                class,
                kind_label,
                author: author_name(m.author_type, m.author_id, agents, customer, tr),
                at: fmt_time(m.created_at, &me.tz),
                text: m.body.clone(),
                html: m
                    .body_html
                    .as_deref()
                    .map(|h| ammonia::clean(&inline_images(h, m, ""))),
                files: file_links(m, ""),
                delivery: m.delivery_state.as_deref().map(|state| match state {
                    "sent" => (tr.t("delivery-sent"), false),
                    "failed" => (
                        tr.a(
                            "delivery-failed",
                            "error",
                            m.delivery_error.as_deref().unwrap_or(""),
                        ),
                        true,
                    ),
                    _ => (tr.t("delivery-queued"), false),
                }),
            }
        })
        .collect()
}

fn history_items(
    events: &[Event],
    me: &AgentSession,
    agents: &HashMap<i64, String>,
    teams: &HashMap<i64, String>,
    customer: &str,
) -> Vec<HistoryItem> {
    let tr = me.tr();
    let names = history::Names {
        agents,
        teams,
        customer,
    };
    history::items(events, tr, &me.tz, &names, |e| {
        author_name(e.actor_type, e.actor_id, agents, customer, tr)
    })
}

async fn names(s: &AppState) -> Result<(Vec<agents::Agent>, Vec<teams::Team>), StoreError> {
    Ok((
        agents::list(&s.db, PageRequest::first(200)).await?.items,
        teams::list(&s.db, PageRequest::first(200)).await?.items,
    ))
}

pub async fn page(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Response {
    match build(&s, &me, id, &flash).await {
        Ok(p) => render(&p),
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

async fn build(
    s: &AppState,
    me: &AgentSession,
    id: i64,
    flash: &Flash,
) -> Result<TicketPage, StoreError> {
    let tr = me.tr();
    let ticket: Ticket = tickets::get(&s.db, &me.viewer, id).await?;
    let (messages, earlier_messages) = tickets::recent_messages(&s.db, &me.viewer, id, 200).await?;
    let (history, older_history) = tickets::recent_history(&s.db, &me.viewer, id, 200).await?;
    let customer = customers::get(&s.db, ticket.customer_id).await?;
    let organization = match customer.organization_id {
        Some(org) => organizations::get(&s.db, org).await.ok().map(|o| o.name),
        None => None,
    };
    let others = views::customer_tickets(&s.db, ticket.customer_id, id, 10).await?;
    let (all_agents, all_teams) = names(s).await?;
    let number = ticket.number.to_string();
    let values = [
        ("ticket.number", number.as_str()),
        ("ticket.subject", ticket.subject.as_str()),
        ("customer.name", customer.name.as_str()),
        ("customer.email", customer.email.as_deref().unwrap_or("")),
    ];
    let macros = ferrodesk_desk::rules::list(&s.db, ferrodesk_desk::rules::RuleKind::Macro)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| MacroOpt {
            // The macro's public reply, rendered for this ticket, for inserting into the reply box.
            text: m
                .actions
                .iter()
                .find_map(|a| match a {
                    ferrodesk_core::rules::Action::Reply {
                        body,
                        internal: false,
                    } => Some(ferrodesk_core::rules::render(body, &values)),
                    _ => None,
                })
                .unwrap_or_default(),
            value: m.id.to_string(),
            label: m.name,
        })
        .collect();
    let agent_name: HashMap<i64, String> =
        all_agents.iter().map(|a| (a.id, a.name.clone())).collect();
    let team_name: HashMap<i64, String> =
        all_teams.iter().map(|t| (t.id, t.name.clone())).collect();
    let due = [
        ("sla-first-response", ticket.first_response_due_at),
        ("sla-next-response", ticket.next_response_due_at),
        ("sla-resolution", ticket.resolution_due_at),
    ]
    .into_iter()
    .filter_map(|(k, t)| {
        t.map(|t| {
            (
                tr.t(k),
                fmt_time(t, &me.tz),
                t < jiff::Timestamp::now() && !ticket.status.is_final(),
            )
        })
    })
    .collect();
    let mut status_list = status_opts(tr, Some(ticket.status), false);
    status_list.retain(|o| {
        o.selected
            || o.value
                .parse::<Status>()
                .is_ok_and(|s| ticket.status.transition_to(s).is_ok())
    });
    Ok(TicketPage {
        c: me.chrome(format!("#{} {}", ticket.number, ticket.subject)),
        ticket_id: id,
        number: ticket.number,
        subject: ticket.subject.clone(),
        status: ticket.status.as_str(),
        status_label: status_label(tr, ticket.status),
        priority: ticket.priority.as_str(),
        priority_label: priority_label(tr, ticket.priority),
        channel_label: crate::shell::forms::channel_label(tr, ticket.channel),
        created: fmt_time(ticket.created_at, &me.tz),
        due,
        messages: message_views(&messages, &agent_name, &customer.name, me),
        earlier_messages,
        history: history_items(&history, me, &agent_name, &team_name, &customer.name),
        older_history,
        statuses: status_list,
        priorities: priority_opts(tr, Some(ticket.priority)),
        teams: all_teams
            .iter()
            .map(|t| {
                Opt::new(
                    t.id.to_string(),
                    t.name.clone(),
                    ticket.team_id == Some(t.id),
                )
            })
            .collect(),
        assignees: all_agents
            .iter()
            .filter(|a| a.active)
            .map(|a| {
                Opt::new(
                    a.id.to_string(),
                    a.name.clone(),
                    ticket.assignee_id == Some(a.id),
                )
            })
            .collect(),
        category: ticket.category.clone().unwrap_or_default(),
        tags: ticket.tags.join(", "),
        customer_href: format!("/?view=all&customer={}", customer.id),
        customer_name: customer.name.clone(),
        customer_email: customer.email.clone().unwrap_or_default(),
        organization: organization.unwrap_or_default(),
        others: others
            .iter()
            .map(|t| OtherTicket {
                href: format!("/tickets/{}", t.id),
                number: t.number,
                subject: t.subject.clone(),
                status: t.status.as_str(),
                status_label: status_label(tr, t.status),
            })
            .collect(),
        closed: ticket.status.is_final(),
        flash: non_empty(&flash.done).map(|k| match k {
            "note" => tr.t("done-note"),
            "reply" => tr.t("done-reply"),
            _ => tr.t("done-saved"),
        }),
        error: non_empty(&flash.error).map(|code| tr.t(&error_key(code))),
        assigned_to_me: ticket.assignee_id == Some(me.viewer.agent_id),
        macros,
    })
}

/// The thread alone, for live refreshes.
pub async fn thread(State(s): State<AppState>, me: AgentSession, Path(id): Path<i64>) -> Response {
    let result = async {
        let ticket = tickets::get(&s.db, &me.viewer, id).await?;
        let (messages, earlier_messages) =
            tickets::recent_messages(&s.db, &me.viewer, id, 200).await?;
        let customer = customers::get(&s.db, ticket.customer_id).await?;
        let (all_agents, _) = names(&s).await?;
        let agent_name: HashMap<i64, String> =
            all_agents.iter().map(|a| (a.id, a.name.clone())).collect();
        Ok::<_, StoreError>(ThreadFragment {
            c: me.chrome(String::new()),
            ticket_id: id,
            messages: message_views(&messages, &agent_name, &customer.name, &me),
            earlier_messages,
        })
    }
    .await;
    match result {
        Ok(f) => render(&f),
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

/// A public reply or an internal note (`kind` = `reply` or `note`), with files when the form
/// is sent as `multipart/form-data`.
pub async fn reply(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    form: Result<Upload, UploadError>,
) -> Response {
    let form = match form {
        Ok(f) => f,
        Err(e) => return see_other(&format!("/tickets/{id}?error={}", e.code())),
    };
    let internal = form.field("kind") == Some("note");
    let new = NewMessage {
        body: form.field("body").unwrap_or("").to_string(),
        internal,
    };
    s.view_counts.forget(me.agent.id);
    match ferrodesk_desk::tickets::add_agent_message_with(&s.db, &me.viewer, id, new, &form.files)
        .await
    {
        Ok(_) => see_other(&format!(
            "/tickets/{id}?done={}",
            if internal { "note" } else { "reply" }
        )),
        Err(e) => back_with_error(id, e, me.lang),
    }
}

/// A file attached to a message of a ticket the agent may see.
pub async fn attachment(
    State(s): State<AppState>,
    me: AgentSession,
    Path((message_id, position)): Path<(i64, i64)>,
    Query(q): Query<crate::shell::upload::DownloadQuery>,
) -> Response {
    match ferrodesk_store::tickets::attachment(&s.db, &me.viewer, message_id, position).await {
        Ok(d) => crate::shell::upload::send(d, &q),
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

fn back_with_error(id: i64, e: StoreError, lang: crate::shell::i18n::Lang) -> Response {
    let api = crate::shell::ApiError::from(e);
    if api.status == axum::http::StatusCode::FORBIDDEN
        || api.status == axum::http::StatusCode::NOT_FOUND
    {
        return UiError {
            status: api.status,
            code: api.code,
            lang,
        }
        .into_response();
    }
    let code = if api.field == Some("attachments") {
        crate::shell::upload::TOO_LARGE_CODE
    } else {
        api.code
    };
    see_other(&format!("/tickets/{id}?error={code}"))
}

#[derive(serde::Deserialize)]
pub struct FieldsForm {
    pub status: Option<String>,
    pub priority: Option<String>,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub category: Option<String>,
    pub tags: Option<String>,
    /// `me`: assign to the signed-in agent and change nothing else.
    pub assign: Option<String>,
}

pub async fn fields(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Form(f): Form<FieldsForm>,
) -> Response {
    let current = match tickets::get(&s.db, &me.viewer, id).await {
        Ok(t) => t,
        Err(e) => return UiError::from_store(e, me.lang).into_response(),
    };
    let patch = if f.assign.as_deref() == Some("me") {
        TicketPatch {
            assignee_id: Some(Some(me.viewer.agent_id)),
            ..TicketPatch::default()
        }
    } else {
        let status = non_empty(&f.status)
            .and_then(|v| v.parse::<Status>().ok())
            .filter(|s| *s != current.status);
        let team = f
            .team
            .as_ref()
            .map(|v| v.trim().parse::<i64>().ok())
            .filter(|t| *t != current.team_id);
        let assignee = f
            .assignee
            .as_ref()
            .map(|v| v.trim().parse::<i64>().ok())
            .filter(|a| *a != current.assignee_id);
        let category = f
            .category
            .as_ref()
            .map(|c| Some(c.trim().to_string()).filter(|c| !c.is_empty()))
            .filter(|c| *c != current.category);
        let tags = f.tags.as_ref().map(|t| {
            t.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
        });
        TicketPatch {
            status,
            priority: non_empty(&f.priority).and_then(|v| v.parse::<Priority>().ok()),
            team_id: team,
            assignee_id: assignee,
            category,
            tags,
            subject: None,
        }
    };
    s.view_counts.forget(me.agent.id);
    match ferrodesk_desk::tickets::update(&s.db, &me.viewer, id, patch).await {
        Ok(_) => see_other(&format!("/tickets/{id}?done=saved")),
        Err(e) => back_with_error(id, e, me.lang),
    }
}

#[derive(serde::Deserialize)]
pub struct MacroForm {
    pub macro_id: i64,
}

/// Applies a macro (canned response and field changes) to the ticket.
pub async fn apply_macro(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Form(f): Form<MacroForm>,
) -> Response {
    s.view_counts.forget(me.agent.id);
    match ferrodesk_desk::rules::apply_macro(&s.db, &me.viewer, id, f.macro_id).await {
        Ok(_) => see_other(&format!("/tickets/{id}?done=saved")),
        Err(e) => back_with_error(id, e, me.lang),
    }
}
