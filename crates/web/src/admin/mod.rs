//! Admin pages (`/admin`, admins only): agents (invite, role, teams, availability, capacity,
//! skills, deactivate), teams (line, members, assignment strategy), and the JSON-defined
//! settings — SLA policies, calendars, triggers, macros, automations — each edited as the same
//! JSON the API takes, validated by the same store functions.

mod agents;
mod channels;
mod customers;
mod entity;
mod mailboxes;
mod organizations;
mod tags;
mod teams;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ferrodesk_desk::rules::{self, RuleKind};
use ferrodesk_desk::sla;
use ferrodesk_store::{Actor, StoreError};
use serde::de::DeserializeOwned;

use crate::shell::AppState;
use crate::shell::forms::Opt;
use crate::shell::i18n::Tr;
use crate::shell::{AgentSession, Chrome, UiError, error_key, render, see_other, urlencode};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin_home))
        // The entities with the common shape: a page, and forms to add, change, remove.
        .merge(entity::routes::<agents::Agents>())
        .merge(entity::routes::<teams::Teams>())
        .merge(entity::routes::<organizations::Organizations>())
        .merge(entity::routes::<mailboxes::Mailboxes>())
        .merge(entity::routes::<channels::Channels>())
        .route("/admin/portal-access", post(organizations::portal_access))
        .route(
            "/admin/mailboxes/held/{id}/release",
            post(mailboxes::release),
        )
        .route("/admin/settings/{kind}", get(json_page).post(json_create))
        .route("/admin/settings/{kind}/{id}", post(json_update))
        .route("/admin/settings/{kind}/{id}/delete", post(json_delete))
        // Customers, and tags and categories as a whole (supervisors too).
        .route("/admin/customers", get(customers::list))
        .route(
            "/admin/customers/{id}",
            get(customers::edit_page).post(customers::update),
        )
        .route("/admin/customers/{id}/delete", post(customers::delete))
        .route("/admin/{kind}", get(tags::page))
        .route("/admin/{kind}/rename", post(tags::rename))
        .route("/admin/{kind}/delete", post(tags::delete))
        .route("/admin/settings/macros/canned", post(canned_create))
}

/// The refusal for anyone but an admin.
fn unless_admin(me: &AgentSession) -> Option<Response> {
    (!me.viewer.can_manage_instance()).then(|| refuse(me, "admin_required"))
}

/// The refusal for plain agents: supervisors manage macros, organisations and tags, and see
/// the triggers; everything else here is for admins.
fn unless_supervisor(me: &AgentSession) -> Option<Response> {
    (!me.viewer.role.sees_all_tickets()).then(|| refuse(me, "supervisor_required"))
}

fn refuse(me: &AgentSession, code: &'static str) -> Response {
    UiError {
        status: axum::http::StatusCode::FORBIDDEN,
        code,
        lang: me.lang,
    }
    .into_response()
}

#[derive(serde::Deserialize, Default)]
pub struct Flash {
    pub error: Option<String>,
    pub detail: Option<String>,
    pub done: Option<String>,
}

pub struct Nav {
    pub href: &'static str,
    pub label: String,
    pub on: bool,
}

fn nav(tr: Tr, current: &str) -> Vec<Nav> {
    [
        ("/admin/agents", "admin-agents"),
        ("/admin/teams", "admin-teams"),
        ("/admin/organizations", "admin-organizations"),
        ("/admin/mailboxes", "admin-mailboxes"),
        ("/admin/channels", "admin-channels"),
        ("/admin/settings/sla", "admin-sla"),
        ("/admin/settings/calendars", "admin-calendars"),
        ("/admin/settings/triggers", "admin-triggers"),
        ("/admin/settings/macros", "admin-macros"),
        ("/admin/settings/automations", "admin-automations"),
    ]
    .into_iter()
    .chain(MORE_PAGES.iter().copied())
    .map(|(href, key)| Nav {
        href,
        label: tr.t(key),
        on: href == current,
    })
    .collect()
}

/// The pages about tickets' data as a whole, after the settings.
const MORE_PAGES: &[(&str, &str)] = &[
    ("/admin/customers", "admin-customers"),
    ("/admin/tags", "admin-tags"),
    ("/admin/categories", "admin-categories"),
];

