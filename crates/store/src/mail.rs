//! Storing inbound email: the raw message first (content-addressed, so nothing accepted is ever
//! lost), then a new ticket or a reply threaded onto one, with attachments stored once. The same
//! Message-ID twice yields one message. The parsing itself is `ferrodesk_mail`; the caller
//! hands over what it found as an [`InboundEmail`].

use serde_json::Value;

use crate::sql::Sql;

use crate::tickets::{self};
use crate::{Db, StoreError, Tx};

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
pub const UNKNOWN_SENDER: &str = "unknown-sender@ferrodesk.invalid";

/// The ticket an email replies to, read (and on PostgreSQL locked) for the reply: by
/// Message-ID first, then by the subject's `[#NUMBER]`.
pub async fn thread(
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
pub fn clean(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

pub fn clean_opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(clean)
}

/// An attachment of a message stored in this transaction, written with the rest of its batch
/// by [`store_attachments`].
pub struct AttachmentRow<'a> {
    pub message_id: i64,
    pub position: i64,
    pub attachment: &'a InboundAttachment,
}

/// Stores a batch's attachments: their contents once each (content-addressed) and their links
/// to the messages, a few rows per statement.
pub async fn store_attachments(tx: &mut Tx, rows: &[AttachmentRow<'_>]) -> Result<(), StoreError> {
    for chunk in rows.chunks(crate::sql::rows_per_statement(7)) {
        let contents: Vec<&[u8]> = chunk
            .iter()
            .map(|r| r.attachment.content.as_slice())
            .collect();
        let ids = crate::blobs::store_blobs(tx, "attachments", &contents).await?;
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
