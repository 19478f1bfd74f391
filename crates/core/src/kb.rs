//! Knowledge-base rules: article states, locales, and the slugs of SEO-friendly URLs.

use crate::wire_enum;

wire_enum!(
    /// A draft is seen by agents only; a published article goes live at `publish_at`, if set.
    ArticleStatus, "status" {
        Draft => "draft",
        Published => "published",
    }
);

wire_enum!(
    /// An `article`, or an `faq` entry (a question with its answer) listed on its category's
    /// FAQ page.
    ArticleKind, "kind" {
        Article => "article",
        Faq => "faq",
    }
);

wire_enum!(
    /// The languages the help center is written in.
    Locale, "locale" {
        En => "en",
        Ru => "ru",
    }
);

/// Whether an article is visible as published at `now_us` (microseconds since the epoch).
pub fn is_live(status: ArticleStatus, publish_at_us: Option<i64>, now_us: i64) -> bool {
    status == ArticleStatus::Published && publish_at_us.is_none_or(|at| at <= now_us)
}

/// A URL slug: lower-case ASCII words joined by `-`, Cyrillic transliterated, at most 80 bytes.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let piece: &str = match c {
            'a'..='z' | '0'..='9' => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(c);
                continue;
            }
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            _ => {
                dash = true;
                continue;
            }
        };
        if piece.is_empty() {
            continue;
        }
        if dash && !out.is_empty() {
            out.push('-');
        }
        dash = false;
        out.push_str(piece);
    }
    if out.len() > 80 {
        out.truncate(80);
        while out.ends_with('-') {
            out.pop();
        }
    }
    if out.is_empty() {
        out.push_str("article");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_transliterate_russian() {
        assert_eq!(
            slug("How do I reset my password?"),
            "how-do-i-reset-my-password"
        );
        assert_eq!(slug("Оплата счёта картой"), "oplata-scheta-kartoi");
        assert_eq!(slug("  --  "), "article");
        assert!(slug(&"word ".repeat(40)).len() <= 80);
    }

    #[test]
    fn scheduled_articles_go_live_at_their_time() {
        assert!(is_live(ArticleStatus::Published, None, 5));
        assert!(is_live(ArticleStatus::Published, Some(5), 5));
        assert!(!is_live(ArticleStatus::Published, Some(6), 5));
        assert!(!is_live(ArticleStatus::Draft, None, 5));
    }
}
