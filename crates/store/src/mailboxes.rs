//! Mailboxes: the addresses a team sends from (SMTP) and receives on (IMAP, or the SMTP/LMTP
//! listener). Passwords are write-only: stored, used, never returned or logged.

use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::on_unique;
use crate::events::{self, Actor, NewEvent};
use crate::{Db, StoreError, from_micros, now, to_micros};

/// A mailbox as the API shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Mailbox {
    pub id: i64,
    pub team_id: Option<i64>,
    pub address: String,
    pub display_name: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    /// Whether an SMTP password is stored (it is never returned).
    pub has_password: bool,
    /// IMAP server to fetch from; `None`: this mailbox is not polled.
    pub imap_host: Option<String>,
    pub imap_port: Option<u16>,
    /// `none`, `starttls` or `tls`.
    pub imap_security: Option<String>,
    pub imap_username: Option<String>,
    pub has_imap_password: bool,
    pub imap_folder: String,
    /// The folder a message is moved to once its ticket is committed; `None`: it is flagged
    /// `\Seen` and stays.
    pub imap_move_to: Option<String>,
    /// The poller's last outcome (`ok …` or the error), for the admin page.
    pub imap_status: Option<String>,
    /// Acknowledge new tickets from this mailbox with the team's template.
    pub auto_ack: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMailbox {
    pub team_id: Option<i64>,
    pub address: ferrodesk_core::EmailAddress,
    pub display_name: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `none`, `starttls` (default) or `tls`.
    pub smtp_security: Option<String>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    pub imap_host: Option<String>,
    pub imap_port: Option<u16>,
    /// `none`, `starttls` or `tls` (default).
    pub imap_security: Option<String>,
    pub imap_username: Option<String>,
    pub imap_password: Option<String>,
    /// Default `INBOX`.
    pub imap_folder: Option<String>,
    /// Move processed messages to this folder (created if missing) instead of flagging them
    /// `\Seen` where they are.
    pub imap_move_to: Option<String>,
    #[serde(default)]
    pub auto_ack: bool,
}

/// Changes to a mailbox; absent fields stay. An empty string clears an optional text field
/// (an empty `imap_host` stops polling).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxPatch {
    pub team_id: Option<i64>,
    pub display_name: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_security: Option<String>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    pub imap_host: Option<String>,
    pub imap_port: Option<u16>,
    pub imap_security: Option<String>,
    pub imap_username: Option<String>,
    pub imap_password: Option<String>,
    pub imap_folder: Option<String>,
    pub imap_move_to: Option<String>,
    pub auto_ack: Option<bool>,
}

pub const COLUMNS: &str = "id, team_id, address, display_name, smtp_host, smtp_port, smtp_security, smtp_username, smtp_password, \
     imap_host, imap_port, imap_security, imap_username, imap_password, imap_folder, imap_move_to, imap_status, auto_ack, created_at";

/// The secrets that go with a mailbox row.
pub struct Secrets {
    pub smtp_password: Option<String>,
    pub imap_password: Option<String>,
}

fn port(v: Option<i64>) -> Option<u16> {
    v.map(|p| p.clamp(0, 65535) as u16)
}

pub fn from_row(row: &AnyRow) -> Result<(Mailbox, Secrets), StoreError> {
    let smtp_password: Option<String> = row.try_get("smtp_password")?;
    let imap_password: Option<String> = row.try_get("imap_password")?;
    Ok((
        Mailbox {
            id: row.try_get("id")?,
            team_id: row.try_get("team_id")?,
            address: row.try_get("address")?,
            display_name: row.try_get("display_name")?,
            smtp_host: row.try_get("smtp_host")?,
            smtp_port: port(Some(row.try_get("smtp_port")?)).unwrap_or(25),
            smtp_security: row.try_get("smtp_security")?,
            smtp_username: row.try_get("smtp_username")?,
            has_password: smtp_password.is_some(),
            imap_host: row.try_get("imap_host")?,
            imap_port: port(row.try_get("imap_port")?),
            imap_security: row.try_get("imap_security")?,
            imap_username: row.try_get("imap_username")?,
            has_imap_password: imap_password.is_some(),
            imap_folder: row.try_get("imap_folder")?,
            imap_move_to: row.try_get("imap_move_to")?,
            imap_status: row.try_get("imap_status")?,
            auto_ack: row.try_get::<i64, _>("auto_ack")? != 0,
            created_at: from_micros(row.try_get("created_at")?),
        },
        Secrets {
            smtp_password,
            imap_password,
        },
    ))
}

fn security(field: &'static str, value: &str) -> Result<String, StoreError> {
    if matches!(value, "none" | "starttls" | "tls") {
        Ok(value.to_string())
    } else {
        Err(StoreError::invalid(
            field,
            format!("{value:?}: expected none, starttls or tls"),
        ))
    }
}

/// `Some("")` → `None`; trims; checks the length.
fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, StoreError> {
    Ok(ferrodesk_core::text::optional(field, value, max)?)
}

