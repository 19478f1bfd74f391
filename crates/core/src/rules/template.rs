//! `{{name}}` placeholders in reply templates.

/// Replaces `{{key}}` (spaces inside the braces allowed) with its value; unknown keys become
/// empty, so a template never leaks its own syntax to a customer.
pub fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = after[..end].trim();
                if let Some((_, v)) = values.iter().find(|(k, _)| *k == key) {
                    out.push_str(v);
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_and_drops_unknown_placeholders() {
        let v = [("ticket.number", "10042"), ("customer.name", "Анна")];
        assert_eq!(
            render(
                "Hi {{ customer.name }}, ticket #{{ticket.number}}{{nope}}.",
                &v
            ),
            "Hi Анна, ticket #10042."
        );
        assert_eq!(render("unclosed {{ brace", &v), "unclosed {{ brace");
        assert_eq!(render("", &v), "");
    }
}
