//! The text analyzer shared by indexing and querying: words split on anything that is not a
//! letter or digit, lowercased, `ё` folded to `е`, stop words dropped, and each word stemmed by
//! its script — Cyrillic with the Russian Snowball stemmer, Latin with the English one. Mixed
//! Russian/English text (common in support mail) is therefore stemmed word by word.

use std::borrow::Cow;

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The name the analyzer is registered under in the index.
pub const ANALYZER: &str = "ferrodesk";

/// English words too common to tell documents apart (Lucene's list plus pronouns, auxiliaries
/// and question words, which fill support questions: "how do I …", "can you …").
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with", "i", "me", "my", "you", "your", "we", "our", "do",
    "does", "did", "how", "what", "can", "am", "been", "has", "have", "had", "its", "so", "would",
    "should", "could", "which", "who", "whom", "when", "where", "why", "any", "some", "from",
    "about", "get", "im", "here", "way", "s", "t",
];

/// Russian function words (after folding ё to е).
const RUSSIAN_STOP_WORDS: &[&str] = &[
    "и",
    "в",
    "во",
    "не",
    "что",
    "он",
    "на",
    "я",
    "с",
    "со",
    "как",
    "а",
    "то",
    "все",
    "она",
    "так",
    "его",
    "но",
    "да",
    "ты",
    "к",
    "у",
    "же",
    "вы",
    "за",
    "бы",
    "по",
    "только",
    "ее",
    "мне",
    "было",
    "вот",
    "от",
    "меня",
    "еще",
    "нет",
    "о",
    "из",
    "ему",
    "теперь",
    "когда",
    "даже",
    "ну",
    "вдруг",
    "ли",
    "если",
    "уже",
    "или",
    "ни",
    "быть",
    "был",
    "него",
    "до",
    "вас",
    "нибудь",
    "опять",
    "уж",
    "вам",
    "ведь",
    "там",
    "потом",
    "себя",
    "ничего",
    "ей",
    "может",
    "они",
    "тут",
    "где",
    "есть",
    "надо",
    "ней",
    "для",
    "мы",
    "тебя",
    "их",
    "чем",
    "была",
    "сам",
    "чтоб",
    "без",
    "будто",
    "чего",
    "раз",
    "тоже",
    "себе",
    "под",
    "будет",
    "ж",
    "тогда",
    "кто",
    "этот",
    "того",
    "потому",
    "этого",
    "какой",
    "совсем",
    "ним",
    "здесь",
    "этом",
    "один",
    "почти",
    "мой",
    "тем",
    "чтобы",
    "нее",
    "были",
    "куда",
    "зачем",
    "всех",
    "никогда",
    "можно",
    "при",
    "наконец",
    "два",
    "об",
    "другой",
    "хоть",
    "после",
    "над",
    "больше",
    "тот",
    "через",
    "эти",
    "нас",
    "про",
    "всего",
    "них",
    "какая",
    "много",
    "разве",
    "три",
    "эту",
    "моя",
    "впрочем",
    "хорошо",
    "свою",
    "этой",
    "перед",
    "иногда",
    "лучше",
    "чуть",
    "том",
    "нельзя",
    "такой",
    "им",
    "более",
    "всегда",
    "конечно",
    "всю",
    "между",
    "это",
    "как",
    "мой",
    "меня",
];

fn stop_words() -> &'static std::collections::HashSet<&'static str> {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        ENGLISH_STOP_WORDS
            .iter()
            .chain(RUSSIAN_STOP_WORDS)
            .copied()
            .collect()
    })
}

/// The analyzer for titles and bodies.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(Morphology)
        .build()
}

/// The analyzed terms of `text`, in order (for tests and for building queries).
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// Folds `ё` to `е` and stems by script.
#[derive(Clone, Copy, Default)]
pub struct Morphology;

impl TokenFilter for Morphology {
    type Tokenizer<T: Tokenizer> = MorphologyFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MorphologyFilter<T> {
        MorphologyFilter { inner }
    }
}

#[derive(Clone)]
pub struct MorphologyFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MorphologyFilter<T> {
    type TokenStream<'a> = MorphologyStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MorphologyStream {
            tail: self.inner.token_stream(text),
            russian: frostem::Stemmer::new(frostem::Algorithm::Russian),
            english: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

pub struct MorphologyStream<T> {
    tail: T,
    russian: frostem::Stemmer,
    english: frostem::Stemmer,
}

#[derive(PartialEq)]
enum Script {
    Cyrillic,
    Latin,
    Other,
}

fn script(word: &str) -> Script {
    let mut latin = false;
    for c in word.chars() {
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            return Script::Cyrillic;
        }
        latin |= c.is_ascii_alphabetic();
    }
    if latin { Script::Latin } else { Script::Other }
}

/// Stems one lowercased word (with `ё` already folded).
pub fn stem_word<'a>(
    russian: &frostem::Stemmer,
    english: &frostem::Stemmer,
    word: &'a str,
) -> Cow<'a, str> {
    match script(word) {
        Script::Cyrillic => russian.stem(word),
        // Words with digits ("2fa", "win10") are kept whole.
        Script::Latin if !word.bytes().any(|b| b.is_ascii_digit()) => english.stem(word),
        _ => Cow::Borrowed(word),
    }
}

impl<T: TokenStream> TokenStream for MorphologyStream<T> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token_mut();
            if token.text.contains('ё') {
                token.text = token.text.replace('ё', "е");
            }
            if stop_words().contains(token.text.as_str()) {
                continue;
            }
            // Borrowed means the word is its own stem.
            if let Cow::Owned(stemmed) = stem_word(&self.russian, &self.english, &token.text) {
                token.text = stemmed;
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn russian_forms_share_a_stem() {
        let forms = terms("оплата оплаты оплатой оплату оплате");
        assert_eq!(forms.len(), 5);
        assert!(forms.iter().all(|f| f == &forms[0]), "{forms:?}");
        assert_eq!(terms("пароль пароля паролем"), vec!["парол"; 3]);
    }

    #[test]
    fn yo_is_folded_to_ye() {
        assert_eq!(terms("Ёлка"), terms("елка"));
        assert_eq!(terms("всё"), Vec::<String>::new());
        assert_eq!(terms("зачёт зачета"), vec!["зачет"; 2]);
    }

    #[test]
    fn latin_words_are_stemmed_as_english_and_cyrillic_as_russian_in_one_text() {
        let t = terms("Payments failed: оплата не проходит, running invoices");
        assert_eq!(t, ["payment", "fail", "оплат", "проход", "run", "invoic"]);
    }

    #[test]
    fn stop_words_case_and_punctuation_are_dropped() {
        assert_eq!(terms("How do I reset MY Password?"), ["reset", "password"]);
        assert_eq!(terms("и в на"), Vec::<String>::new());
    }

    #[test]
    fn words_with_digits_and_emails_split_but_stay_whole() {
        assert_eq!(
            terms("win10 ivan@example.ru"),
            ["win10", "ivan", "exampl", "ru"]
        );
    }
}
