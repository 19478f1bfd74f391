//! Fluent translations (English and Russian), embedded in the binary. Every key exists in both
//! locales (a test checks); Russian plurals come from Fluent's CLDR rules.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

/// Each locale is `main.ftl` followed by `kb.ftl` (the knowledge base's strings, kept apart so
/// branches touching different features edit different files).
pub const EN_FTL: &str = concat!(
    include_str!("../../locales/en/main.ftl"),
    "\n",
    include_str!("../../locales/en/kb.ftl")
);
pub const RU_FTL: &str = concat!(
    include_str!("../../locales/ru/main.ftl"),
    "\n",
    include_str!("../../locales/ru/kb.ftl")
);

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// `ru`, `ru-RU` → Russian; anything else → English.
    pub fn parse(s: &str) -> Lang {
        if s.trim().to_ascii_lowercase().starts_with("ru") {
            Lang::Ru
        } else {
            Lang::En
        }
    }

    /// The first supported language of an `Accept-Language` header.
    pub fn from_accept(header: Option<&str>) -> Lang {
        let Some(h) = header else { return Lang::En };
        for part in h.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("ru") {
                return Lang::Ru;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Ru => 1,
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang, source: &str) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("valid language id");
    let mut b = FluentBundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    let res = FluentResource::try_new(source.to_owned()).expect("the .ftl file parses");
    b.add_resource(res).expect("no duplicate keys");
    b
}

fn bundles() -> &'static [Bundle; 2] {
    static B: OnceLock<[Bundle; 2]> = OnceLock::new();
    B.get_or_init(|| [bundle(Lang::En, EN_FTL), bundle(Lang::Ru, RU_FTL)])
}

/// Formats `key` in `lang`; a missing key shows as the key itself (and fails the tests).
pub fn message(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    let b = &bundles()[lang.index()];
    let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut errors = Vec::new();
    b.format_pattern(pattern, args, &mut errors).into_owned()
}

/// The translator handed to templates.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> String {
        message(self.0, key, None)
    }

    /// A message with a `$count` (plural forms).
    pub fn n(&self, key: &str, count: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        message(self.0, key, Some(&args))
    }

    /// A message with one named string argument.
    pub fn a(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_owned()));
        message(self.0, key, Some(&args))
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }
}

/// The keys of a .ftl source.
pub fn keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('-'))
        .filter_map(|l| l.split_once(" ="))
        .map(|(k, _)| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_both_locales() {
        let en = keys(EN_FTL);
        let ru = keys(RU_FTL);
        assert!(en.len() > 50);
        for k in &en {
            assert!(ru.contains(k), "ru lacks {k}");
        }
        for k in &ru {
            assert!(en.contains(k), "en lacks {k}");
        }
        for k in &en {
            for lang in Lang::ALL {
                assert_ne!(
                    message(lang, k, None),
                    *k,
                    "{k} does not format in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn russian_plurals() {
        let tr = Tr(Lang::Ru);
        assert_eq!(tr.n("count-tickets", 1), "1 обращение");
        assert_eq!(tr.n("count-tickets", 3), "3 обращения");
        assert_eq!(tr.n("count-tickets", 5), "5 обращений");
        assert_eq!(tr.n("count-tickets", 21), "21 обращение");
        assert_eq!(tr.n("count-tickets", 12), "12 обращений");
        let en = Tr(Lang::En);
        assert_eq!(en.n("count-tickets", 1), "1 ticket");
        assert_eq!(en.n("count-tickets", 2), "2 tickets");
        assert_eq!(tr.n("search-count", 1), "1 результат");
        assert_eq!(tr.n("search-count", 22), "22 результата");
        assert_eq!(tr.n("search-count", 11), "11 результатов");
        assert_eq!(en.n("search-count", 1), "1 result");
    }
}
