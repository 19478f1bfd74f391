//! From a raw message to what the store ingests: parse it (`ferrodesk_mail`) and hand over the
//! fields, threading hints and attachments.

use ferrodesk_store::mail::{BounceReport, InboundAttachment, InboundEmail};
use serde_json::json;

pub fn inbound(raw: &[u8]) -> InboundEmail {
    let p = ferrodesk_mail::parse(raw);
    let reply_to_ids = ferrodesk_mail::message_ids(p.in_reply_to.as_deref(), &p.references);
    let ticket_number = p
        .subject
        .as_deref()
        .and_then(ferrodesk_mail::subject_ticket_number);
    let headers = json!({
        "from": p.from_email, "from_name": p.from_display_name, "to": p.to, "cc": p.cc, "reply_to": p.reply_to,
        "subject": p.subject, "message_id": p.message_id, "in_reply_to": p.in_reply_to, "references": p.references,
        "content_type": p.content_type,
    });
    InboundEmail {
        from_email: p.from_email,
        from_name: p.from_display_name,
        subject: p.subject,
        message_id: p.message_id,
        reply_to_ids,
        ticket_number,
        body_text: p.body_text,
        body_html: p.body_html,
        headers,
        attachments: p
            .attachments
            .into_iter()
            .map(|a| InboundAttachment {
                filename: a.filename,
                content_type: a.content_type,
                content_id: a.content_id,
                inline: a.inline,
                content: a.content,
            })
            .collect(),
        automatic: p.automatic,
        problems: p.problems,
        team_id: None,
        bounce: p.bounce.map(|b| BounceReport {
            original_message_id: b.original_message_id,
            recipient: b.recipient,
            status: b.status,
            reason: b.reason,
        }),
    }
}
