//! The customer portal's flows: customer accounts (argon2id passwords, their own sessions),
//! one-time tokens for sign-in links, sign-up, password resets and confirming anonymous
//! requests, and what a customer does with a request (submit, reply, close). What a customer
//! may see is read through `ferrodesk_store::portal`.

use ferrodesk_core::sla::TicketChange;
use ferrodesk_core::{Channel, EmailAddress, Status, text};
use jiff::{SignedDuration, Timestamp};

use ferrodesk_store::auth::{hash_password, new_secret, secret_hash, verify_password};
use ferrodesk_store::events::{self, Actor, FieldChanges};
use ferrodesk_store::portal::{self, PortalViewer};
use ferrodesk_store::tickets::{self, CustomerRef, Message, NewTicket, Ticket};
use ferrodesk_store::{Db, StoreError, attachments, customers, now, to_micros};

pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 30);
pub const TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

/// What a one-time token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    SignIn,
    Reset,
    Confirm,
    /// Proves the address of a new portal account before the account exists.
    SignUp,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::SignIn => "signin",
            TokenPurpose::Reset => "reset",
            TokenPurpose::Confirm => "confirm",
            TokenPurpose::SignUp => "signup",
        }
    }
}

fn expiry(from: Timestamp, d: SignedDuration) -> i64 {
    to_micros(from.checked_add(d).expect("expiry fits"))
}

async fn find_customer(
    db: &Db,
    email: &EmailAddress,
    name: Option<&str>,
) -> Result<customers::Customer, StoreError> {
    let mut tx = db.begin().await?;
    let c =
        customers::find_or_create_by_email(&mut tx, Actor::system(), now(), email, name).await?;
    tx.commit().await?;
    Ok(c)
}

