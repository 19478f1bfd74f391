//! Recognising replies: Message-IDs from In-Reply-To/References, and the `[#NUMBER]` tag the
//! help desk puts in its subjects.

/// `[#10042]` (or `[Ticket#10042]`) in a subject → 10042.
pub fn subject_ticket_number(subject: &str) -> Option<i64> {
    let mut rest = subject;
    while let Some(open) = rest.find('[') {
        let inner = &rest[open + 1..];
        let Some(close) = inner.find(']') else { break };
        let tag = inner[..close].trim();
        if let Some(hash) = tag.find('#') {
            let prefix = &tag[..hash];
            let digits = &tag[hash + 1..];
            if (prefix.is_empty() || prefix.eq_ignore_ascii_case("ticket"))
                && !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
            {
                return digits.parse().ok();
            }
        }
        rest = &inner[close + 1..];
    }
    None
}

/// The Message-IDs a reply points at, most specific first: In-Reply-To, then References from
/// the newest.
pub fn message_ids(in_reply_to: Option<&str>, references: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in in_reply_to
        .into_iter()
        .chain(references.iter().rev().map(String::as_str))
    {
        let id = id.trim().trim_matches(['<', '>']).to_string();
        if !id.is_empty() && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// "Re: AW: Fwd: Subject" → "Subject".
pub fn strip_reply_prefixes(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let cut = ["re:", "aw:", "fw:", "fwd:", "wg:", "sv:", "ответ:", "re :"]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| p.len());
        match cut {
            Some(n) => s = s[n..].trim_start(),
            None => return s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_ticket_tag() {
        assert_eq!(subject_ticket_number("Re: Printer [#10042]"), Some(10042));
        assert_eq!(
            subject_ticket_number("AW: [Ticket#11162] Betatest"),
            Some(11162)
        );
        assert_eq!(subject_ticket_number("Order [#abc] and [#77]"), Some(77));
        assert_eq!(subject_ticket_number("No tag [x] here"), None);
    }

    #[test]
    fn reply_ids_most_specific_first_without_brackets_or_repeats() {
        let ids = message_ids(Some("<b@x>"), &["<a@x>".into(), "<b@x>".into()]);
        assert_eq!(ids, vec!["b@x".to_string(), "a@x".to_string()]);
    }

    #[test]
    fn strips_reply_prefixes_in_several_languages() {
        assert_eq!(strip_reply_prefixes("Re: AW: Fwd: Hello"), "Hello");
        assert_eq!(strip_reply_prefixes("Hello"), "Hello");
    }
}
