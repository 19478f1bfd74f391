//! Email going out: the mailboxes teams send from, and public replies on email tickets, sent
//! by SMTP through the jobs table (retried with backoff, state visible on the message) with the
//! headers that make the customer's answer thread back: Message-ID, In-Reply-To, References and
//! the `[#NUMBER]` subject tag.

use lettre::message::header::ContentType;
use lettre::message::{
    Attachment, Mailbox as LettreMailbox, MessageBuilder, MultiPart, SinglePart,
};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::json;
use sqlx::Row;

use ferrodesk_store::events::{self, Actor, NewEvent};
use ferrodesk_store::jobs::{self, Job};
use ferrodesk_store::mailboxes::Mailbox;
use ferrodesk_store::tickets::{Message, Ticket};
use ferrodesk_store::{Db, StoreError, Tx, from_micros, now};

pub const SEND_JOB: &str = "email.send";
const MAX_ATTEMPTS: i64 = 6;

/// Queues a public agent reply on an email ticket for sending, inside the reply's transaction.
pub async fn queue_reply(
    tx: &mut Tx,
    ticket: &Ticket,
    message: &mut Message,
) -> Result<(), StoreError> {
    if ticket.channel != ferrodesk_core::Channel::Email || message.internal {
        return Ok(());
    }
    queue_send(tx, message.id).await?;
    message.delivery_state = Some("queued".into());
    Ok(())
}

