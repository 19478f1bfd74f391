//! The one shape every admin-managed entity has: a page listing them with a form for a new one,
//! and forms that change or remove one. An entity says only what is its own (its page, what its
//! forms do, who may use them); the handlers here do the rest for all of them: the refusal for
//! those who may not, reading the form, saving, and the redirect back to the page with a notice
//! or the error.

use std::future::Future;

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ferrodesk_store::StoreError;

use super::{Flash, back, unless_admin};
use crate::shell::{AgentSession, AppState, UiError};

/// A submitted form's fields, in order (a multi-select repeats its name).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// A field's trimmed value; an empty field is absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Whether the form carried the field at all (a checkbox, a section of the form).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// The ids chosen in a multi-select.
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .filter_map(|(_, v)| v.parse().ok())
            .collect()
    }
}

pub trait Entity: Send + Sync + 'static {
    /// The page's path (`/admin/agents`); a form posts to it (create), to `PATH/{id}` (change)
    /// and to `PATH/{id}/delete`.
    const PATH: &'static str;

    /// The answer for an agent who may not manage this entity; admins only unless said.
    fn refusal(me: &AgentSession) -> Option<Response> {
        unless_admin(me)
    }

    fn page(
        s: &AppState,
        me: &AgentSession,
        flash: &Flash,
    ) -> impl Future<Output = Result<Response, StoreError>> + Send;

    fn create(
        s: &AppState,
        me: &AgentSession,
        form: &Fields,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Entities that cannot be changed (or removed) keep these defaults: there is no such page.
    fn update(
        _s: &AppState,
        _me: &AgentSession,
        id: i64,
        _form: &Fields,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async move { Err(StoreError::not_found("page", id)) }
    }

    fn delete(
        _s: &AppState,
        _me: &AgentSession,
        id: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async move { Err(StoreError::not_found("page", id)) }
    }

    /// Run after every change made through this node (e.g. forget cached API identities).
    fn changed(_s: &AppState) {}
}

/// The routes of entity `E`.
pub fn routes<E: Entity>() -> Router<AppState> {
    Router::new()
        .route(E::PATH, get(page::<E>).post(create::<E>))
        .route(&format!("{}/{{id}}", E::PATH), post(update::<E>))
        .route(&format!("{}/{{id}}/delete", E::PATH), post(delete::<E>))
}

async fn page<E: Entity>(
    State(s): State<AppState>,
    me: AgentSession,
    Query(f): Query<Flash>,
) -> Response {
    if let Some(r) = E::refusal(&me) {
        return r;
    }
    match E::page(&s, &me, &f).await {
        Ok(page) => page,
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

async fn create<E: Entity>(
    State(s): State<AppState>,
    me: AgentSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(r) = E::refusal(&me) {
        return r;
    }
    let result = E::create(&s, &me, &Fields(pairs)).await;
    E::changed(&s);
    back(E::PATH, result)
}

async fn update<E: Entity>(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(r) = E::refusal(&me) {
        return r;
    }
    let result = E::update(&s, &me, id, &Fields(pairs)).await;
    E::changed(&s);
    back(E::PATH, result)
}

async fn delete<E: Entity>(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
) -> Response {
    if let Some(r) = E::refusal(&me) {
        return r;
    }
    let result = E::delete(&s, &me, id).await;
    E::changed(&s);
    back(E::PATH, result)
}
