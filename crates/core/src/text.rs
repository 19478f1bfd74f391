//! Bounded, non-empty text fields: subjects, message bodies, names.

use crate::ParseError;

pub const MAX_SUBJECT_CHARS: usize = 300;
pub const MAX_NAME_CHARS: usize = 200;
/// Message bodies above this are refused; attachments carry large content.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
pub const MAX_TAG_CHARS: usize = 64;
pub const MAX_TAGS: usize = 50;
pub const MAX_CATEGORY_CHARS: usize = 100;

/// Trims `input` and checks it is non-empty and at most `max_chars` characters.
pub fn required(field: &'static str, input: &str, max_chars: usize) -> Result<String, ParseError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(ParseError::new(field, "must not be empty"));
    }
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
