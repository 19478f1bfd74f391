//! Ferrodesk's email channel: parse what arrives (every charset, malformed messages included),
//! recognise replies and automatic mail, and make HTML safe to show.

mod attachments;
mod automatic;
mod bounce;
mod html;
mod parse;
mod thread;

pub use automatic::is_automatic;
pub use bounce::{Bounce, bounce_report};
pub use html::{html_to_text, sanitize_html};
pub use parse::{ParsedAttachment, ParsedMail, parse};
pub use thread::{message_ids, strip_reply_prefixes, subject_ticket_number};
