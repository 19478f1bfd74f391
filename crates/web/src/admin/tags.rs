//! `/admin/tags` (supervisors and admins): the tags in use with their ticket counts; rename
//! one (onto an existing tag, which merges them) or remove it from every ticket.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use ferrodesk_store::{Actor, tags};

use super::{Flash, Nav, back, flash_texts, nav, unless_supervisor};
use crate::AppState;
use crate::pages::{AgentSession, Chrome, UiError, render, urlencode};

pub struct TagRow {
    pub href: String,
    pub name: String,
    pub count: i64,
}

#[derive(Template)]
#[template(path = "admin/tags.html")]
pub struct TagsPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    pub rows: Vec<TagRow>,
    pub next: Option<String>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct TagsQuery {
    pub after: Option<String>,
    #[serde(flatten)]
    pub flash: Flash,
}

pub async fn page(
    State(s): State<AppState>,
    me: AgentSession,
    Query(q): Query<TagsQuery>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let tr = me.tr();
    match tags::list(&s.db, q.after.as_deref(), 50).await {
        Ok(page) => {
            let (error, notice) = flash_texts(tr, &q.flash);
            render(&TagsPage {
                c: me.chrome(tr.t("admin-tags")),
                nav: nav(&me, "/admin/tags"),
                rows: page
                    .items
                    .into_iter()
                    .map(|t| TagRow {
                        href: format!("/?view=all&tag={}", urlencode(&t.name)),
                        name: t.name,
                        count: t.tickets,
                    })
                    .collect(),
                next: page
                    .next_cursor
                    .map(|n| format!("/admin/tags?after={}", urlencode(&n))),
                error,
                notice,
            })
        }
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct RenameForm {
    pub from: String,
    pub to: String,
}

pub async fn rename(
    State(s): State<AppState>,
    me: AgentSession,
    Form(f): Form<RenameForm>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let result = tags::rename(&s.db, Actor::agent(me.agent.id), &f.from, &f.to)
        .await
        .map(drop);
    s.view_counts.forget(me.agent.id);
    back("/admin/tags", result)
}

#[derive(serde::Deserialize)]
pub struct DeleteForm {
    pub tag: String,
}

pub async fn delete(
    State(s): State<AppState>,
    me: AgentSession,
    Form(f): Form<DeleteForm>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let result = tags::delete(&s.db, Actor::agent(me.agent.id), &f.tag)
        .await
        .map(drop);
    back("/admin/tags", result)
}
