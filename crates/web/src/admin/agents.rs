//! `/admin/agents`: invite agents, set their role, teams, availability, capacity and skills,
//! deactivate them.

use askama::Template;
use axum::response::Response;
use ferrodesk_core::routing::Availability;
use ferrodesk_core::{EmailAddress, Role};
use ferrodesk_store::agents::{self, AgentPatch, NewAgent};
use ferrodesk_store::{Actor, PageRequest, StoreError, teams};

use super::entity::{Entity, Fields};
use super::{Flash, Nav, flash_texts, invalid, nav};
use crate::shell::forms::Opt;
use crate::shell::i18n::Tr;
use crate::shell::{AgentSession, AppState, Chrome, render};

fn role_opts(tr: Tr, current: Role) -> Vec<Opt> {
    Role::ALL
        .iter()
        .map(|r| {
            Opt::new(
                r.as_str(),
                tr.t(&format!("role-{}", r.as_str())),
                *r == current,
            )
        })
        .collect()
}

pub struct AgentRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub roles: Vec<Opt>,
    pub teams: Vec<Opt>,
    pub available: bool,
    pub capacity: String,
    pub skills: String,
}

#[derive(Template)]
#[template(path = "admin/agents.html")]
pub struct AgentsPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    pub rows: Vec<AgentRow>,
    pub new_roles: Vec<Opt>,
    pub new_teams: Vec<Opt>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

/// The agents: invite, role, teams, availability, capacity, skills, deactivate.
pub struct Agents;

impl Entity for Agents {
    const PATH: &'static str = "/admin/agents";

    /// Roles, teams and memberships decide what an API token may do.
    fn changed(s: &AppState) {
        s.auth_cache.clear();
    }

    async fn page(s: &AppState, me: &AgentSession, f: &Flash) -> Result<Response, StoreError> {
        let tr = me.tr();
        let all = agents::list(&s.db, PageRequest::first(200)).await?.items;
        let all_teams = teams::list(&s.db, PageRequest::first(200)).await?.items;
        let team_opts = |sel: &[i64]| -> Vec<Opt> {
            all_teams
                .iter()
                .map(|t| Opt::new(t.id.to_string(), t.name.clone(), sel.contains(&t.id)))
                .collect()
        };
        let (error, notice) = flash_texts(tr, f);
        Ok(render(&AgentsPage {
            c: me.chrome(tr.t("admin-agents")),
            nav: nav(tr, Self::PATH),
            rows: all
                .iter()
                .map(|a| AgentRow {
                    id: a.id,
                    name: a.name.clone(),
                    email: a.email.clone(),
                    active: a.active,
                    roles: role_opts(tr, a.role),
                    teams: team_opts(&a.team_ids),
                    available: a.availability == Availability::Available,
                    capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
                    skills: a.skills.join(", "),
                })
                .collect(),
            new_roles: role_opts(tr, Role::Agent),
            new_teams: team_opts(&[]),
            error,
            notice,
        }))
    }

    async fn create(s: &AppState, me: &AgentSession, form: &Fields) -> Result<(), StoreError> {
        let email = EmailAddress::parse(form.get("email").unwrap_or(""))?;
        let role: Role = form.get("role").unwrap_or("agent").parse()?;
        let new = NewAgent {
            name: form.get("name").unwrap_or(email.local_part()).to_string(),
            email,
            role,
            password: form.get("password").map(str::to_owned),
            team_ids: form.ids("teams"),
            locale: None,
            time_zone: None,
        };
        agents::create(&s.db, Actor::agent(me.agent.id), new).await?;
        Ok(())
    }

    async fn update(
        s: &AppState,
        me: &AgentSession,
        id: i64,
        form: &Fields,
    ) -> Result<(), StoreError> {
        let capacity = match form.get("capacity") {
            None => None,
            Some(c) => Some(
                c.parse::<u32>()
                    .map_err(|_| invalid("capacity", "must be a whole number"))?,
            ),
        };
        let patch = AgentPatch {
            role: form.get("role").map(str::parse).transpose()?,
            active: Some(form.get("active").is_some()),
            team_ids: Some(form.ids("teams")),
            availability: Some(if form.get("available").is_some() {
                Availability::Available
            } else {
                Availability::Away
            }),
            capacity: Some(capacity),
            skills: Some(
                form.get("skills")
                    .unwrap_or("")
                    .split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect(),
            ),
            ..AgentPatch::default()
        };
        agents::update(&s.db, Actor::agent(me.agent.id), id, patch).await?;
        Ok(())
    }
}
