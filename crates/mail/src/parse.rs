//! Parsing a raw message into what the help desk needs. Never fails: what cannot be read is
//! left empty and listed in `problems`, and the raw bytes are kept by the caller.

use mail_parser::{Address, Encoding, HeaderValue, MessageParser, MimeHeaders};
use md5::{Digest, Md5};
use serde::Serialize;

use crate::attachments::{GeneratedNames, fallback_name, lenient_base64};
use crate::html::{html_to_text, sanitize_html};

/// What the parser sees in a message (`ferrodesk mail parse FILE --json` prints this).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedMail {
    pub from_email: Option<String>,
    pub from_display_name: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub reply_to: Option<String>,
    pub subject: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// `text/plain` or `text/html`: which body the message leads with.
    pub content_type: String,
    pub body_text: String,
    /// Sanitised: safe to show in the agent's browser.
    pub body_html: Option<String>,
    pub attachments: Vec<ParsedAttachment>,
    /// Auto-Submitted, bulk/list precedence, auto-reply markers, bounces.
    pub automatic: bool,
    /// What was wrong with the message, if anything (it is still ingested).
    pub problems: Vec<String>,
    /// Set when the message reports that a message we sent could not be delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounce: Option<crate::Bounce>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAttachment {
    pub filename: String,
    pub size: usize,
    pub content_type: String,
    pub content_id: Option<String>,
    pub inline: bool,
    pub content: Vec<u8>,
}

impl ParsedAttachment {
    /// The content's MD5, hex: computed when asked (ingest never needs it).
    pub fn md5(&self) -> String {
        hex(&Md5::digest(&self.content))
    }
}

/// `{"filename","size","md5","content_type","content_id","inline"}`, without the bytes.
impl Serialize for ParsedAttachment {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("ParsedAttachment", 6)?;
        s.serialize_field("filename", &self.filename)?;
        s.serialize_field("size", &self.size)?;
        s.serialize_field("md5", &self.md5())?;
        s.serialize_field("content_type", &self.content_type)?;
        s.serialize_field("content_id", &self.content_id)?;
        s.serialize_field("inline", &self.inline)?;
        s.end()
    }
}

fn addresses(a: Option<&Address<'_>>) -> Vec<String> {
    a.map(|a| {
        a.iter()
            .filter_map(|addr| {
                let email = addr.address()?.trim();
                Some(match addr.name().map(str::trim).filter(|n| !n.is_empty()) {
                    Some(name) => format!("{name} <{email}>"),
                    None => email.to_string(),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

fn id_list(v: &HeaderValue<'_>) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|s| s.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses `raw`. A message mail-parser cannot read at all yields an empty `ParsedMail` with a
/// problem noted and the raw text (lossily decoded) as its body.
pub fn parse(raw: &[u8]) -> ParsedMail {
    let Some(msg) = MessageParser::default().parse(raw) else {
        return ParsedMail {
            content_type: "text/plain".into(),
            body_text: String::from_utf8_lossy(raw).into_owned(),
            problems: vec!["the message could not be parsed; its raw text is kept".into()],
            ..Default::default()
        };
    };
    let mut out = ParsedMail::default();
    if let Some(from) = msg.from().and_then(|a| a.first()) {
        out.from_email = from
            .address()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
        out.from_display_name = from
            .name()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
    }
    if out.from_email.is_none() {
        out.problems.push("no sender address (From)".into());
    }
    out.to = addresses(msg.to());
    out.cc = addresses(msg.cc());
    out.reply_to = msg
        .reply_to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(str::to_string);
    out.subject = msg.subject().map(|s| s.trim().to_string());
    out.message_id = msg.message_id().map(str::to_string);
    out.in_reply_to = id_list(msg.in_reply_to()).into_iter().next();
    out.references = id_list(msg.references());

    let html = msg.body_html(0).map(|h| h.into_owned());
    // mail-parser offers an HTML rendering of plain-text messages too; the message leads with
    // HTML when it really has an HTML part.
    let leads_with_html = msg.html_part(0).is_some_and(|p| p.is_text_html());
    out.content_type = if leads_with_html {
        "text/html".into()
    } else {
        "text/plain".into()
    };
    out.body_text = match msg.text_part(0) {
        Some(p) if !p.is_text_html() => p.text_contents().unwrap_or_default().to_string(),
        _ => html.as_deref().map(html_to_text).unwrap_or_default(),
    };
    out.body_html = html.as_deref().map(sanitize_html);
    if out.body_text.trim().is_empty() && out.attachments.is_empty() && msg.attachment_count() == 0
    {
        out.problems.push("the message has no readable body".into());
    }
    let raw_message = msg.raw_message();
    let mut generated = GeneratedNames::default();
    for (i, part) in msg.attachments().enumerate() {
        let mut content = part.contents().to_vec();
        // Base64 that mail-parser cuts short (a broken last quantum, stray characters) is
        // decoded the way mail clients do, to every complete byte, and the message flagged.
        // (When it cannot decode, mail-parser keeps the text and forgets the encoding.)
        let base64 = part.encoding == Encoding::Base64
            || part
                .content_transfer_encoding()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"));
        if base64 {
            let raw = raw_message
                .get(part.raw_body_offset() as usize..part.raw_end_offset() as usize)
                .unwrap_or_default();
            let (lenient, broken) = lenient_base64(raw);
            if broken || lenient.len() != content.len() {
                // mail-parser either stopped early or kept the undecoded text.
                if broken || (lenient.len() > content.len() && lenient.starts_with(&content)) {
                    content = lenient;
                }
                out.problems.push(format!(
                    "attachment {}: its base64 is broken; every complete byte was kept",
                    i + 1
                ));
            }
        }
        let content_type = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(sub) => format!("{}/{}", c.ctype(), sub),
                None => c.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        let inline = part.content_disposition().is_some_and(|d| d.is_inline())
            || (part.content_id().is_some() && part.attachment_name().is_none());
        let filename = part
            .attachment_name()
            .map(str::to_string)
            .filter(|n| !n.trim().is_empty())
            .or_else(|| {
                part.message()
                    .and_then(|m| m.subject())
                    .map(|s| format!("{s}.eml"))
            })
            .unwrap_or_else(|| {
                match fallback_name(part.content_id(), part.content_description(), &content_type) {
                    (name, true) => generated.take(&name),
                    (name, false) => name,
                }
            });
        out.attachments.push(ParsedAttachment {
            filename,
            size: content.len(),
            content_type,
            content_id: part
                .content_id()
                .map(|c| c.trim_matches(['<', '>']).to_string()),
            inline,
            content,
        });
    }
    out.automatic = crate::is_automatic(&msg);
    out.bounce = crate::bounce_report(&msg);
    out
}
