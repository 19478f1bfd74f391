//! `/admin/channels`: the team each channel's new tickets go to when nothing else names one
//! (line 1's first team unless set).

use std::collections::HashMap;

use askama::Template;
use axum::response::Response;
use ferrodesk_core::Channel;
use ferrodesk_store::{Actor, PageRequest, StoreError, channels, teams};

use super::entity::{Entity, Fields};
use super::{Flash, Nav, flash_texts, invalid, nav};
use crate::shell::forms::{Opt, channel_label};
use crate::shell::{AgentSession, AppState, Chrome, render};

pub struct ChannelRow {
    pub channel: &'static str,
    pub label: String,
    pub teams: Vec<Opt>,
    pub effective: String,
}

#[derive(Template)]
#[template(path = "admin/channels.html")]
pub struct ChannelsPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    pub rows: Vec<ChannelRow>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

/// The channels' default teams, saved all at once from one form.
pub struct Channels;

impl Entity for Channels {
    const PATH: &'static str = "/admin/channels";

    async fn page(s: &AppState, me: &AgentSession, f: &Flash) -> Result<Response, StoreError> {
        let tr = me.tr();
        let all_teams = teams::list(&s.db, PageRequest::first(200)).await?.items;
        let names: HashMap<i64, &str> = all_teams.iter().map(|t| (t.id, t.name.as_str())).collect();
        let first_line = tr.t("admin-channels-first-line");
        let rows = channels::list(&s.db)
            .await?
            .into_iter()
            .map(|c| ChannelRow {
                channel: c.channel.as_str(),
                label: channel_label(tr, c.channel),
                teams: std::iter::once(Opt::new("", first_line.clone(), c.team_id.is_none()))
                    .chain(all_teams.iter().map(|t| {
                        Opt::new(t.id.to_string(), t.name.clone(), c.team_id == Some(t.id))
                    }))
                    .collect(),
                effective: c
                    .effective_team_id
                    .and_then(|id| names.get(&id).copied())
                    .unwrap_or("—")
                    .to_string(),
            })
            .collect();
        let (error, notice) = flash_texts(tr, f);
        Ok(render(&ChannelsPage {
            c: me.chrome(tr.t("admin-channels")),
            nav: nav(tr, Self::PATH),
            rows,
            error,
            notice,
        }))
    }

    async fn create(s: &AppState, me: &AgentSession, form: &Fields) -> Result<(), StoreError> {
        for channel in Channel::ALL {
            let field = format!("team_{}", channel.as_str());
            if !form.has(&field) {
                continue;
            }
            let team = match form.get(&field) {
                None => None,
                Some(v) => Some(
                    v.parse::<i64>()
                        .map_err(|_| invalid("team_id", "must be a team's id"))?,
                ),
            };
            channels::set_team(&s.db, Actor::agent(me.agent.id), *channel, team).await?;
        }
        Ok(())
    }
}