pub async fn create(db: &Db, actor: Actor, new: NewMailbox) -> Result<Mailbox, StoreError> {
    let smtp_security = security(
        "smtp_security",
        new.smtp_security.as_deref().unwrap_or("starttls"),
    )?;
    let imap_security = security(
        "imap_security",
        new.imap_security.as_deref().unwrap_or("tls"),
    )?;
    let name = ferrodesk_core::text::required("display_name", &new.display_name, 200)?;
    let host = ferrodesk_core::text::required("smtp_host", &new.smtp_host, 253)?;
    let imap_host = optional_text("imap_host", new.imap_host.as_deref(), 253)?;
    let folder = optional_text("imap_folder", new.imap_folder.as_deref(), 200)?
        .unwrap_or_else(|| "INBOX".into());
    let imap_port = new
        .imap_port
        .unwrap_or(if imap_security == "tls" { 993 } else { 143 });
    let at = now();
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "INSERT INTO mailboxes (team_id, address, display_name, smtp_host, smtp_port, smtp_security, smtp_username, smtp_password, \
         imap_host, imap_port, imap_security, imap_username, imap_password, imap_folder, auto_ack, created_at, updated_at, imap_move_to) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17) RETURNING {COLUMNS}"
    ))
    .bind(new.team_id)
    .bind(new.address.as_str())
    .bind(&name)
    .bind(&host)
    .bind(i64::from(new.smtp_port))
    .bind(&smtp_security)
    .bind(optional_text("smtp_username", new.smtp_username.as_deref(), 320)?)
    .bind(new.smtp_password.clone().filter(|p| !p.is_empty()))
    .bind(imap_host.clone())
    .bind(imap_host.as_ref().map(|_| i64::from(imap_port)))
    .bind(imap_host.as_ref().map(|_| imap_security.clone()))
    .bind(optional_text("imap_username", new.imap_username.as_deref(), 320)?)
    .bind(new.imap_password.clone().filter(|p| !p.is_empty()))
    .bind(folder)
    .bind(i64::from(new.auto_ack))
    .bind(to_micros(at))
    .bind(optional_text("imap_move_to", new.imap_move_to.as_deref(), 200)?)
    .fetch_one(&mut *tx)
    .await
    .map_err(on_unique("mailbox_exists", || {
        format!("a mailbox for {} already exists", new.address)
    }))?;
    let (mailbox, _) = from_row(&row)?;
    // Passwords never enter the log.
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "mailbox",
            mailbox.id,
            "mailbox.created",
            json!({"address": mailbox.address, "team_id": mailbox.team_id, "imap_host": mailbox.imap_host}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(mailbox)
}

pub async fn list(db: &Db) -> Result<Vec<Mailbox>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM mailboxes ORDER BY id"))
        .fetch_all(db.reader())
        .await?;
    rows.iter().map(|r| from_row(r).map(|(m, _)| m)).collect()
}

pub async fn get(db: &Db, id: i64) -> Result<Mailbox, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM mailboxes WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::not_found("mailbox", id))?;
    Ok(from_row(&row)?.0)
}

pub async fn update(
    db: &Db,
    actor: Actor,
    id: i64,
    patch: MailboxPatch,
) -> Result<Mailbox, StoreError> {
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM mailboxes WHERE id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::not_found("mailbox", id))?;
    let (old, secrets) = from_row(&row)?;
    let smtp_security = match &patch.smtp_security {
        Some(s) => security("smtp_security", s)?,
        None => old.smtp_security.clone(),
    };
    let imap_host = match &patch.imap_host {
        Some(h) => optional_text("imap_host", Some(h), 253)?,
        None => old.imap_host.clone(),
    };
    let imap_security = match &patch.imap_security {
        Some(s) => security("imap_security", s)?,
        None => old.imap_security.clone().unwrap_or_else(|| "tls".into()),
    };
    let imap_port = patch
        .imap_port
        .or(old.imap_port)
        .unwrap_or(if imap_security == "tls" { 993 } else { 143 });
    let smtp_host = match &patch.smtp_host {
        Some(h) => ferrodesk_core::text::required("smtp_host", h, 253)?,
        None => old.smtp_host.clone(),
    };
    let display_name = match &patch.display_name {
        Some(n) => ferrodesk_core::text::required("display_name", n, 200)?,
        None => old.display_name.clone(),
    };
    let keep_or = |new: &Option<String>, old: Option<String>| match new {
        Some(v) if v.is_empty() => None,
        Some(v) => Some(v.clone()),
        None => old,
    };
    let at = now();
    let row = sqlx::query(&format!(
        "UPDATE mailboxes SET team_id = $1, display_name = $2, smtp_host = $3, smtp_port = $4, smtp_security = $5, smtp_username = $6, \
         smtp_password = $7, imap_host = $8, imap_port = $9, imap_security = $10, imap_username = $11, imap_password = $12, \
         imap_folder = $13, auto_ack = $14, updated_at = $15, imap_move_to = $17 WHERE id = $16 RETURNING {COLUMNS}"
    ))
    .bind(patch.team_id.or(old.team_id))
    .bind(display_name)
    .bind(smtp_host)
    .bind(i64::from(patch.smtp_port.unwrap_or(old.smtp_port)))
    .bind(smtp_security)
    .bind(keep_or(&patch.smtp_username, old.smtp_username.clone()))
    .bind(keep_or(&patch.smtp_password, secrets.smtp_password))
    .bind(imap_host.clone())
    .bind(imap_host.as_ref().map(|_| i64::from(imap_port)))
    .bind(imap_host.as_ref().map(|_| imap_security))
    .bind(keep_or(&patch.imap_username, old.imap_username.clone()))
    .bind(keep_or(&patch.imap_password, secrets.imap_password))
    .bind(
        patch
            .imap_folder
            .clone()
            .filter(|f| !f.trim().is_empty())
            .unwrap_or(old.imap_folder.clone()),
    )
    .bind(i64::from(patch.auto_ack.unwrap_or(old.auto_ack)))
    .bind(to_micros(at))
    .bind(id)
    .bind(match &patch.imap_move_to {
        Some(folder) => optional_text("imap_move_to", Some(folder), 200)?,
        None => old.imap_move_to.clone(),
    })
    .fetch_one(&mut *tx)
    .await?;
    let (mailbox, _) = from_row(&row)?;
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "mailbox",
            id,
            "mailbox.updated",
            json!({"address": mailbox.address, "team_id": mailbox.team_id, "imap_host": mailbox.imap_host}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(mailbox)
}

