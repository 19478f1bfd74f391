//! Email HTML made safe to show, and plain text for search and previews.

/// Removes scripts, event handlers, forms and other active content; keeps formatting, links
/// (opened safely) and inline `cid:` images.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("nofollow noreferrer noopener"))
        .url_schemes(
            ["http", "https", "mailto", "cid", "tel"]
                .into_iter()
                .collect(),
        )
        .clean(html)
        .to_string()
}

/// Plain text from HTML: block elements become line breaks, tags are dropped, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if let Some(end) = skip_until {
            if tag.starts_with('/') && name == end {
                skip_until = None;
            }
        } else if matches!(name, "script" | "style" | "head" | "title") && !tag.starts_with('/') {
            skip_until = Some(match name {
                "script" => "script",
                "style" => "style",
                "head" => "head",
                _ => "title",
            });
        } else if matches!(
            name,
            "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "blockquote" | "table"
        ) && !out.ends_with('\n')
        {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    if skip_until.is_none() {
        out.push_str(&decode_entities(rest));
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    let mut text = lines.join("\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text.trim().to_string()
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &after[..e];
            let ch = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
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
    fn active_content_is_removed_and_images_by_cid_kept() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:evil()">x</a><img src="cid:logo@x"><a href="https://example.com">ok</a></p>"#;
        let clean = sanitize_html(dirty);
        assert!(
            !clean.contains("script")
                && !clean.contains("onclick")
                && !clean.contains("javascript"),
            "{clean}"
        );
        assert!(clean.contains(r#"src="cid:logo@x""#), "{clean}");
        assert!(clean.contains("noopener"), "{clean}");
    }

    #[test]
    fn text_from_html_keeps_lines_and_decodes_entities() {
        let text = html_to_text(
            "<html><head><style>p{}</style></head><body><p>Hallo&nbsp;Martin,</p><div>5 &lt; 6 &amp; &#1087;&#x440;&#1080;</div><br>Ende</body></html>",
        );
        assert_eq!(
            text,
            "Hallo Martin,\n5 < 6 & при\nЕнде".replace("Енде", "Ende")
        );
    }
}