/// Whether the customer's latest message on the ticket was flagged as automatic mail
/// (auto-replies, bulk, bounces): no automatic answer may go back to it.
pub async fn last_customer_mail_was_automatic(
    tx: &mut Tx,
    ticket_id: i64,
) -> Result<bool, StoreError> {
    let flags: Option<String> = sqlx::query_scalar(
        "SELECT flags FROM messages WHERE ticket_id = $1 AND author_type = 'customer' ORDER BY id DESC LIMIT 1",
    )
    .bind(ticket_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(flags.is_some_and(|f| {
        serde_json::from_str::<Vec<String>>(&f).is_ok_and(|f| f.iter().any(|f| f == "automatic"))
    }))
}

/// Marks a public message queued for sending and schedules its send job, in `tx`.
pub async fn queue_send(tx: &mut Tx, message_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE messages SET delivery_state = 'queued' WHERE id = $1")
        .bind(message_id)
        .execute(&mut **tx)
        .await?;
    schedule_send(tx, message_id).await
}

/// Schedules the send job of a message already written as `queued`, in `tx` (held back to
/// commit, so it costs no statement now).
pub async fn schedule_send(tx: &mut Tx, message_id: i64) -> Result<(), StoreError> {
    jobs::schedule(
        tx,
        SEND_JOB,
        &format!("email:{message_id}"),
        &json!({"message_id": message_id}),
        now(),
    )
    .await
}

fn domain_of(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("ferrodesk.invalid")
}

/// Subject of a reply: "Re: …" once, with the ticket tag once.
pub fn reply_subject(subject: &str, number: i64) -> String {
    let tag = format!("[#{number}]");
    let base = if subject.to_ascii_lowercase().starts_with("re:") {
        subject.to_string()
    } else {
        format!("Re: {subject}")
    };
    if base.contains(&tag) {
        base
    } else {
        format!("{base} {tag}")
    }
}

/// Sends a queued reply. Its Message-ID is derived from the message id, so a retry after a
/// crash between sending and recording resends the same message, which receivers de-duplicate.
pub async fn send(db: &Db, job: &Job) -> Result<(), StoreError> {
    let message_id = job.payload["message_id"]
        .as_i64()
        .ok_or_else(|| StoreError::Schema(format!("job {} has no message_id", job.id)))?;
    let row = sqlx::query(
        "SELECT m.body_text, m.ticket_id, t.number, t.subject, t.team_id, c.email, c.name FROM messages m \
         JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id WHERE m.id = $1",
    )
    .bind(message_id)
    .fetch_one(db.reader())
    .await?;
    let body: String = row.try_get("body_text")?;
    let ticket_id: i64 = row.try_get("ticket_id")?;
    let number: i64 = row.try_get("number")?;
    let subject: String = row.try_get("subject")?;
    let team_id: Option<i64> = row.try_get("team_id")?;
    let to_email: Option<String> = row.try_get("email")?;
    let to_name: String = row.try_get("name")?;
    let mailbox_row = ferrodesk_store::mailboxes::sender_for_team(db, team_id).await?;
    let outcome = match (mailbox_row, to_email) {
        (None, _) => Err("no mailbox is configured to send from".to_string()),
        (_, None) => Err("the customer has no email address".to_string()),
        (Some((mailbox, secrets)), Some(to)) => {
            let password = secrets.smtp_password;
            let thread: Vec<String> = sqlx::query_scalar(
                "SELECT email_message_id FROM messages WHERE ticket_id = $1 AND email_message_id IS NOT NULL AND id < $2 ORDER BY id",
            )
            .bind(ticket_id)
            .bind(message_id)
            .fetch_all(db.reader())
            .await?;
            let own_id = format!(
                "ferrodesk.{message_id}.{number}@{}",
                domain_of(&mailbox.address)
            );
            let quoted: Vec<(String, i64)> = sqlx::query_as(
                "SELECT body_text, created_at FROM messages WHERE ticket_id = $1 AND id < $2 AND visibility = 'public' ORDER BY id DESC LIMIT 3",
            )
            .bind(ticket_id)
            .bind(message_id)
            .fetch_all(db.reader())
            .await?;
            let mut text = body.clone();
            for (old, at) in quoted {
                text.push_str(&format!(
                    "\n\nOn {}:\n",
                    from_micros(at).strftime("%Y-%m-%d %H:%M UTC")
                ));
                for line in old.lines() {
                    text.push_str("> ");
                    text.push_str(line);
                    text.push('\n');
                }
            }
            let files = ferrodesk_store::attachments::files_of(db, message_id).await?;
            deliver(
                &mailbox,
                password,
                &to,
                &to_name,
                &reply_subject(&subject, number),
                &own_id,
                &thread,
                text,
                files,
            )
            .await
            .map(|()| (own_id, mailbox.address))
        }
    };
    let at = now();
    let (state, error, kind, data) = match &outcome {
        Ok((own_id, from)) => (
            "sent",
            None,
            "email.sent",
            json!({"message_id": message_id, "email_message_id": own_id, "from": from}),
        ),
        Err(e)
            if job.attempts < MAX_ATTEMPTS
                && !e.starts_with("no mailbox")
                && !e.starts_with("the customer") =>
        {
            sqlx::query("UPDATE messages SET delivery_error = $1 WHERE id = $2")
                .bind(e.clone())
                .bind(message_id)
                .execute(db.writer())
                .await?;
            return Err(StoreError::Schema(format!(
                "sending message {message_id}: {e}"
            )));
        }
        Err(e) => (
            "failed",
            Some(e.clone()),
            "email.failed",
            json!({"message_id": message_id, "error": e}),
        ),
    };
    let mut tx = db.begin().await?;
    if jobs::finish(&mut tx, job).await? {
        sqlx::query("UPDATE messages SET delivery_state = $1, delivery_error = $2, email_message_id = COALESCE($3, email_message_id) WHERE id = $4")
            .bind(state)
            .bind(error)
            .bind(outcome.as_ref().ok().map(|(id, _)| id.clone()))
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
        events::append(
            &mut tx,
            Actor::system(),
            at,
            &[NewEvent::new("ticket", ticket_id, kind, data)],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn deliver(
    mailbox: &Mailbox,
    password: Option<String>,
    to: &str,
    to_name: &str,
    subject: &str,
    own_id: &str,
    thread: &[String],
    text: String,
    files: Vec<(String, String, Vec<u8>)>,
) -> Result<(), String> {
    let from: LettreMailbox = format!("{} <{}>", mailbox.display_name, mailbox.address)
        .parse()
        .map_err(|e| format!("sender address: {e}"))?;
    let to: LettreMailbox = LettreMailbox::new(
        Some(to_name.to_string()),
        to.parse().map_err(|e| format!("customer address: {e}"))?,
    );
    let mut builder: MessageBuilder = lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .message_id(Some(format!("<{own_id}>")));
    if let Some(last) = thread.last() {
        builder = builder.in_reply_to(format!("<{last}>"));
        builder = builder.references(
            thread
                .iter()
                .map(|id| format!("<{id}>"))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let email = if files.is_empty() {
        builder.header(ContentType::TEXT_PLAIN).body(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
        for (filename, content_type, bytes) in files {
            let content_type = ContentType::parse(&content_type)
                .unwrap_or_else(|_| ContentType::parse("application/octet-stream").expect("valid"));
            parts = parts.singlepart(Attachment::new(filename).body(bytes, content_type));
        }
        builder.multipart(parts)
    }
    .map_err(|e| format!("building the message: {e}"))?;
    let host = mailbox.smtp_host.as_str();
    let transport = match mailbox.smtp_security.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
        _ => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            host,
        )),
    }
    .map_err(|e| format!("SMTP {host}: {e}"))?;
    let mut transport = transport
        .port(mailbox.smtp_port)
        .timeout(Some(std::time::Duration::from_secs(30)));
    if let (Some(user), Some(pass)) = (&mailbox.smtp_username, password) {
        transport = transport.credentials(Credentials::new(user.clone(), pass));
    }
    transport
        .build()
        .send(email)
        .await
        .map(|_| ())
        .map_err(|e| format!("SMTP {host}:{}: {e}", mailbox.smtp_port))
}

/// Sends a one-off plain message (a sign-in link, a confirmation) from the default mailbox:
/// the one without a team, else the first. Not queued: [`queue_notice`] queues it.
pub async fn send_notice(db: &Db, to: &str, subject: &str, body: &str) -> Result<(), String> {
    let Some((mailbox, secrets)) = ferrodesk_store::mailboxes::sender_for_team(db, None)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Err("no mailbox is configured to send from".into());
    };
    let own_id = format!(
        "ferrodesk.notice.{}@{}",
        jiff::Timestamp::now().as_nanosecond(),
        domain_of(&mailbox.address)
    );
    deliver(
        &mailbox,
        secrets.smtp_password,
        to,
        "",
        subject,
        &own_id,
        &[],
        body.to_string(),
        Vec::new(),
    )
    .await
}

/// The job kind of a one-off notice (a portal link).
pub const NOTICE_JOB: &str = "email.notice";
const NOTICE_MAX_ATTEMPTS: i64 = 8;

/// Queues a one-off notice from the default mailbox (see [`send_notice`]) as a job.
pub async fn queue_notice(db: &Db, to: &str, subject: &str, body: &str) -> Result<(), StoreError> {
    // Unique per notice (two of one instant must not replace each other).
    let key = ferrodesk_store::auth::new_secret("notice:");
    let mut tx = db.begin().await?;
    jobs::schedule(
        &mut tx,
        NOTICE_JOB,
        &key,
        &json!({"to": to, "subject": subject, "body": body}),
        now(),
    )
    .await?;
    tx.commit().await?;
    db.jobs_scheduled().notify_one();
    Ok(())
}

/// Sends a queued notice. A failure is retried with the runner's backoff (the error on the
/// job); when it is done or given up, the payload (it holds a one-time link) is erased.
async fn send_queued_notice(db: &Db, job: &Job) -> Result<(), StoreError> {
    let field = |name: &str| job.payload[name].as_str().unwrap_or_default().to_string();
    let to = field("to");
    match send_notice(db, &to, &field("subject"), &field("body")).await {
        Ok(()) => tracing::info!(job = job.id, "portal mail sent"),
        Err(e) if e.starts_with("no mailbox") => {
            tracing::warn!(
                job = job.id,
                "portal mail not sent: no mailbox is configured (add one under /admin/mailboxes)"
            );
        }
        Err(e) if job.attempts < NOTICE_MAX_ATTEMPTS => {
            return Err(StoreError::Schema(format!("sending portal mail: {e}")));
        }
        Err(e) => {
            tracing::error!(job = job.id, attempts = job.attempts, error = %e, "portal mail given up");
        }
    }
    let mut tx = db.begin().await?;
    if jobs::finish(&mut tx, job).await? {
        sqlx::query("UPDATE jobs SET payload = '{}' WHERE id = $1")
            .bind(job.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

pub fn register(jobs: &mut ferrodesk_store::jobs::JobHandlers) {
    jobs.register(SEND_JOB, |db, job| Box::pin(send(db, job)));
    jobs.register(NOTICE_JOB, |db, job| Box::pin(send_queued_notice(db, job)));
}
