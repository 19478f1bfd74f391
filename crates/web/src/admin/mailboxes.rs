//! `/admin/mailboxes`: the addresses teams send from and receive on (SMTP, IMAP, the
//! acknowledgement switch, the poller's last status), and inbound mail held by the per-sender
//! rate limit, with a button to release it. Passwords are write-only: a blank field keeps the
//! stored one.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use ferrodesk_channel_email::spool;
use ferrodesk_core::EmailAddress;
use ferrodesk_store::mailboxes::{self, MailboxPatch, NewMailbox};
use ferrodesk_store::{Actor, PageRequest, StoreError, teams};

use super::entity::{Entity, Fields};
use super::{Flash, Nav, back, flash_texts, nav, unless_admin};
use crate::shell::AppState;
use crate::shell::forms::Opt;
use crate::shell::{AgentSession, Chrome, render};

pub struct MailboxRow {
    pub id: i64,
    pub address: String,
    pub display_name: String,
    pub teams: Vec<Opt>,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: Vec<Opt>,
    pub smtp_username: String,
    pub has_password: bool,
    pub imap_host: String,
    pub imap_port: String,
    pub imap_security: Vec<Opt>,
    pub imap_username: String,
    pub has_imap_password: bool,
    pub imap_folder: String,
    pub imap_move_to: String,
    pub imap_status: String,
    pub auto_ack: bool,
}

pub struct HeldRow {
    pub id: i64,
    pub sender: String,
    pub note: String,
    pub received: String,
}

#[derive(Template)]
#[template(path = "admin/mailboxes.html")]
pub struct MailboxesPage {
    pub c: Chrome,
    pub nav: Vec<Nav>,
    pub rows: Vec<MailboxRow>,
    pub new_teams: Vec<Opt>,
    pub held: Vec<HeldRow>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

fn security_opts(current: &str) -> Vec<Opt> {
    ["none", "starttls", "tls"]
        .into_iter()
        .map(|s| Opt::new(s, s.to_uppercase(), s == current))
        .collect()
}

fn port(form: &Fields, name: &'static str) -> Result<Option<u16>, StoreError> {
    form.get(name)
        .map(|p| {
            p.parse::<u16>()
                .map_err(|_| StoreError::invalid(name, format!("{p:?} is not a port number")))
        })
        .transpose()
}

fn team(form: &Fields) -> Option<i64> {
    form.get("team_id").and_then(|t| t.parse().ok())
}

pub async fn release(State(s): State<AppState>, me: AgentSession, Path(id): Path<i64>) -> Response {
    if let Some(r) = unless_admin(&me) {
        return r;
    }
    let result = spool::release(&s.db, id).await;
    back("/admin/mailboxes", result)
}

/// The mailboxes Ferrodesk sends and receives through, and the mail held for review.
pub struct Mailboxes;

impl Entity for Mailboxes {
    const PATH: &'static str = "/admin/mailboxes";