/// What supervisors see of the admin area (triggers and automations read-only).
const SUPERVISOR_PAGES: &[&str] = &[
    "/admin/organizations",
    "/admin/customers",
    "/admin/tags",
    "/admin/categories",
    "/admin/settings/triggers",
    "/admin/settings/macros",
    "/admin/settings/automations",
];

/// The admin area's navigation for this agent: admins see every page, supervisors theirs.
fn nav_for(me: &AgentSession, current: &str) -> Vec<Nav> {
    let mut pages = nav(me.tr(), current);
    if !me.viewer.can_manage_instance() {
        pages.retain(|n| SUPERVISOR_PAGES.contains(&n.href));
    }
    pages
}

/// `/admin`: the first page the signed-in agent may use.
async fn admin_home(me: AgentSession) -> Response {
    if me.viewer.can_manage_instance() {
        see_other("/admin/agents")
    } else if me.viewer.role.sees_all_tickets() {
        see_other("/admin/settings/macros")
    } else {
        refuse(&me, "supervisor_required")
    }
}

fn flash_texts(tr: Tr, f: &Flash) -> (Option<String>, Option<String>) {
    let error = f.error.as_deref().map(|code| {
        let mut msg = tr.t(&error_key(code));
        if let Some(d) = &f.detail {
            msg.push_str(" — ");
            msg.push_str(d);
        }
        msg
    });
    (error, f.done.as_ref().map(|_| tr.t("done-saved")))
}

fn back(to: &str, result: Result<(), StoreError>) -> Response {
    match result {
        Ok(()) => see_other(&format!("{to}?done=1")),
        Err(e) => {
            let api = crate::shell::ApiError::from(e);
            see_other(&format!(
                "{to}?error={}&detail={}",
                api.code,
                urlencode(&api.message)
            ))
        }
    }
}

fn invalid(field: &'static str, message: &str) -> StoreError {
    StoreError::invalid(field, message.to_string())
}

/// The settings edited as JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
enum JsonKind {
    Sla,
    Calendars,
    Rules(RuleKind),
}

impl JsonKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "sla" => JsonKind::Sla,
            "calendars" => JsonKind::Calendars,
            "triggers" => JsonKind::Rules(RuleKind::Trigger),
            "macros" => JsonKind::Rules(RuleKind::Macro),
            "automations" => JsonKind::Rules(RuleKind::Automation),
            _ => return None,
        })
    }

    /// Who may see (`edit` false) or change this kind: admins all; supervisors the macros,
    /// and the triggers and automations read-only.
    fn refusal(self, me: &AgentSession, edit: bool) -> Option<Response> {
        match self {
            JsonKind::Rules(RuleKind::Macro) => unless_supervisor(me),
            JsonKind::Rules(RuleKind::Trigger | RuleKind::Automation)
                if !edit && !me.viewer.can_manage_instance() =>
            {
                unless_supervisor(me)
            }
            _ => unless_admin(me),
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            JsonKind::Sla => "admin-sla",
            JsonKind::Calendars => "admin-calendars",
            JsonKind::Rules(RuleKind::Trigger) => "admin-triggers",
            JsonKind::Rules(RuleKind::Macro) => "admin-macros",
            JsonKind::Rules(RuleKind::Automation) => "admin-automations",
        }
    }

    fn example(self) -> &'static str {
        match self {
            JsonKind::Sla => {
                r#"{"name": "Urgent", "position": 1, "conditions": {"priorities": ["urgent"]}, "first_response_min": 30, "resolution_min": 240}"#
            }
            JsonKind::Calendars => {
                r#"{"name": "Moscow office", "definition": {"tz": "Europe/Moscow", "hours": {"mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]], "wed": [["09:00", "18:00"]], "thu": [["09:00", "18:00"]], "fri": [["09:00", "18:00"]]}}}"#
            }
            JsonKind::Rules(RuleKind::Trigger) => {
                r#"{"name": "Urgent channel: phone", "event": "ticket.created", "conditions": [{"field": "channel", "any_of": ["phone"]}], "actions": [{"action": "set_priority", "priority": "high"}]}"#
            }
            JsonKind::Rules(RuleKind::Macro) => {
                r#"{"name": "Solve as duplicate", "actions": [{"action": "add_tags", "tags": ["duplicate"]}, {"action": "set_status", "status": "solved"}]}"#
            }
            JsonKind::Rules(RuleKind::Automation) => {
                r#"{"name": "Close solved after 72 h", "conditions": [{"field": "status", "any_of": ["solved"]}, {"field": "hours_since_update", "at_least": 72}], "actions": [{"action": "set_status", "status": "closed"}]}"#
            }
        }
    }
}

