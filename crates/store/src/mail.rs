//! Storing inbound email: the raw message first (content-addressed, so nothing accepted is ever
//! lost), then a new ticket or a reply threaded onto one, with attachments stored once. The same
//! Message-ID twice yields one message. The parsing itself is `ferrodesk_mail`; the caller
//! hands over what it found as an [`InboundEmail`].

use ferrodesk_core::{Channel, EmailAddress};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

use crate::sql::Sql;

use crate::events::{self, Actor, NewEvent};
use crate::tickets::{self, CustomerRef, EmailFields, Inbound, NewTicket};
use crate::{Db, StoreError, Tx, now, to_micros};

/// A parsed inbound message, as the store needs it.
#[derive(Debug, Clone, Default)]
pub struct InboundEmail {
    pub from_email: Option<String>,
    pub from_name: Option<String>,
    pub subject: Option<String>,
    pub message_id: Option<String>,
    /// Message-IDs this one replies to, most specific first.
    pub reply_to_ids: Vec<String>,
    /// The `[#NUMBER]` tag in the subject, if any.
    pub ticket_number: Option<i64>,
    pub body_text: String,
    pub body_html: Option<String>,
    /// From, To, Cc, Subject, In-Reply-To, References… as JSON, for display and replies.
    pub headers: Value,
    pub attachments: Vec<InboundAttachment>,
    pub automatic: bool,
    /// Parse problems: the message is still stored, and flagged.
    pub problems: Vec<String>,
    /// The team a new ticket goes to (the receiving mailbox's team).
    pub team_id: Option<i64>,
    /// A delivery status notification about a message we sent.
    pub bounce: Option<BounceReport>,
}

/// What a bounce (DSN or mailer-daemon report) says about a message we sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BounceReport {
    /// The Message-ID of the message that could not be delivered.
    pub original_message_id: Option<String>,
    pub recipient: Option<String>,
    /// The DSN status code, e.g. `5.1.1`.
    pub status: Option<String>,
    /// A human-readable reason (the diagnostic code, or the report's text).
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct InboundAttachment {
    pub filename: String,
    pub content_type: String,
    pub content_id: Option<String>,
    pub inline: bool,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestKind {
    NewTicket,
    Reply,
    /// A reply to a closed ticket: a new ticket linked to it.
    FollowUp,
    /// This Message-ID was stored before; nothing changed.
    Duplicate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestOutcome {
    pub kind: IngestKind,
    pub ticket_id: i64,
    pub message_id: i64,
    pub flagged: bool,
}

/// The most a message may weigh; larger ones are refused by the listeners before this.
pub const MAX_MESSAGE_BYTES: usize = 50 * 1024 * 1024;
/// The largest attachment stored as a file of its own (the common provider limit); a larger
/// one stays only in the raw message, and the message is flagged saying so.
pub const MAX_ATTACHMENT_BYTES: usize = 25 * 1024 * 1024;
/// Mail without a usable sender is filed under this customer, and flagged.
const UNKNOWN_SENDER: &str = "unknown-sender@ferrodesk.invalid";

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores `content` once under its hash; returns its row id.
pub(crate) async fn store_blob(
    tx: &mut Tx,
    table: &str,
    content: &[u8],
) -> Result<i64, StoreError> {
    let ids = store_blobs(tx, table, &[content]).await?;
    Ok(ids[0])
}

/// Stores each of `contents` once under its hash, in one statement for all the new ones (plus
/// one lookup when some were stored before); returns their row ids in order.
pub(crate) async fn store_blobs(
    tx: &mut Tx,
    table: &str,
    contents: &[&[u8]],
) -> Result<Vec<i64>, StoreError> {
    let hashes: Vec<String> = contents.iter().map(|c| sha256_hex(c)).collect();
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(contents.len());
    let mut sql = Sql::new(format!(
        "INSERT INTO {table} (sha256, size, content, created_at) VALUES "
    ));
    let at = to_micros(now());
    let mut distinct = HashSet::new();
    for (hash, content) in hashes.iter().zip(contents) {
        if !distinct.insert(hash.as_str()) {
            continue;
        }
        sql.push(if distinct.len() == 1 { "(" } else { ", (" })
            .bind(hash.clone())
            .push(", ")
            .bind(content.len() as i64)
            .push(", ")
            .bind(content.to_vec())
            .push(", ")
            .bind(at)
            .push(")");
    }
    if distinct.is_empty() {
        return Ok(Vec::new());
    }
    sql.push(" ON CONFLICT (sha256) DO NOTHING RETURNING id, sha256");
    let (text, args) = sql.into_parts();
    let inserted: Vec<(i64, String)> = sqlx::query_as_with(&text, args)
        .fetch_all(&mut **tx)
        .await?;
    ids.extend(inserted.into_iter().map(|(id, hash)| (hash, id)));
    // Contents stored before: one lookup for all of them.
    let known: Vec<String> = distinct
        .iter()
        .filter(|h| !ids.contains_key(**h))
        .map(|h| h.to_string())
        .collect();
    if !known.is_empty() {
        let mut sql = Sql::new(format!("SELECT id, sha256 FROM {table} WHERE sha256 IN "));
        sql.bind_list(known);
        let (text, args) = sql.into_parts();
        let found: Vec<(i64, String)> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut **tx)
            .await?;
        ids.extend(found.into_iter().map(|(id, hash)| (hash, id)));
    }
    hashes
        .iter()
        .map(|h| {
            ids.get(h)
                .copied()
                .ok_or_else(|| StoreError::Schema(format!("content {h} was not stored")))
        })
        .collect()
}

/// The ticket an email replies to, read (and on PostgreSQL locked) for the reply: by
/// Message-ID first, then by the subject's `[#NUMBER]`.
async fn thread(
    db: &Db,
    tx: &mut Tx,
    mail: &InboundEmail,
) -> Result<Option<tickets::Ticket>, StoreError> {
    let lock = match db.backend() {
        crate::Backend::Sqlite => "",
        crate::Backend::Postgres => " FOR UPDATE OF t",
    };
    if !mail.reply_to_ids.is_empty() {
        let mut sql = Sql::new(format!(
            "SELECT {} FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.email_message_id IN ",
            tickets::COLUMNS
        ));
        sql.bind_list(mail.reply_to_ids.iter().cloned());
        sql.push(" ORDER BY m.id DESC LIMIT 1").push(lock);
        let (text, args) = sql.into_parts();
        let found = sqlx::query_with(&text, args)
            .fetch_optional(&mut **tx)
            .await?;
        if let Some(row) = found {
            return tickets::from_row(&row).map(Some);
        }
    }
    if let Some(number) = mail.ticket_number {
        let found = sqlx::query(&format!(
            "SELECT {} FROM tickets t WHERE t.number = $1{lock}",
            tickets::COLUMNS
        ))
        .bind(number)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = found {
            return tickets::from_row(&row).map(Some);
        }
    }
    Ok(None)
}

/// Text as the database takes it: PostgreSQL refuses NUL characters, which broken mail has.
pub(crate) fn clean(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

fn clean_opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(clean)
}

/// The message with every text field made storable.
fn storable(mail: &InboundEmail) -> InboundEmail {
    InboundEmail {
        from_email: clean_opt(&mail.from_email),
        from_name: clean_opt(&mail.from_name),
        subject: clean_opt(&mail.subject),
        message_id: clean_opt(&mail.message_id),
        reply_to_ids: mail.reply_to_ids.iter().map(|s| clean(s)).collect(),
        ticket_number: mail.ticket_number,
        body_text: clean(&mail.body_text),
        body_html: clean_opt(&mail.body_html),
        headers: mail.headers.clone(),
        // The attachments' bytes are not copied: they are stored from the original, their
        // names cleaned as they are written.
        attachments: Vec::new(),
        automatic: mail.automatic,
        problems: mail.problems.iter().map(|s| clean(s)).collect(),
        team_id: mail.team_id,
        bounce: mail.bounce.clone(),
    }
}

/// An attachment of a message stored in this transaction, written with the rest of its batch
/// by [`store_attachments`].
pub(crate) struct AttachmentRow<'a> {
    message_id: i64,
    position: i64,
    attachment: &'a InboundAttachment,
}