pub async fn delete(db: &Db, actor: Actor, id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query("DELETE FROM mailboxes WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("mailbox", id));
    }
    events::append(
        &mut tx,
        actor,
        now(),
        &[NewEvent::new("mailbox", id, "mailbox.deleted", json!({}))],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an IMAP poller needs to log in and resume.
#[derive(Clone)]
pub struct ImapAccount {
    pub mailbox_id: i64,
    pub host: String,
    pub port: u16,
    pub security: String,
    pub username: String,
    pub password: String,
    pub folder: String,
    /// Where processed messages go; `None`: flagged `\Seen` in place.
    pub move_to: Option<String>,
    pub uidvalidity: Option<u32>,
    pub last_uid: u32,
}

impl std::fmt::Debug for ImapAccount {
    // The password stays out of any log line that prints an account.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapAccount")
            .field("mailbox_id", &self.mailbox_id)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("folder", &self.folder)
            .field("move_to", &self.move_to)
            .finish_non_exhaustive()
    }
}

/// Mailboxes with IMAP configured, with their credentials and progress.
pub async fn imap_accounts(db: &Db) -> Result<Vec<ImapAccount>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, address, imap_host, imap_port, imap_security, imap_username, imap_password, imap_folder, imap_move_to, \
         imap_uidvalidity, imap_last_uid FROM mailboxes WHERE imap_host IS NOT NULL ORDER BY id",
    )
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let address: String = r.try_get("address")?;
            Ok(ImapAccount {
                mailbox_id: r.try_get("id")?,
                host: r.try_get("imap_host")?,
                port: port(r.try_get("imap_port")?).unwrap_or(993),
                security: r
                    .try_get::<Option<String>, _>("imap_security")?
                    .unwrap_or_else(|| "tls".into()),
                username: r
                    .try_get::<Option<String>, _>("imap_username")?
                    .unwrap_or(address),
                password: r
                    .try_get::<Option<String>, _>("imap_password")?
                    .unwrap_or_default(),
                folder: r.try_get("imap_folder")?,
                move_to: r.try_get("imap_move_to")?,
                uidvalidity: r
                    .try_get::<Option<i64>, _>("imap_uidvalidity")?
                    .map(|v| v as u32),
                last_uid: r.try_get::<i64, _>("imap_last_uid")? as u32,
            })
        })
        .collect()
}

/// Records a poller's outcome for the admin page (`ok …` or the error).
pub async fn set_imap_status(db: &Db, mailbox_id: i64, status: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE mailboxes SET imap_status = $1 WHERE id = $2")
        .bind(status)
        .bind(mailbox_id)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// The mailbox a team sends from: its own, else one without a team, else any.
pub async fn sender_for_team(
    db: &Db,
    team_id: Option<i64>,
) -> Result<Option<(Mailbox, Secrets)>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM mailboxes ORDER BY CASE WHEN team_id = $1 THEN 0 WHEN team_id IS NULL THEN 1 ELSE 2 END, id LIMIT 1"
    ))
    .bind(team_id.unwrap_or(-1))
    .fetch_optional(db.reader())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Whether any mailbox exists to send mail from (portal links, confirmations).
pub async fn has_sender(db: &Db) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM mailboxes LIMIT 1")
        .fetch_optional(db.reader())
        .await?;
    Ok(found.is_some())
}
