//! `/admin/customers` (supervisors and admins): customers newest first or found by email,
//! each editable (name, email, phone, organisation) and deletable while they have no tickets.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use ferrodesk_core::EmailAddress;
use ferrodesk_store::customers::{self, CustomerFilter, CustomerPatch};
use ferrodesk_store::{Actor, PageRequest, StoreError, organizations};

use super::{Flash, Nav, back, flash_texts, nav_for, unless_supervisor};
use crate::shell::AppState;
use crate::shell::forms::Opt;
use crate::shell::{AgentSession, Chrome, UiError, render, see_other};

pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organization: String,
}

#[derive(Template)]
#[template(path = "admin/customers.html")]
pub struct CustomersPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    pub rows: Vec<CustomerRow>,
    pub email: String,
    pub next: Option<String>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/customer.html")]
pub struct CustomerPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub organizations: Vec<Opt>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    pub email: Option<String>,
    pub cursor: Option<String>,
    #[serde(flatten)]
    pub flash: Flash,
}

async fn org_names(s: &AppState) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(organizations::list(&s.db, PageRequest::first(200))
        .await?
        .items
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

pub async fn list(
    State(s): State<AppState>,
    me: AgentSession,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let tr = me.tr();
    let email = q.email.as_deref().map(str::trim).unwrap_or("").to_string();
    let result = async {
        let filter = CustomerFilter {
            email: if email.is_empty() {
                None
            } else {
                Some(EmailAddress::parse(&email)?)
            },
            organization_id: None,
        };
        let page = PageRequest::parse(Some(30), q.cursor.as_deref())?;
        let found = customers::list(&s.db, &filter, page).await?;
        let orgs: HashMap<i64, String> = org_names(&s).await?.into_iter().collect();
        Ok::<_, StoreError>((found, orgs))
    }
    .await;
    let (found, orgs) = match result {
        Ok(r) => r,
        Err(e) => return back("/admin/customers", Err(e)),
    };
    let (error, notice) = flash_texts(tr, &q.flash);
    render(&CustomersPage {
        c: me.chrome(tr.t("admin-customers")),
        nav: nav_for(&me, "/admin/customers"),
        rows: found
            .items
            .iter()
            .map(|c| CustomerRow {
                id: c.id,
                name: c.name.clone(),
                email: c.email.clone().unwrap_or_default(),
                organization: c
                    .organization_id
                    .and_then(|o| orgs.get(&o).cloned())
                    .unwrap_or_default(),
            })
            .collect(),
        next: found
            .next_cursor
            .map(|n| format!("/admin/customers?cursor={n}")),
        email,
        error,
        notice,
    })
}

pub async fn edit_page(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Query(f): Query<Flash>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let tr = me.tr();
    let result = async {
        let customer = customers::get(&s.db, id).await?;
        let orgs = org_names(&s).await?;
        Ok::<_, StoreError>((customer, orgs))
    }
    .await;
    match result {
        Ok((customer, orgs)) => {
            let (error, notice) = flash_texts(tr, &f);
            render(&CustomerPage {
                c: me.chrome(customer.name.clone()),
                nav: nav_for(&me, "/admin/customers"),
                id,
                name: customer.name,
                email: customer.email.unwrap_or_default(),
                phone: customer.phone.unwrap_or_default(),
                organizations: orgs
                    .into_iter()
                    .map(|(oid, name)| {
                        Opt::new(oid.to_string(), name, customer.organization_id == Some(oid))
                    })
                    .collect(),
                error,
                notice,
            })
        }
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct EditForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub organization: String,
}

pub async fn update(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    let result = async {
        let email = match f.email.trim() {
            "" => None,
            e => Some(EmailAddress::parse(e)?),
        };
        let phone = Some(f.phone.trim().to_string()).filter(|p| !p.is_empty());
        let organization_id = match f.organization.trim() {
            "" => None,
            o => Some(
                o.parse::<i64>()
                    .map_err(|_| StoreError::invalid("organization_id", "not a number"))?,
            ),
        };
        let patch = CustomerPatch {
            name: Some(f.name.clone()),
            email: Some(email),
            phone: Some(phone),
            organization_id: Some(organization_id),
        };
        customers::update(&s.db, Actor::agent(me.agent.id), id, patch)
            .await
            .map(drop)
    }
    .await;
    back(&format!("/admin/customers/{id}"), result)
}

pub async fn delete(State(s): State<AppState>, me: AgentSession, Path(id): Path<i64>) -> Response {
    if let Some(r) = unless_supervisor(&me) {
        return r;
    }
    match customers::delete(&s.db, Actor::agent(me.agent.id), id).await {
        Ok(()) => see_other("/admin/customers?done=1"),
        Err(e) => back(&format!("/admin/customers/{id}"), Err(e)),
    }
}
