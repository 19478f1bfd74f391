//! `/api/v1`: the JSON API.

pub mod agents;
pub mod auth;
pub mod customers;
pub mod kb;
pub mod mailboxes;
pub mod notifications;
pub mod openapi;
pub mod organizations;
pub mod rules;
pub mod search;
pub mod sla;
pub mod tags;
pub mod teams;
pub mod tickets;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use ferrodesk_store::PageRequest;

use crate::shell::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    // Agents and teams decide who may see what: a change to them forgets cached identities.
    let directory = Router::new()
        .route("/agents", get(agents::list).post(agents::create))
        .route(
            "/agents/{id}",
            get(agents::get)
                .patch(agents::update)
                .delete(agents::delete),
        )
        .route("/teams", get(teams::list).post(teams::create))
        .route(
            "/teams/{id}",
            get(teams::get).patch(teams::update).delete(teams::delete),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            forget_cached_identities,
        ));
    Router::new()
        .route("/tickets", get(tickets::list).post(tickets::create))
        .route("/tickets/{id}", get(tickets::get).patch(tickets::update))
        .route(
            "/tickets/{id}/messages",
            get(tickets::list_messages)
                .post(tickets::add_message)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::shell::upload::MAX_UPLOAD_BODY_BYTES,
                )),
        )
        .route("/tags", get(tags::list))
        .route("/tags/rename", post(tags::rename))
        .route("/tags/{name}", axum::routing::delete(tags::delete))
        .route(
            "/attachments/{message_id}/{position}",
            get(tickets::attachment),
        )
        .route("/tickets/{id}/events", get(tickets::events))
        .route("/tickets/{id}/merge", post(tickets::merge))
        .route("/tickets/{id}/suggestions", get(search::suggestions))
        .route("/tickets/{id}/similar", get(search::similar))
        .route("/customers", get(customers::list).post(customers::create))
        .route(
            "/customers/{id}",
            get(customers::get)
                .patch(customers::update)
                .delete(customers::delete),
        )
        .route(
            "/organizations",
            get(organizations::list).post(organizations::create),
        )
        .route(
            "/organizations/{id}",
            get(organizations::get)
                .patch(organizations::update)
                .delete(organizations::delete),
        )
        .route(
            "/sla-policies",
            get(sla::list_policies).post(sla::create_policy),
        )
        .route(
            "/sla-policies/{id}",
            axum::routing::patch(sla::update_policy).delete(sla::delete_policy),
        )
        .route(
            "/calendars",
            get(sla::list_calendars).post(sla::create_calendar),
        )
        .route(
            "/calendars/{id}",
            get(sla::get_calendar)
                .patch(sla::update_calendar)
                .delete(sla::delete_calendar),
        )
        .route("/tickets/{id}/escalate", post(rules::escalate))
        .route("/tickets/{id}/macros/{macro_id}", post(rules::apply_macro))
        .route(
            "/triggers",
            get(rules::list_triggers).post(rules::create_trigger),
        )
        .route(
            "/triggers/{id}",
            axum::routing::patch(rules::update_trigger).delete(rules::delete_trigger),
        )
        .route("/macros", get(rules::list_macros).post(rules::create_macro))
        .route(
            "/macros/{id}",
            axum::routing::patch(rules::update_macro).delete(rules::delete_macro),
        )
        .route(
            "/automations",
            get(rules::list_automations).post(rules::create_automation),
        )
        .route(
            "/automations/{id}",
            axum::routing::patch(rules::update_automation).delete(rules::delete_automation),
        )
        .route("/notifications", get(notifications::list))
        .route("/notifications/read-all", post(notifications::read_all))
        .route("/notifications/{id}/read", post(notifications::read_one))
        .route("/mailboxes", get(mailboxes::list).post(mailboxes::create))
        .route(
            "/mailboxes/{id}",
            get(mailboxes::get)
                .patch(mailboxes::update)
                .delete(mailboxes::delete),
        )
        .route("/mail/held", get(mailboxes::held))
        .route("/mail/held/{id}/release", post(mailboxes::release))
        .route("/search", get(search::search))
        .route("/kb/search", get(search::public_search))
        .route(
            "/kb/categories",
            get(kb::list_categories).post(kb::create_category),
        )
        .route(
            "/kb/articles",
            get(kb::list_articles).post(kb::create_article),
        )
        .route(
            "/kb/articles/{id}",
            get(kb::get_article)
                .patch(kb::update_article)
                .delete(kb::delete_article),
        )
        .route(
            "/kb/categories/{id}",
            axum::routing::patch(kb::update_category),
        )
        .route(
            "/kb/articles/{id}/attachments",
            get(kb::list_files)
                .post(kb::upload_file)
                .layer(axum::extract::DefaultBodyLimit::max(
                    ferrodesk_kb::MAX_FILE_BYTES,
                )),
        )
        .route(
            "/kb/articles/{id}/attachments/{file_id}",
            axum::routing::delete(kb::delete_file),
        )
        .route("/kb/articles/{id}/revisions", get(kb::revisions))
        .route("/kb/articles/{id}/translations", get(kb::translations))
        .route("/kb/articles/{id}/votes", post(kb::vote))
        .route("/kb/deflections", post(kb::record_deflection))
        .route("/kb/deflections/report", get(kb::deflection_report))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .merge(directory)
}

async fn forget_cached_identities(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let writes = !req.method().is_safe();
    let res = next.run(req).await;
    if writes && res.status().is_success() {
        s.auth_cache.clear();
    }
    res
}

/// `limit` and `cursor`, shared by every list.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1–200, default 25.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn page(&self) -> Result<PageRequest, ferrodesk_store::StoreError> {
        PageRequest::parse(self.limit, self.cursor.as_deref())
    }
}
