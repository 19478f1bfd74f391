//! Recognising mail that no human wrote: auto-replies, bulk and list mail, bounces. The help
//! desk never auto-replies to these, which is what breaks mail loops.

use mail_parser::{Message, MimeHeaders};

/// Whether `msg` was sent automatically.
pub fn is_automatic(msg: &Message<'_>) -> bool {
    let header = |name: &str| {
        msg.headers_raw()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    if header("Auto-Submitted").is_some_and(|v| v != "no") {
        return true;
    }
    if header("Precedence")
        .is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "list" | "auto_reply"))
    {
        return true;
    }
    if [
        "X-Autoreply",
        "X-Autorespond",
        "X-Auto-Response-Suppress",
        "List-Id",
        "List-Unsubscribe",
        "X-Loop",
    ]
    .iter()
    .any(|h| header(h).is_some())
    {
        return true;
    }
    let from = msg
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let local = from.split('@').next().unwrap_or_default();
    if matches!(
        local,
        "mailer-daemon" | "postmaster" | "noreply" | "no-reply" | "donotreply" | "do-not-reply"
    ) {
        return true;
    }
    msg.content_type().is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart")
            && c.subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    })
}

#[cfg(test)]
mod tests {
    use mail_parser::MessageParser;

    fn auto(raw: &str) -> bool {
        super::is_automatic(&MessageParser::default().parse(raw.as_bytes()).unwrap())
    }

    #[test]
    fn recognises_automatic_mail() {
        assert!(auto(
            "From: a@example.com\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\nAway"
        ));
        assert!(auto(
            "From: a@example.com\r\nPrecedence: bulk\r\nSubject: News\r\n\r\nx"
        ));
        assert!(auto(
            "From: MAILER-DAEMON@mx.example.com\r\nSubject: Undelivered\r\n\r\nx"
        ));
        assert!(auto(
            "From: a@example.com\r\nX-Autoreply: yes\r\nSubject: x\r\n\r\nx"
        ));
        assert!(!auto(
            "From: a@example.com\r\nAuto-Submitted: no\r\nSubject: Help\r\n\r\nPlease help"
        ));
        assert!(!auto(
            "From: a@example.com\r\nSubject: Help\r\n\r\nPlease help"
        ));
    }
}
