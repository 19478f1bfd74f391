//! Bounded, non-empty text fields: subjects, message bodies, names.

use crate::ParseError;

pub const MAX_SUBJECT_CHARS: usize = 300;
pub const MAX_NAME_CHARS: usize = 200;
/// Message bodies above this are refused; attachments carry large content.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
pub const MAX_TAG_CHARS: usize = 64;
pub const MAX_TAGS: usize = 50;
pub const MAX_CATEGORY_CHARS: usize = 100;

/// Control characters no text field takes: all but tab, line feed and carriage return.
/// (PostgreSQL refuses NUL in text; the rest are invisible and break other systems.)
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn refuse_controls(field: &'static str, input: &str) -> Result<(), ParseError> {
    match input.chars().find(|c| is_forbidden_control(*c)) {
        Some(c) => Err(ParseError::new(
            field,
            format!(
                "contains the control character U+{:04X}; only tab and line breaks are allowed",
                c as u32
            ),
        )),
        None => Ok(()),
    }
}

/// `input` with every forbidden control character replaced by a space: for text that must be
/// stored whatever it holds (a received email's subject), never refused.
pub fn without_controls(input: &str) -> String {
    if input.chars().any(is_forbidden_control) {
        input
            .chars()
            .map(|c| if is_forbidden_control(c) { ' ' } else { c })
            .collect()
    } else {
        input.to_string()
    }
}

/// Trims `input` and checks it is non-empty, at most `max_chars` characters and free of
/// control characters other than tab and line breaks.
pub fn required(field: &'static str, input: &str, max_chars: usize) -> Result<String, ParseError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(ParseError::new(field, "must not be empty"));
    }
    refuse_controls(field, t)?;
    let n = t.chars().count();
    if n > max_chars {
        return Err(ParseError::new(
            field,
            format!("is {n} characters long; at most {max_chars} are allowed"),
        ));
    }
    Ok(t.to_string())
}

/// Like [`required`] but an empty value means "none".
pub fn optional(
    field: &'static str,
    input: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, ParseError> {
    match input.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => required(field, t, max_chars).map(Some),
    }
}

/// A message body: keeps inner whitespace (it is the customer's text) but refuses empty and
/// oversize bodies.
pub fn body(input: &str) -> Result<String, ParseError> {
    if input.trim().is_empty() {
        return Err(ParseError::new("body", "must not be empty"));
    }
    refuse_controls("body", input)?;
    if input.len() > MAX_BODY_BYTES {
        return Err(ParseError::new(
            "body",
            format!(
                "is {} bytes; at most {MAX_BODY_BYTES} are allowed (send large content as an attachment)",
                input.len()
            ),
        ));
    }
    Ok(input.trim_end().to_string())
}

/// Normalises tags: trimmed, lower case, unique, in first-seen order.
pub fn tags(input: &[String]) -> Result<Vec<String>, ParseError> {
    if input.len() > MAX_TAGS {
        return Err(ParseError::new(
            "tags",
            format!("at most {MAX_TAGS} tags are allowed; got {}", input.len()),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(input.len());
    for raw in input {
        let t = raw.trim().to_lowercase();
        if t.is_empty() {
            return Err(ParseError::new("tags", "a tag must not be empty"));
        }
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(ParseError::new(
                "tags",
                format!("tag {t:?} is longer than {MAX_TAG_CHARS} characters"),
            ));
        }
        if t.chars().any(|c| c.is_control() || c == ',') {
            return Err(ParseError::new(
                "tags",
                format!("tag {t:?} contains a comma or a control character"),
            ));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_other_than_tab_and_line_breaks_are_refused() {
        let err = required("subject", "Printer\0 on fire", 100).unwrap_err();
        assert_eq!(err.field, "subject");
        assert!(err.message.contains("U+0000"), "{}", err.message);
        assert!(required("subject", "bell\u{7}", 100).is_err());
        assert!(required("subject", "esc\u{1b}[31m", 100).is_err());
        assert!(required("subject", "tab\there", 100).is_ok());
        assert!(body("line one\r\nline two\n\tindented").is_ok());
        assert!(body("nul\0byte").is_err());
        assert_eq!(without_controls("a\0b\u{1b}c\td"), "a b c\td");
    }

    #[test]
    fn required_trims_and_bounds() {
        assert_eq!(required("subject", "  Hi ", 10).unwrap(), "Hi");
        assert!(required("subject", "   ", 10).is_err());
        let err = required("subject", "абвгдеёжзий", 10).unwrap_err();
        assert!(err.message.contains("11 characters"), "{err}");
    }

    #[test]
    fn tags_are_normalised_and_deduplicated() {
        let t = tags(&["VIP".into(), " vip ".into(), "Оплата".into()]).unwrap();
        assert_eq!(t, vec!["vip", "оплата"]);
        assert!(tags(&["a,b".into()]).is_err());
        assert!(tags(&["".into()]).is_err());
    }

    #[test]
    fn body_limits() {
        assert!(body(" \n ").is_err());
        assert!(body(&"x".repeat(MAX_BODY_BYTES + 1)).is_err());
        assert_eq!(body("line\n\n").unwrap(), "line");
    }
}
