//! `/admin/organizations`: the customers' organisations, and who of a customer's organisation
//! they see in the portal.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use ferrodesk_core::EmailAddress;
use ferrodesk_store::{Actor, PageRequest, StoreError, organizations};

use super::entity::{Entity, Fields};
use super::{Flash, Nav, back, flash_texts, nav_for, unless_supervisor};
use crate::shell::{AgentSession, AppState, Chrome, render};

pub struct OrgRow {
    pub name: String,
    pub domain: String,
}

#[derive(Template)]
#[template(path = "admin/organizations.html")]
pub struct OrganizationsPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    pub rows: Vec<OrgRow>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

/// Lets a customer see their organisation's requests in the portal (or only their own).
pub async fn portal_access(
    State(s): State<AppState>,
    me: AgentSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let form = Fields(pairs);
    let result = async {
        let email = EmailAddress::parse(form.get("email").unwrap_or(""))?;
        let filter = ferrodesk_store::customers::CustomerFilter {
            email: Some(email.clone()),
            organization_id: None,
        };
        let found = ferrodesk_store::customers::list(&s.db, &filter, PageRequest::first(1))
            .await?
            .items;
        let Some(customer) = found.first() else {
            return Err(StoreError::not_found("customer", 0));
        };
        let sees = form.get("sees") == Some("organization");
        ferrodesk_desk::portal::set_sees_organization(&s.db, customer.id, sees).await
    }
    .await;
    back("/admin/organizations", result)
}

/// The customers' organisations (supervisors too).
pub struct Organizations;

impl Entity for Organizations {
    const PATH: &'static str = "/admin/organizations";

    fn refusal(me: &AgentSession) -> Option<Response> {
        unless_supervisor(me)
    }

    async fn page(s: &AppState, me: &AgentSession, f: &Flash) -> Result<Response, StoreError> {
        let tr = me.tr();
        let page = organizations::list(&s.db, PageRequest::first(200)).await?;
        let (error, notice) = flash_texts(tr, f);
        Ok(render(&OrganizationsPage {
            c: me.chrome(tr.t("admin-organizations")),
            nav: nav_for(me, Self::PATH),
            rows: page
                .items
                .into_iter()
                .map(|o| OrgRow {
                    name: o.name,
                    domain: o.domain.unwrap_or_default(),
                })
                .collect(),
            error,
            notice,
        }))
    }

    async fn create(s: &AppState, me: &AgentSession, form: &Fields) -> Result<(), StoreError> {
        let new = organizations::NewOrganization {
            name: form.get("name").unwrap_or("").to_string(),
            domain: form.get("domain").map(str::to_owned),
        };
        organizations::create(&s.db, Actor::agent(me.agent.id), new)
            .await
            .map(drop)
    }
}