pub struct JsonItem {
    pub id: i64,
    pub name: String,
    pub json: String,
    pub deletable: bool,
}

#[derive(Template)]
#[template(path = "admin/json.html")]
pub struct JsonPage {
    pub c: Chrome,
    /// The macros page also offers a plain form for a canned response.
    pub canned: bool,
    pub statuses: Vec<Opt>,
    pub nav: Vec<Nav>,
    pub kind: String,
    pub items: Vec<JsonItem>,
    pub example: &'static str,
    pub editable: bool,
    pub error: Option<String>,
    pub notice: Option<String>,
}

fn pretty<T: serde::Serialize>(v: &T) -> String {
    let mut value = serde_json::to_value(v).unwrap_or_default();
    if let Some(o) = value.as_object_mut() {
        for k in ["id", "created_at", "updated_at"] {
            o.remove(k);
        }
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

pub async fn json_page(
    State(s): State<AppState>,
    me: AgentSession,
    Path(kind_name): Path<String>,
    Query(f): Query<Flash>,
) -> Response {
    let Some(kind) = JsonKind::parse(&kind_name) else {
        return UiError::from_store(StoreError::not_found("page", 0), me.lang).into_response();
    };
    if let Some(r) = kind.refusal(&me, false) {
        return r;
    }
    let tr = me.tr();
    let items: Result<Vec<JsonItem>, StoreError> = async {
        Ok(match kind {
            JsonKind::Sla => sla::list_policies(&s.db)
                .await?
                .iter()
                .map(|p| JsonItem {
                    id: p.id,
                    name: p.name.clone(),
                    json: pretty(p),
                    deletable: true,
                })
                .collect(),
            JsonKind::Calendars => sla::list_calendars(&s.db)
                .await?
                .iter()
                .map(|c| JsonItem {
                    id: c.id,
                    name: c.name.clone(),
                    json: pretty(c),
                    deletable: true,
                })
                .collect(),
            JsonKind::Rules(k) => rules::list(&s.db, k)
                .await?
                .iter()
                .map(|r| JsonItem {
                    id: r.id,
                    name: r.name.clone(),
                    json: pretty(r),
                    deletable: true,
                })
                .collect(),
        })
    }
    .await;
    let items = match items {
        Ok(i) => i,
        Err(e) => return UiError::from_store(e, me.lang).into_response(),
    };
    let (error, notice) = flash_texts(tr, &f);
    render(&JsonPage {
        c: me.chrome(tr.t(kind.title_key())),
        nav: nav_for(&me, &format!("/admin/settings/{kind_name}")),
        kind: kind_name,
        items,
        example: kind.example(),
        editable: me.viewer.can_manage_instance() || kind == JsonKind::Rules(RuleKind::Macro),
        canned: kind == JsonKind::Rules(RuleKind::Macro),
        statuses: crate::shell::forms::status_opts(tr, None, false),
        error,
        notice,
    })
}

#[derive(serde::Deserialize)]
pub struct JsonForm {
    pub json: String,
}

fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::invalid("json", e.to_string()))
}

pub async fn json_create(
    State(s): State<AppState>,
    me: AgentSession,
    Path(kind_name): Path<String>,
    Form(f): Form<JsonForm>,
) -> Response {
    let Some(kind) = JsonKind::parse(&kind_name) else {
        return UiError::from_store(StoreError::not_found("page", 0), me.lang).into_response();
    };
    if let Some(r) = kind.refusal(&me, true) {
        return r;
    }
    let actor = Actor::agent(me.agent.id);
    let result = async {
        match kind {
            JsonKind::Sla => sla::create_policy(&s.db, actor, parse_json(&f.json)?)
                .await
                .map(drop),
            JsonKind::Calendars => sla::create_calendar(&s.db, actor, parse_json(&f.json)?)
                .await
                .map(drop),
            JsonKind::Rules(k) => rules::create(&s.db, k, parse_json(&f.json)?)
                .await
                .map(drop),
        }
    }
    .await;
    back(&format!("/admin/settings/{kind_name}"), result)
}