/// Stores a batch's attachments: their contents once each (content-addressed) and their links
/// to the messages, a few rows per statement.
pub(crate) async fn store_attachments(
    tx: &mut Tx,
    rows: &[AttachmentRow<'_>],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(crate::sql::rows_per_statement(7)) {
        let contents: Vec<&[u8]> = chunk
            .iter()
            .map(|r| r.attachment.content.as_slice())
            .collect();
        let ids = store_blobs(tx, "attachments", &contents).await?;
        let mut sql = Sql::new(
            "INSERT INTO message_attachments (message_id, attachment_id, position, filename, content_type, content_id, disposition) VALUES ",
        );
        for (i, (row, attachment_id)) in chunk.iter().zip(ids).enumerate() {
            let a = row.attachment;
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(row.message_id)
                .push(", ")
                .bind(attachment_id)
                .push(", ")
                .bind(row.position)
                .push(", ")
                .bind(clean(&a.filename))
                .push(", ")
                .bind(clean(&a.content_type))
                .push(", ")
                .bind(clean_opt(&a.content_id))
                .push(", ")
                .bind(if a.inline { "inline" } else { "attachment" })
                .push(")");
        }
        let (text, args) = sql.into_parts();
        sqlx::query_with(&text, args).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Stores one inbound message whose raw source is already stored as `raw_id`, inside the
/// caller's transaction. Returns the outcome and whether jobs were scheduled (the caller wakes
/// the worker after commit).
///
/// `check_message_id` false skips looking up the Message-ID: for a caller that already knows
/// (with one query for a whole batch) that no stored message has it.
pub(crate) async fn ingest_in<'a>(
    db: &Db,
    tx: &mut Tx,
    original: &'a InboundEmail,
    raw_id: i64,
    check_message_id: bool,
    attachments: &mut Vec<AttachmentRow<'a>>,
) -> Result<(IngestOutcome, bool), StoreError> {
    let mail = &storable(original);
    let mut problems = mail.problems.clone();
    for a in original
        .attachments
        .iter()
        .filter(|a| a.content.len() > MAX_ATTACHMENT_BYTES)
    {
        problems.push(format!(
            "attachment {:?} ({} bytes) is over the {} MB limit: not stored on its own, it stays in the raw message",
            clean(&a.filename),
            a.content.len(),
            MAX_ATTACHMENT_BYTES / (1024 * 1024)
        ));
    }
    // The same message again (same Message-ID, same bytes) is a duplicate. Another message
    // reusing a Message-ID is kept, without claiming the ID, and flagged.
    let mut claim_id = mail.message_id.clone();
    if let Some(mid) = mail.message_id.as_ref().filter(|_| check_message_id) {
        let seen: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, ticket_id, raw_message_id FROM messages WHERE email_message_id = $1",
        )
        .bind(mid)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((message_id, ticket_id, seen_raw)) = seen {
            if seen_raw == Some(raw_id) {
                return Ok((
                    IngestOutcome {
                        kind: IngestKind::Duplicate,
                        ticket_id,
                        message_id,
                        flagged: false,
                    },
                    false,
                ));
            }
            problems.push(format!("Message-ID <{mid}> was already used by message {message_id}, which has other content"));
            claim_id = None;
        }
    }
    let sender = mail
        .from_email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok());
    if sender.is_none() {
        problems.push(format!(
            "unusable sender {:?}; filed under {UNKNOWN_SENDER}",
            mail.from_email.as_deref().unwrap_or("")
        ));
    }
    let sender =
        sender.unwrap_or_else(|| EmailAddress::parse(UNKNOWN_SENDER).expect("valid placeholder"));
    let body = if mail.body_text.trim().is_empty() {
        if original.attachments.is_empty() {
            "(no text)".to_string()
        } else {
            "(attachments only)".to_string()
        }
    } else {
        mail.body_text.clone()
    };
    let mut flags: Vec<&str> = Vec::new();
    if mail.automatic {
        flags.push("automatic");
    }
    if !problems.is_empty() {
        flags.push("malformed");
    }
    let email = EmailFields {
        message_id: claim_id,
        raw_message_id: raw_id,
        headers: json!({"headers": mail.headers, "problems": problems}).to_string(),
        flags: json!(flags).to_string(),
        body_html: mail.body_html.clone(),
    };
    let inbound = Inbound {
        body: &body,
        email: Some(&email),
    };
    let at = now();
    let actor = Actor::system();
    let threaded = thread(db, tx, mail).await?;
    let (kind, ticket_id, message_id, scheduled) = match threaded {
        Some(ticket) if !ticket.status.is_final() => {
            let (ticket_id, customer_id) = (ticket.id, ticket.customer_id);
            let (message, scheduled) =
                tickets::customer_reply_to(db, tx, ticket, customer_id, Channel::Email, inbound)
                    .await?;
            (IngestKind::Reply, ticket_id, message.id, scheduled)
        }
        other => {
            let new = NewTicket {
                subject: mail
                    .subject
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| "(no subject)".into()),
                body: body.clone(),
                customer: CustomerRef {
                    email: sender.clone(),
                    name: mail.from_name.clone(),
                },
                channel: Some(Channel::Email),
                priority: None,
                category: None,
                tags: Vec::new(),
                team_id: mail.team_id,
                assignee_id: None,
            };
            let (ticket, message, scheduled) =
                tickets::create_in(db, tx, actor, None, &new, Some(inbound)).await?;
            let kind = match other {
                Some(closed) => {
                    let closed_id = closed.id;
                    sqlx::query("UPDATE tickets SET linked_ticket_id = $1 WHERE id = $2")
                        .bind(closed_id)
                        .bind(ticket.id)
                        .execute(&mut **tx)
                        .await?;
                    events::append(
                        tx,
                        actor,
                        at,
                        &[NewEvent::new(
                            "ticket",
                            ticket.id,
                            "ticket.linked",
                            json!({"follow_up_of": closed_id}),
                        )],
                    )
                    .await?;
                    IngestKind::FollowUp
                }
                None => IngestKind::NewTicket,
            };
            (kind, ticket.id, message.id, scheduled)
        }
    };
    attachments.extend(
        original
            .attachments
            .iter()
            .enumerate()
            .filter(|(_, a)| a.content.len() <= MAX_ATTACHMENT_BYTES)
            .map(|(position, attachment)| AttachmentRow {
                message_id,
                position: position as i64,
                attachment,
            }),
    );
    if !flags.is_empty() {
        events::append(
            tx,
            actor,
            at,
            &[NewEvent::new(
                "ticket",
                ticket_id,
                "email.flagged",
                json!({"message_id": message_id, "flags": flags, "problems": problems}),
            )],
        )
        .await?;
    }
    Ok((
        IngestOutcome {
            kind,
            ticket_id,
            message_id,
            flagged: !flags.is_empty(),
        },
        scheduled,
    ))
}