async fn open_session(db: &Db, customer_id: i64) -> Result<String, StoreError> {
    let session = new_secret("");
    let at = now();
    sqlx::query(
        "INSERT INTO customer_sessions (id_hash, customer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(secret_hash(&session))
    .bind(customer_id)
    .bind(to_micros(at))
    .bind(expiry(at, SESSION_LIFETIME))
    .execute(db.writer())
    .await?;
    Ok(session)
}

async fn set_password(db: &Db, customer_id: i64, hash: &str) -> Result<(), StoreError> {
    let at = to_micros(now());
    let mut tx = db.begin().await?;
    let updated = sqlx::query(
        "UPDATE customer_accounts SET password_hash = $1, updated_at = $2 WHERE customer_id = $3",
    )
    .bind(hash)
    .bind(at)
    .bind(customer_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        sqlx::query(
            "INSERT INTO customer_accounts (customer_id, password_hash, sees, created_at, updated_at) VALUES ($1, $2, 'own', $3, $3)",
        )
        .bind(customer_id)
        .bind(hash)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    events::append(
        &mut tx,
        Actor::customer(customer_id),
        now(),
        &[events::NewEvent::new(
            "customer",
            customer_id,
            "customer.password_set",
            serde_json::json!({}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a sign-up request leads to. Both answers look the same to the person signing up, so
/// sign-up never reveals whether an address has an account.
#[derive(Debug)]
pub enum SignUp {
    /// Mail this one-time token to the address: the account is created when it is used.
    Confirm { email: EmailAddress, token: String },
    /// The address already has a password: mail its owner instead (sign in or reset).
    AccountExists { email: EmailAddress },
}

#[derive(serde::Serialize, serde::Deserialize)]
struct PendingSignUp {
    name: Option<String>,
    password_hash: String,
}

/// Asks for a portal account. Nothing is created and no session opens until the address is
/// proved by the emailed link ([`confirm_sign_up`]): whoever signs up with someone else's
/// address sees nothing that address owns.
pub async fn sign_up(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
) -> Result<SignUp, StoreError> {
    let email = EmailAddress::parse(email)?;
    let name = text::optional("name", Some(name), text::MAX_NAME_CHARS)?;
    // Hashed before the lookup on both paths, so the time taken does not tell either.
    let hash = hash_password(password).await?;
    let has_password: Option<i64> = sqlx::query_scalar(
        "SELECT c.id FROM customers c JOIN customer_accounts a ON a.customer_id = c.id \
         WHERE c.email = $1 AND a.password_hash IS NOT NULL",
    )
    .bind(email.as_str())
    .fetch_optional(db.reader())
    .await?;
    if has_password.is_some() {
        return Ok(SignUp::AccountExists { email });
    }
    let payload = serde_json::to_string(&PendingSignUp {
        name,
        password_hash: hash,
    })
    .expect("pending sign-up serialises");
    let token = issue_token(db, TokenPurpose::SignUp, &email, Some(&payload)).await?;
    Ok(SignUp::Confirm { email, token })
}

/// Uses a sign-up link: creates the account (the customer is found by email or created) with
/// the password chosen at sign-up and opens a session. `None`: unknown, used or expired.
pub async fn confirm_sign_up(db: &Db, token: &str) -> Result<Option<String>, StoreError> {
    let Some((email, payload)) = consume_token(db, TokenPurpose::SignUp, token).await? else {
        return Ok(None);
    };
    let pending: PendingSignUp = serde_json::from_str(payload.as_deref().unwrap_or(""))
        .map_err(|e| StoreError::Schema(format!("pending sign-up: {e}")))?;
    let customer = find_customer(db, &email, pending.name.as_deref()).await?;
    set_password(db, customer.id, &pending.password_hash).await?;
    Ok(Some(open_session(db, customer.id).await?))
}

/// Checks a customer's email and password; on success opens a session.
pub async fn sign_in(db: &Db, email: &str, password: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(i64, Option<String>)> = match EmailAddress::parse(email) {
        Ok(email) => {
            sqlx::query_as(
                "SELECT c.id, a.password_hash FROM customers c JOIN customer_accounts a ON a.customer_id = c.id \
                 WHERE c.email = $1",
            )
            .bind(email.as_str())
            .fetch_optional(db.reader())
            .await?
        }
        Err(_) => None,
    };
    let (id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    if !verify_password(hash, password).await {
        return Ok(None);
    }
    match id {
        Some(id) => Ok(Some(open_session(db, id).await?)),
        None => Ok(None),
    }
}

pub async fn sign_out(db: &Db, session: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM customer_sessions WHERE id_hash = $1")
        .bind(secret_hash(session))
        .execute(db.writer())
        .await?;
    Ok(())
}

/// Lets a customer see their organisation's requests (supervisors decide).
pub async fn set_sees_organization(
    db: &Db,
    customer_id: i64,
    sees: bool,
) -> Result<(), StoreError> {
    let at = to_micros(now());
    let value = if sees { "organization" } else { "own" };
    let n = sqlx::query(
        "UPDATE customer_accounts SET sees = $1, updated_at = $2 WHERE customer_id = $3",
    )
    .bind(value)
    .bind(at)
    .bind(customer_id)
    .execute(db.writer())
    .await?
    .rows_affected();
    if n == 0 {
        sqlx::query(
            "INSERT INTO customer_accounts (customer_id, password_hash, sees, created_at, updated_at) VALUES ($1, NULL, $2, $3, $3)",
        )
        .bind(customer_id)
        .bind(value)
        .bind(at)
        .execute(db.writer())
        .await?;
    }
    Ok(())
}

/// Stores a one-time token (as a hash) and returns it, to be mailed as a link.
pub async fn issue_token(
    db: &Db,
    purpose: TokenPurpose,
    email: &EmailAddress,
    payload: Option<&str>,
) -> Result<String, StoreError> {
    let token = new_secret("");
    let at = now();
    sqlx::query(
        "INSERT INTO portal_tokens (token_hash, purpose, email, payload, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(secret_hash(&token))
    .bind(purpose.as_str())
    .bind(email.as_str())
    .bind(payload.map(str::to_owned))
    .bind(to_micros(at))
    .bind(expiry(at, TOKEN_LIFETIME))
    .execute(db.writer())
    .await?;
    Ok(token)
}

/// Uses a token once: its email and payload, or `None` when unknown, used or expired.
pub async fn consume_token(
    db: &Db,
    purpose: TokenPurpose,
    token: &str,
) -> Result<Option<(EmailAddress, Option<String>)>, StoreError> {
    let at = to_micros(now());
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "UPDATE portal_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $1 RETURNING email, payload",
    )
    .bind(at)
    .bind(secret_hash(token))
    .bind(purpose.as_str())
    .fetch_optional(db.writer())
    .await?;
    match row {
        Some((email, payload)) => Ok(Some((EmailAddress::parse(&email)?, payload))),
        None => Ok(None),
    }
}

/// Opens a session for the customer with this email (after a sign-in link), creating the
/// customer if needed.
pub async fn session_for_email(db: &Db, email: &EmailAddress) -> Result<String, StoreError> {
    let customer = find_customer(db, email, None).await?;
    open_session(db, customer.id).await
}

/// Sets a new password for the customer with this email (after a reset link) and signs in.
pub async fn reset_password(
    db: &Db,
    email: &EmailAddress,
    password: &str,
) -> Result<String, StoreError> {
    let hash = hash_password(password).await?;
    let customer = find_customer(db, email, None).await?;
    set_password(db, customer.id, &hash).await?;
    sqlx::query("DELETE FROM customer_sessions WHERE customer_id = $1")
        .bind(customer.id)
        .execute(db.writer())
        .await?;
    open_session(db, customer.id).await
}

/// A signed-in customer changes their password: the current one must match. All their
/// sessions end and a new one is returned (`None`: the current password was wrong).
pub async fn change_password(
    db: &Db,
    v: &PortalViewer,
    current: &str,
    new_password: &str,
) -> Result<Option<String>, StoreError> {
    let hash: Option<Option<String>> =
        sqlx::query_scalar("SELECT password_hash FROM customer_accounts WHERE customer_id = $1")
            .bind(v.customer_id)
            .fetch_optional(db.reader())
            .await?;
    if !verify_password(hash.flatten(), current).await {
        return Ok(None);
    }
    let hash = hash_password(new_password).await?;
    set_password(db, v.customer_id, &hash).await?;
    sqlx::query("DELETE FROM customer_sessions WHERE customer_id = $1")
        .bind(v.customer_id)
        .execute(db.writer())
        .await?;
    Ok(Some(open_session(db, v.customer_id).await?))
}

/// A signed-in customer changes the name the support team sees.
pub async fn rename(db: &Db, v: &PortalViewer, name: &str) -> Result<(), StoreError> {
    customers::update(
        db,
        Actor::customer(v.customer_id),
        v.customer_id,
        customers::CustomerPatch {
            name: Some(name.to_string()),
            ..customers::CustomerPatch::default()
        },
    )
    .await
    .map(drop)
}

/// A request as the customer submits it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PortalRequest {
    pub email: String,
    pub name: Option<String>,
    pub subject: String,
    pub body: String,
    pub category: Option<String>,
}

/// Opens a ticket for a request from the portal or the web form.
pub async fn submit(db: &Db, req: &PortalRequest) -> Result<Ticket, StoreError> {
    submit_with(db, req, &[]).await
}

/// [`submit`] with files attached to the request.
pub async fn submit_with(
    db: &Db,
    req: &PortalRequest,
    files: &[ferrodesk_store::attachments::NewAttachment],
) -> Result<Ticket, StoreError> {
    open(db, req, files, Vec::new()).await
}

pub use ferrodesk_store::portal::UNCONFIRMED_TAG;

/// Opens the ticket of an anonymous web-form request at once, tagged [`UNCONFIRMED_TAG`] until
/// the sender follows the emailed link: a request is never lost, whether or not a mail can go
/// out, and agents see it in their queue meanwhile.
pub async fn submit_unconfirmed(db: &Db, req: &PortalRequest) -> Result<Ticket, StoreError> {
    open(db, req, &[], vec![UNCONFIRMED_TAG.to_string()]).await
}

/// The sender proved the address: the request loses its [`UNCONFIRMED_TAG`].
pub async fn confirm_request(db: &Db, ticket_id: i64) -> Result<Ticket, StoreError> {
    let mut tx = db.begin().await?;
    let mut ticket = tickets::lock_as_system(db, &mut tx, ticket_id).await?;
    if ticket.tags.iter().any(|t| t == UNCONFIRMED_TAG) {
        let before = ticket.tags.clone();
        ticket.tags.retain(|t| t != UNCONFIRMED_TAG);
        sqlx::query("DELETE FROM ticket_tags WHERE ticket_id = $1 AND tag = $2")
            .bind(ticket_id)
            .bind(UNCONFIRMED_TAG)
            .execute(&mut *tx)
            .await?;
        let mut changes = FieldChanges::new("ticket", ticket_id, "ticket.updated");
        changes.field("tags", &before, &ticket.tags);
        events::append(
            &mut tx,
            Actor::customer(ticket.customer_id),
            now(),
            changes.events(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ticket)
}

async fn open(
    db: &Db,
    req: &PortalRequest,
    files: &[ferrodesk_store::attachments::NewAttachment],
    tags: Vec<String>,
) -> Result<Ticket, StoreError> {
    let email = EmailAddress::parse(&req.email)?;
    let customer = find_customer(db, &email, req.name.as_deref()).await?;
    crate::tickets::create_with(
        db,
        Actor::customer(customer.id),
        None,
        NewTicket {
            subject: req.subject.clone(),
            body: req.body.clone(),
            customer: CustomerRef {
                email,
                name: req.name.clone().filter(|n| !n.trim().is_empty()),
            },
            channel: Some(Channel::Web),
            priority: None,
            category: req.category.clone().filter(|c| !c.trim().is_empty()),
            tags,
            team_id: None,
            assignee_id: None,
        },
        files,
    )
    .await
}

/// The customer's reply on a request they may see.
pub async fn reply(db: &Db, v: &PortalViewer, id: i64, body: &str) -> Result<Message, StoreError> {
    reply_with(db, v, id, body, &[]).await
}

/// [`reply`] with files attached.
pub async fn reply_with(
    db: &Db,
    v: &PortalViewer,
    id: i64,
    body: &str,
    files: &[ferrodesk_store::attachments::NewAttachment],
) -> Result<Message, StoreError> {
    let ticket = portal::request(db, v, id).await?;
    crate::tickets::add_customer_message_with(
        db,
        ticket.id,
        ticket.customer_id,
        Channel::Web,
        body,
        files,
    )
    .await
}

/// The customer marks their request solved.
pub async fn close(db: &Db, v: &PortalViewer, id: i64) -> Result<Ticket, StoreError> {
    portal::request(db, v, id).await?;
    let mut tx = db.begin().await?;
    let (mut ticket, _) = tickets::lock_for_alerts(db, &mut tx, id).await?;
    let old = ticket.status;
    let Some(next) = old.transition_to(Status::Solved)? else {
        return Ok(ticket);
    };
    let at = now();
    tickets::enter_status(&mut ticket, next, at);
    let mut changes = FieldChanges::new("ticket", id, "ticket.updated");
    changes.field("status", &old, &next);
    for e in crate::sla::react(
        db,
        &mut ticket,
        TicketChange::StatusChanged {
            from: old,
            to: next,
            at,
        },
    )
    .await?
    {
        changes.push(e);
    }
    ticket.updated_at = at;
    tickets::save(&mut tx, &ticket).await?;
    let scheduled = crate::sla::schedule_alerts(db, &mut tx, &ticket).await?;
    events::append(
        &mut tx,
        Actor::customer(v.customer_id),
        at,
        changes.events(),
    )
    .await?;
    tx.commit().await?;
    if scheduled {
        db.jobs_scheduled().notify_one();
    }
    Ok(ticket)
}

/// A file for a customer: only on a public message of a request they may see. Internal
/// notes' files answer "not found", as if they did not exist.
pub async fn attachment(
    db: &Db,
    viewer: &PortalViewer,
    message_id: i64,
    position: i64,
) -> Result<attachments::Download, StoreError> {
    let (ticket_id, internal) = attachments::message_owner(db, message_id).await?;
    if internal {
        return Err(StoreError::not_found("attachment", message_id));
    }
    portal::request(db, viewer, ticket_id).await?;
    attachments::load(db, message_id, position).await
}