/// Saves an edited item: the JSON is applied as a patch (fields left out stay as they are).
pub async fn json_update(
    State(s): State<AppState>,
    me: AgentSession,
    Path((kind_name, id)): Path<(String, i64)>,
    Form(f): Form<JsonForm>,
) -> Response {
    let Some(kind) = JsonKind::parse(&kind_name) else {
        return UiError::from_store(StoreError::not_found("page", 0), me.lang).into_response();
    };
    if let Some(r) = kind.refusal(&me, true) {
        return r;
    }
    let actor = Actor::agent(me.agent.id);
    let result = async {
        match kind {
            JsonKind::Sla => {
                let mut v: serde_json::Value = parse_json(&f.json)?;
                if let Some(o) = v.as_object_mut() {
                    // Shown flattened from the policy; the patch takes the same names.
                    o.retain(|k, _| {
                        matches!(
                            k.as_str(),
                            "name"
                                | "position"
                                | "conditions"
                                | "first_response_min"
                                | "next_response_min"
                                | "resolution_min"
                                | "calendar_id"
                                | "pause_statuses"
                                | "warn_before_min"
                                | "breach_actions"
                        )
                    });
                }
                let patch = serde_json::from_value(v)
                    .map_err(|e| StoreError::invalid("json", e.to_string()))?;
                sla::update_policy(&s.db, actor, id, patch).await.map(drop)
            }
            JsonKind::Calendars => {
                let mut v: serde_json::Value = parse_json(&f.json)?;
                if let Some(o) = v.as_object_mut() {
                    o.retain(|k, _| matches!(k.as_str(), "name" | "definition"));
                }
                let patch = serde_json::from_value(v)
                    .map_err(|e| StoreError::invalid("json", e.to_string()))?;
                sla::update_calendar(&s.db, actor, id, patch)
                    .await
                    .map(drop)
            }
            JsonKind::Rules(k) => rules::update(&s.db, k, id, parse_json(&f.json)?)
                .await
                .map(drop),
        }
    }
    .await;
    back(&format!("/admin/settings/{kind_name}"), result)
}

pub async fn json_delete(
    State(s): State<AppState>,
    me: AgentSession,
    Path((kind_name, id)): Path<(String, i64)>,
) -> Response {
    let Some(kind) = JsonKind::parse(&kind_name) else {
        return UiError::from_store(StoreError::not_found("page", 0), me.lang).into_response();
    };
    if let Some(r) = kind.refusal(&me, true) {
        return r;
    }
    let result = match kind {
        JsonKind::Sla => sla::delete_policy(&s.db, Actor::agent(me.agent.id), id).await,
        JsonKind::Calendars => sla::delete_calendar(&s.db, Actor::agent(me.agent.id), id).await,
        JsonKind::Rules(k) => rules::delete(&s.db, k, id).await,
    };
    back(&format!("/admin/settings/{kind_name}"), result)
}

#[derive(serde::Deserialize)]
pub struct CannedForm {
    pub name: String,
    pub body: String,
    /// Empty: the reply leaves the status as replies do.
    pub status: Option<String>,
    /// Comma-separated.
    pub tags: Option<String>,
    /// `note` for an internal note instead of a public reply.
    pub kind: Option<String>,
}

/// A canned response without JSON: a reply (or note) text, and optionally a status and tags.
pub async fn canned_create(
    State(s): State<AppState>,
    me: AgentSession,
    Form(f): Form<CannedForm>,
) -> Response {
    if let Some(r) = JsonKind::Rules(RuleKind::Macro).refusal(&me, true) {
        return r;
    }
    let mut actions = vec![serde_json::json!({
        "action": "reply", "body": f.body, "internal": f.kind.as_deref() == Some("note")
    })];
    if let Some(status) = crate::shell::forms::non_empty(&f.status) {
        actions.push(serde_json::json!({"action": "set_status", "status": status}));
    }
    let tags: Vec<&str> = f
        .tags
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        actions.push(serde_json::json!({"action": "add_tags", "tags": tags}));
    }
    let result = async {
        let new = serde_json::from_value(serde_json::json!({"name": f.name, "actions": actions}))
            .map_err(|e| StoreError::invalid("json", e.to_string()))?;
        rules::create(&s.db, RuleKind::Macro, new).await.map(drop)
    }
    .await;
    back("/admin/settings/macros", result)
}

/// `/admin/kb`: the knowledge base (merged into the app by `crate::router`).
pub mod kb;
