//! The OpenAPI document, generated from the handlers and types, and a page that browses it.

use axum::Json;
use axum::response::Html;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(title = "Ferrodesk API", description = "The help desk's REST API. Authenticate with `Authorization: Bearer <token>`; errors are `{\"error\": {\"code\", \"message\"}}`."),
    paths(
        api::tickets::create, api::tickets::list, api::tickets::get, api::tickets::update,
        api::tickets::list_messages, api::tickets::add_message, api::tickets::attachment, api::tickets::events,
        api::tags::list, api::tags::rename, api::tags::delete, api::tickets::merge,
        api::customers::list, api::customers::create, api::customers::get, api::customers::update, api::customers::delete,
        api::organizations::list, api::organizations::create, api::organizations::get, api::organizations::update, api::organizations::delete,
        api::agents::list, api::agents::create, api::agents::get, api::agents::update, api::agents::delete,
        api::teams::list, api::teams::create, api::teams::get, api::teams::update, api::teams::delete,
        api::sla::list_policies, api::sla::create_policy, api::sla::update_policy, api::sla::delete_policy,
        api::sla::list_calendars, api::sla::create_calendar, api::sla::get_calendar,
        api::sla::update_calendar, api::sla::delete_calendar,
        api::rules::list_triggers, api::rules::create_trigger, api::rules::update_trigger, api::rules::delete_trigger,
        api::rules::list_macros, api::rules::create_macro, api::rules::update_macro, api::rules::delete_macro,
        api::rules::list_automations, api::rules::create_automation, api::rules::update_automation, api::rules::delete_automation,
        api::rules::apply_macro, api::rules::escalate,
        api::notifications::list, api::notifications::read_one, api::notifications::read_all,
        api::mailboxes::list, api::mailboxes::create, api::mailboxes::get, api::mailboxes::update,
        api::mailboxes::delete, api::mailboxes::held, api::mailboxes::release,
        api::auth::login, api::auth::logout, api::auth::me,
        api::search::search, api::search::public_search, api::search::suggestions, api::search::similar,
        api::kb::list_categories, api::kb::create_category, api::kb::list_articles, api::kb::create_article,
        api::kb::get_article, api::kb::update_article, api::kb::delete_article, api::kb::revisions,
        api::kb::translations, api::kb::vote, api::kb::record_deflection, api::kb::deflection_report,
        api::kb::update_category, api::kb::upload_file, api::kb::list_files, api::kb::delete_file,
    ),
    modifiers(&Security, &ErrorAnswers),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "tickets", description = "Tickets, their conversation and history"),
        (name = "customers"), (name = "organizations"), (name = "agents"), (name = "teams"),
        (name = "email", description = "Mailboxes and outbound email"),
        (name = "notifications", description = "In-app notifications for agents"),
        (name = "rules", description = "Triggers, macros and automations"),
        (name = "sla", description = "SLA policies and business-hours calendars"),
        (name = "auth", description = "Sessions for the browser UI"),
        (name = "search", description = "Full-text search over tickets, customers, organisations and articles"),
        (name = "kb", description = "Knowledge base: categories, articles, FAQ, the help center's search and votes"),
    )
)]
pub struct ApiDoc;

struct Security;

/// Documents on every operation the error answers any of them can give (each a stable
/// `{"error": {"code", "message"}}`), and lets a schema that is flattened into others
/// (`SlaTargets` inside an SLA policy) carry their properties.
struct ErrorAnswers;

const ERROR_ANSWERS: &[(&str, &str)] = &[
    (
        "400",
        "The request could not be read: a malformed query, path or body",
    ),
    (
        "401",
        "No valid credentials: send `Authorization: Bearer <token>` or sign in",
    ),
    (
        "403",
        "Not allowed: the role, the team, or a missing CSRF token",
    ),
    (
        "404",
        "Not found: no such route or record, or one you may not see",
    ),
    (
        "409",
        "Conflicts with the current state (the code says which)",
    ),
    ("413", "The body is over the size limit"),
    (
        "415",
        "The body's content type is not the one this endpoint takes",
    ),
    ("422", "A field is invalid (`error.field` names it)"),
    (
        "429",
        "Too many attempts; `Retry-After` says when to try again",
    ),
];

impl Modify for ErrorAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::Schema;
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                for (code, description) in ERROR_ANSWERS {
                    operation
                        .responses
                        .responses
                        .entry(code.to_string())
                        .or_insert_with(|| {
                            RefOr::T(
                                ResponseBuilder::new()
                                    .description(*description)
                                    .content(
                                        "application/json",
                                        ContentBuilder::new()
                                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                                            .build(),
                                    )
                                    .build(),
                            )
                        });
                }
            }
        }
        if let Some(components) = openapi.components.as_mut()
            && let Some(RefOr::T(Schema::Object(targets))) =
                components.schemas.get_mut("SlaTargets")
        {
            targets.additional_properties = None;
        }
    }
}

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::shell::extract::SESSION_COOKIE,
            ))),
        );
    }
}

pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A self-contained page (no CDN) that lists the endpoints from `openapi.json`.
pub async fn docs_page() -> Html<&'static str> {
    Html(include_str!("../../assets/api-docs.html"))
}

/// The docs page's script (a file of its own: pages run no inline script).
pub async fn docs_script() -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/javascript; charset=utf-8",
        )],
        include_str!("../../assets/api-docs.js"),
    )
}
