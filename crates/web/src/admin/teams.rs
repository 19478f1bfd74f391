//! `/admin/teams`: the teams, their line of support (tier), members, assignment strategy and
//! automatic acknowledgements.

use askama::Template;
use axum::response::Response;
use ferrodesk_core::Tier;
use ferrodesk_core::routing::Assignment;
use ferrodesk_store::teams::{self, NewTeam, TeamPatch};
use ferrodesk_store::{Actor, PageRequest, StoreError, agents};

use super::entity::{Entity, Fields};
use super::{Flash, Nav, flash_texts, invalid, nav};
use crate::shell::forms::Opt;
use crate::shell::i18n::Tr;
use crate::shell::{AgentSession, AppState, Chrome, render};

pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub tier: i64,
    pub assignments: Vec<Opt>,
    pub members: Vec<Opt>,
    pub ack_en: String,
    pub ack_ru: String,
}

#[derive(Template)]
#[template(path = "admin/teams.html")]
pub struct TeamsPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    pub rows: Vec<TeamRow>,
    pub new_assignments: Vec<Opt>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

fn assignment_opts(tr: Tr, current: Assignment) -> Vec<Opt> {
    Assignment::ALL
        .iter()
        .map(|a| {
            Opt::new(
                a.as_str(),
                tr.t(&format!("assignment-{}", a.as_str().replace('_', "-"))),
                *a == current,
            )
        })
        .collect()
}

fn tier(form: &Fields) -> Result<Tier, StoreError> {
    let n: i64 = form
        .get("tier")
        .unwrap_or("1")
        .parse()
        .map_err(|_| invalid("tier", "must be 1, 2 or 3"))?;
    Ok(Tier::new(n)?)
}

/// The teams: name, line (tier), members, assignment strategy, automatic acknowledgements.
pub struct Teams;

impl Entity for Teams {
    const PATH: &'static str = "/admin/teams";

    /// Roles, teams and memberships decide what an API token may do.
    fn changed(s: &AppState) {
        s.auth_cache.clear();
    }

    async fn page(s: &AppState, me: &AgentSession, f: &Flash) -> Result<Response, StoreError> {
        let tr = me.tr();
        let all = teams::list(&s.db, PageRequest::first(200)).await?.items;
        let all_agents = agents::list(&s.db, PageRequest::first(200)).await?.items;
        let (error, notice) = flash_texts(tr, f);
        Ok(render(&TeamsPage {
            c: me.chrome(tr.t("admin-teams")),
            nav: nav(tr, Self::PATH),
            rows: all
                .iter()
                .map(|t| TeamRow {
                    id: t.id,
                    name: t.name.clone(),
                    tier: t.tier.get(),
                    assignments: assignment_opts(tr, t.assignment),
                    ack_en: t
                        .auto_ack
                        .as_ref()
                        .and_then(|a| a.en.clone())
                        .unwrap_or_default(),
                    ack_ru: t
                        .auto_ack
                        .as_ref()
                        .and_then(|a| a.ru.clone())
                        .unwrap_or_default(),
                    members: all_agents
                        .iter()
                        .filter(|a| a.active)
                        .map(|a| {
                            Opt::new(
                                a.id.to_string(),
                                a.name.clone(),
                                t.member_ids.contains(&a.id),
                            )
                        })
                        .collect(),
                })
                .collect(),
            new_assignments: assignment_opts(tr, Assignment::Manual),
            error,
            notice,
        }))
    }

    async fn create(s: &AppState, me: &AgentSession, form: &Fields) -> Result<(), StoreError> {
        let new = NewTeam {
            name: form.get("name").unwrap_or("").to_string(),
            tier: tier(form)?,
            member_ids: vec![],
            assignment: form.get("assignment").map(str::parse).transpose()?,
            auto_ack: None,
        };
        teams::create(&s.db, Actor::agent(me.agent.id), new).await?;
        Ok(())
    }

    async fn update(
        s: &AppState,
        me: &AgentSession,
        id: i64,
        form: &Fields,
    ) -> Result<(), StoreError> {
        let patch = TeamPatch {
            name: form.get("name").map(str::to_owned),
            tier: Some(tier(form)?),
            member_ids: Some(form.ids("members")),
            assignment: form.get("assignment").map(str::parse).transpose()?,
            auto_ack: form.has("ack_en").then(|| teams::AckTemplates {
                en: form.get("ack_en").map(str::to_owned),
                ru: form.get("ack_ru").map(str::to_owned),
            }),
        };
        teams::update(&s.db, Actor::agent(me.agent.id), id, patch).await?;
        Ok(())
    }
}