    async fn page(s: &AppState, me: &AgentSession, f: &Flash) -> Result<Response, StoreError> {
        let tr = me.tr();
        let all = mailboxes::list(&s.db).await?;
        let all_teams = teams::list(&s.db, PageRequest::first(200)).await?.items;
        let team_opts = |sel: Option<i64>| -> Vec<Opt> {
            std::iter::once(Opt::new("", "—", sel.is_none()))
                .chain(
                    all_teams
                        .iter()
                        .map(|t| Opt::new(t.id.to_string(), t.name.clone(), sel == Some(t.id))),
                )
                .collect()
        };
        let held = spool::list(&s.db, "held", PageRequest::first(50))
            .await?
            .items;
        let (error, notice) = flash_texts(tr, f);
        Ok(render(&MailboxesPage {
            c: me.chrome(tr.t("admin-mailboxes")),
            nav: nav(tr, "/admin/mailboxes"),
            rows: all
                .into_iter()
                .map(|m| MailboxRow {
                    id: m.id,
                    teams: team_opts(m.team_id),
                    smtp_security: security_opts(&m.smtp_security),
                    imap_security: security_opts(m.imap_security.as_deref().unwrap_or("tls")),
                    imap_port: m.imap_port.map(|p| p.to_string()).unwrap_or_default(),
                    address: m.address,
                    display_name: m.display_name,
                    smtp_host: m.smtp_host,
                    smtp_port: m.smtp_port,
                    smtp_username: m.smtp_username.unwrap_or_default(),
                    has_password: m.has_password,
                    imap_host: m.imap_host.unwrap_or_default(),
                    imap_username: m.imap_username.unwrap_or_default(),
                    has_imap_password: m.has_imap_password,
                    imap_folder: m.imap_folder,
                    imap_move_to: m.imap_move_to.unwrap_or_default(),
                    imap_status: m.imap_status.unwrap_or_default(),
                    auto_ack: m.auto_ack,
                })
                .collect(),
            new_teams: team_opts(None),
            held: held
                .into_iter()
                .map(|h| HeldRow {
                    id: h.id,
                    sender: h.sender.unwrap_or_default(),
                    note: h.note.unwrap_or_default(),
                    received: crate::shell::fmt_time(h.received_at, &me.tz),
                })
                .collect(),
            error,
            notice,
        }))
    }

    async fn create(s: &AppState, me: &AgentSession, form: &Fields) -> Result<(), StoreError> {
        let new = NewMailbox {
            team_id: team(form),
            address: EmailAddress::parse(form.get("address").unwrap_or(""))?,
            display_name: form.get("display_name").unwrap_or("").to_string(),
            smtp_host: form.get("smtp_host").unwrap_or("").to_string(),
            smtp_port: port(form, "smtp_port")?.unwrap_or(587),
            smtp_security: form.get("smtp_security").map(str::to_owned),
            smtp_username: form.get("smtp_username").map(str::to_owned),
            smtp_password: form.get("smtp_password").map(str::to_owned),
            imap_host: form.get("imap_host").map(str::to_owned),
            imap_port: port(form, "imap_port")?,
            imap_security: form.get("imap_security").map(str::to_owned),
            imap_username: form.get("imap_username").map(str::to_owned),
            imap_password: form.get("imap_password").map(str::to_owned),
            imap_folder: form.get("imap_folder").map(str::to_owned),
            imap_move_to: form.get("imap_move_to").map(str::to_owned),
            auto_ack: form.get("auto_ack").is_some(),
        };
        mailboxes::create(&s.db, Actor::agent(me.agent.id), new).await?;
        Ok(())
    }

    async fn update(
        s: &AppState,
        me: &AgentSession,
        id: i64,
        form: &Fields,
    ) -> Result<(), StoreError> {
        let text = |name: &str| Some(form.get(name).unwrap_or("").to_string());
        let patch = MailboxPatch {
            team_id: team(form),
            display_name: form.get("display_name").map(str::to_owned),
            smtp_host: form.get("smtp_host").map(str::to_owned),
            smtp_port: port(form, "smtp_port")?,
            smtp_security: form.get("smtp_security").map(str::to_owned),
            smtp_username: text("smtp_username"),
            // A blank password field keeps the stored password.
            smtp_password: form.get("smtp_password").map(str::to_owned),
            imap_host: text("imap_host"),
            imap_port: port(form, "imap_port")?,
            imap_security: form.get("imap_security").map(str::to_owned),
            imap_username: text("imap_username"),
            imap_password: form.get("imap_password").map(str::to_owned),
            imap_folder: form.get("imap_folder").map(str::to_owned),
            imap_move_to: text("imap_move_to"),
            auto_ack: Some(form.get("auto_ack").is_some()),
        };
        mailboxes::update(&s.db, Actor::agent(me.agent.id), id, patch).await?;
        Ok(())
    }

    async fn delete(s: &AppState, me: &AgentSession, id: i64) -> Result<(), StoreError> {
        mailboxes::delete(&s.db, Actor::agent(me.agent.id), id).await
    }
}
