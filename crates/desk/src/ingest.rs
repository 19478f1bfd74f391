//! Inbound email into tickets: threading a message onto the ticket it answers or opening a new
//! one, bounces onto the message they report, and the reactions a customer's mail triggers.
//! The mail's storage (raw source, content-addressed blobs, attachments) is `store::mail`.

use ferrodesk_core::{Channel, EmailAddress, text};
use serde_json::json;

use ferrodesk_store::events::{self, Actor, NewEvent};
use ferrodesk_store::mail::{
    AttachmentRow, InboundEmail, IngestKind, IngestOutcome, MAX_ATTACHMENT_BYTES, UNKNOWN_SENDER,
    clean, clean_opt, thread,
};
use ferrodesk_store::tickets::{CustomerRef, EmailFields, Inbound, NewTicket};

use crate::tickets;
use ferrodesk_store::{Db, StoreError, Tx, now};

/// The message with every text field made storable.
fn storable(mail: &InboundEmail) -> InboundEmail {
    InboundEmail {
        from_email: clean_opt(&mail.from_email),
        from_name: clean_opt(&mail.from_name).map(|s| text::without_controls(&s)),
        // Headers may carry control characters (a subject field refuses them): stored as spaces.
        subject: clean_opt(&mail.subject).map(|s| text::without_controls(&s)),
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

/// Stores one inbound message whose raw source is already stored as `raw_id`, inside the
/// caller's transaction. Returns the outcome and whether jobs were scheduled (the caller wakes
/// the worker after commit).
///
/// `check_message_id` false skips looking up the Message-ID: for a caller that already knows
/// (with one query for a whole batch) that no stored message has it.
pub async fn ingest_in<'a>(
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
