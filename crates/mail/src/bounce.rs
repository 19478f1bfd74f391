//! Bounces: a delivery status notification (RFC 3464, `multipart/report;
//! report-type=delivery-status`) or a mailer-daemon's plain-text report about a message we
//! sent. What matters is which message failed (its Message-ID), for whom and why.

use mail_parser::{Message, MessageParser, MimeHeaders};

/// What a bounce says about the message it reports on.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Bounce {
    pub original_message_id: Option<String>,
    pub recipient: Option<String>,
    /// e.g. `5.1.1`
    pub status: Option<String>,
    pub reason: String,
}

fn content_type<'a>(part: &impl MimeHeaders<'a>) -> String {
    part.content_type()
        .map(|c| match c.subtype() {
            Some(sub) => format!("{}/{}", c.ctype(), sub).to_ascii_lowercase(),
            None => c.ctype().to_ascii_lowercase(),
        })
        .unwrap_or_default()
}

/// `Name: value` of the first field `name` (case-insensitive) in a block of header-like lines,
/// with continuation lines joined.
fn field(text: &str, name: &str) -> Option<String> {
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case(name) {
            continue;
        }
        let mut value = value.trim().to_string();
        while let Some(next) = lines.peek() {
            if next.starts_with([' ', '\t']) {
                value.push(' ');
                value.push_str(next.trim());
                lines.next();
            } else {
                break;
            }
        }
        return Some(value);
    }
    None
}

/// `rfc822; someone@example.com` → `someone@example.com`.
fn after_type(value: &str) -> String {
    value
        .split_once(';')
        .map(|(_, v)| v)
        .unwrap_or(value)
        .trim()
        .to_string()
}

fn message_id_in(text: &str) -> Option<String> {
    field(text, "Message-ID").map(|v| v.trim().trim_matches(['<', '>']).to_string())
}

/// The report on a failed delivery, if `msg` is one. Delays and successes are not bounces.
pub fn bounce_report(msg: &Message<'_>) -> Option<Bounce> {
    let is_report = content_type(msg.root_part()) == "multipart/report";
    let from_daemon = msg
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(|a| a.to_ascii_lowercase())
        .is_some_and(|a| a.starts_with("mailer-daemon@") || a.starts_with("postmaster@"));
    if !is_report && !from_daemon {
        return None;
    }
    let mut bounce = Bounce::default();
    let mut status_text = None;
    for part in &msg.parts {
        let ct = content_type(part);
        match ct.as_str() {
            "message/delivery-status" | "message/global-delivery-status" => {
                status_text = Some(String::from_utf8_lossy(part.contents()).into_owned());
            }
            "message/rfc822" | "message/global" if bounce.original_message_id.is_none() => {
                bounce.original_message_id = part
                    .message()
                    .and_then(|m| m.message_id())
                    .map(str::to_string);
            }
            "text/rfc822-headers" | "message/global-headers"
                if bounce.original_message_id.is_none() =>
            {
                let headers = String::from_utf8_lossy(part.contents());
                bounce.original_message_id = MessageParser::default()
                    .parse_headers(headers.as_bytes())
                    .and_then(|m| m.message_id().map(str::to_string))
                    .or_else(|| message_id_in(&headers));
            }
            _ => {}
        }
    }
    if let Some(text) = &status_text {
        // Per-recipient fields follow the per-message ones after a blank line; the fields
        // we read are unique enough to take the first of each.
        if let Some(action) = field(text, "Action") {
            let action = action.to_ascii_lowercase();
            if !action.starts_with("failed") {
                return None;
            }
        }
        bounce.recipient = field(text, "Final-Recipient")
            .or_else(|| field(text, "Original-Recipient"))
            .map(|v| after_type(&v));
        bounce.status = field(text, "Status").map(|s| s.trim().to_string());
        if bounce
            .status
            .as_deref()
            .is_some_and(|s| !s.starts_with('5') && !s.starts_with('4'))
        {
            return None;
        }
        bounce.reason = field(text, "Diagnostic-Code")
            .map(|v| after_type(&v))
            .unwrap_or_default();
    }
    let body = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    if bounce.original_message_id.is_none() {
        // A plain-text report quotes the returned message after the explanation: the first
        // Message-ID in the body that is not the report's own.
        let own = msg.message_id().unwrap_or_default();
        bounce.original_message_id = body
            .split("\n")
            .filter_map(|line| {
                let (k, v) = line.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case("Message-ID")
                    .then(|| v.trim().trim_matches(['<', '>']).to_string())
            })
            .find(|id| !id.is_empty() && id != own);
    }
    if bounce.reason.is_empty() {
        bounce.reason = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        bounce.reason.truncate(
            bounce
                .reason
                .char_indices()
                .nth(300)
                .map_or(bounce.reason.len(), |(i, _)| i),
        );
    }
    if bounce.reason.is_empty() {
        bounce.reason = "the message could not be delivered".into();
    }
    (status_text.is_some() || bounce.original_message_id.is_some()).then_some(bounce)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(raw: &str) -> Option<Bounce> {
        let msg = MessageParser::default().parse(raw.as_bytes()).unwrap();
        bounce_report(&msg)
    }

    const DSN: &str = "From: MAILER-DAEMON@mail.example.test (Mail Delivery System)\r\n\
To: support@example.test\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
Auto-Submitted: auto-replied\r\n\
Message-ID: <dsn-1@mail.example.test>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\
\r\n\
--B\r\n\
Content-Type: text/plain\r\n\
\r\n\
I'm sorry to have to inform you that your message could not be delivered.\r\n\
--B\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mail.example.test\r\n\
\r\n\
Final-Recipient: rfc822; nobody@example.test\r\n\
Original-Recipient: rfc822;nobody@example.test\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Diagnostic-Code: x-unix; user unknown\r\n\
--B\r\n\
Content-Type: text/rfc822-headers\r\n\
\r\n\
From: Support <support@example.test>\r\n\
To: nobody@example.test\r\n\
Subject: Re: Help [#42]\r\n\
Message-ID: <ferrodesk.7.42@example.test>\r\n\
--B--\r\n";

    #[test]
    fn a_dsn_names_the_failed_message_recipient_and_reason() {
        let b = report(DSN).expect("a bounce");
        assert_eq!(
            b.original_message_id.as_deref(),
            Some("ferrodesk.7.42@example.test")
        );
        assert_eq!(b.recipient.as_deref(), Some("nobody@example.test"));
        assert_eq!(b.status.as_deref(), Some("5.1.1"));
        assert_eq!(b.reason, "user unknown");
    }

    #[test]
    fn a_delay_notice_is_not_a_bounce() {
        let delayed = DSN
            .replace("Action: failed", "Action: delayed")
            .replace("Status: 5.1.1", "Status: 4.4.1");
        assert_eq!(report(&delayed), None);
    }

    #[test]
    fn a_plain_text_mailer_daemon_report_is_matched_by_the_quoted_message_id() {
        let raw = "From: Mailer-Daemon@old.example.org\r\nTo: support@example.test\r\n\
Subject: failure notice\r\nMessage-ID: <own@old.example.org>\r\n\r\n\
Sorry, we were unable to deliver your message to the following address.\r\n\
<gone@example.org>: mailbox unavailable\r\n\r\n--- Below this line is a copy of the message.\r\n\
Message-ID: <ferrodesk.9.1@example.test>\r\nSubject: Re: x\r\n";
        let b = report(raw).expect("a bounce");
        assert_eq!(
            b.original_message_id.as_deref(),
            Some("ferrodesk.9.1@example.test")
        );
        assert!(b.reason.contains("unable to deliver"), "{}", b.reason);
    }

    #[test]
    fn an_ordinary_message_is_not_a_bounce() {
        let raw = "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\nMessage-ID: <x@y>\r\n\r\nMessage-ID: <z@y>\r\n";
        assert_eq!(report(raw), None);
    }
}
