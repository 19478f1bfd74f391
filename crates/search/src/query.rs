//! From what a user typed to a tantivy query: words are OR-ed (BM25 ranks documents matching
//! more and rarer words first, title matches weigh more), `"quoted phrases"` must match as
//! phrases, and the words of short queries also match with one typo (ranked below exact
//! matches). Filters and permissions are added as non-scoring clauses.

use std::ops::Bound;

use ferrodesk_core::Viewer;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;

use crate::docs::{ARTICLE, CUSTOMER, ORGANIZATION, TICKET};
use crate::{SearchIndex, analyzer};

/// Title words weigh this much more than body words.
const TITLE_BOOST: f32 = 2.5;
/// A word matched only with a typo scores this (exact matches score their BM25 on top).
const FUZZY_SCORE: f32 = 0.4;
/// Queries of at most this many words get typo tolerance.
const SHORT_QUERY_WORDS: usize = 4;
/// Words shorter than this must be spelt right.
const FUZZY_MIN_CHARS: usize = 4;
/// At most this many words of a query are used.
const MAX_WORDS: usize = 32;

/// Who is searching.
#[derive(Debug, Clone)]
pub enum Who {
    /// An agent: tickets of their scope, all customers, organisations and articles (drafts and
    /// internal ones included).
    Agent(Viewer),
    /// The help center: public, published, live articles only.
    Public,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    /// `ticket`, `article`, `customer`, `organization`; `None` for all.
    pub kind: Option<String>,
    pub status: Option<String>,
    pub team_id: Option<i64>,
    /// Created at or after (microseconds since the epoch).
    pub from: Option<i64>,
    /// Created before (microseconds since the epoch).
    pub to: Option<i64>,
    pub locale: Option<String>,
    pub limit: usize,
    /// Leave this document out (`similar` tickets).
    pub exclude: Option<(&'static str, i64)>,
}

pub(crate) struct Built {
    /// The text part alone (for snippets).
    pub text: Box<dyn Query>,
    /// Text and filters.
    pub full: Box<dyn Query>,
}

/// An analyzed word of the query, with the length of what was typed.
struct Word {
    term: String,
    typed_chars: usize,
    position: usize,
}

fn analyze(text: &str) -> Vec<Word> {
    let mut analyzer = analyzer::analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        let typed = text
            .get(t.offset_from..t.offset_to)
            .map_or(0, |s| s.chars().count());
        out.push(Word {
            term: t.text.clone(),
            typed_chars: typed,
            position: t.position,
        });
    }
    out
}

/// Splits `q` into its quoted phrases and the remaining text.
fn split_phrases(q: &str) -> (Vec<String>, String) {
    let mut phrases = Vec::new();
    let mut rest = String::new();
    let mut parts = q.split('"');
    let mut inside = false;
    for part in parts.by_ref() {
        if inside {
            phrases.push(part.to_string());
        } else {
            rest.push_str(part);
            rest.push(' ');
        }
        inside = !inside;
    }
    (phrases, rest)
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn exact_i64(field: Field, value: i64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_i64(field, value),
        IndexRecordOption::Basic,
    ))
}

fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

pub(crate) fn build(index: &SearchIndex, who: &Who, req: &SearchRequest) -> Option<Built> {
    let f = &index.fields;
    let (phrases, rest) = split_phrases(&req.q);
    let words = analyze(&rest);
    let short = words.len() + phrases.len() <= SHORT_QUERY_WORDS;
    let mut text: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for w in words.iter().take(MAX_WORDS) {
        let mut alternatives: Vec<Box<dyn Query>> = vec![
            Box::new(BoostQuery::new(term_query(f.title, &w.term), TITLE_BOOST)),
            term_query(f.body, &w.term),
        ];
        if short && w.typed_chars >= FUZZY_MIN_CHARS && w.term.chars().count() >= 3 {
            for field in [f.title, f.body] {
                let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, &w.term), 1, true);
                alternatives.push(Box::new(ConstScoreQuery::new(Box::new(fuzzy), FUZZY_SCORE)));
            }
        }
        text.push((Occur::Should, any_of(alternatives)));
    }
    for phrase in &phrases {
        let words = analyze(phrase);
        match words.len() {
            0 => continue,
            1 => {
                let t = &words[0].term;
                text.push((
                    Occur::Must,
                    any_of(vec![
                        Box::new(BoostQuery::new(term_query(f.title, t), TITLE_BOOST)),
                        term_query(f.body, t),
                    ]),
                ));
            }
            _ => {
                let in_field = |field: Field| -> Box<dyn Query> {
                    let first = words[0].position;
                    Box::new(PhraseQuery::new_with_offset(
                        words
                            .iter()
                            .map(|w| (w.position - first, Term::from_field_text(field, &w.term)))
                            .collect(),
                    ))
                };
                text.push((
                    Occur::Must,
                    any_of(vec![
                        Box::new(BoostQuery::new(in_field(f.title), TITLE_BOOST)),
                        in_field(f.body),
                    ]),
                ));
            }
        }
    }
    if text.is_empty() {
        return None;
    }
    let text: Box<dyn Query> = Box::new(BooleanQuery::new(text));

    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text.box_clone())];
    if let Some(kind) = &req.kind {
        clauses.push(filter(term_query(f.kind, kind)));
    }
    match who {
        Who::Public => {
            clauses.push(filter(term_query(f.kind, ARTICLE)));
            clauses.push(filter(term_query(f.visibility, "public")));
            clauses.push(filter(term_query(f.status, "published")));
            clauses.push(filter(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_i64(
                    f.publish_at,
                    ferrodesk_store::to_micros(ferrodesk_store::now()),
                )),
            ))));
        }
        Who::Agent(viewer) => {
            if let Some(scope) = viewer.ticket_scope() {
                let mut own: Vec<Box<dyn Query>> = vec![exact_i64(f.assignee_id, scope.agent_id)];
                for team in scope.team_ids {
                    own.push(exact_i64(f.team_id, *team));
                }
                let tickets_in_scope: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, term_query(f.kind, TICKET)),
                    (Occur::Must, any_of(own)),
                ]));
                clauses.push(filter(any_of(vec![
                    term_query(f.kind, ARTICLE),
                    term_query(f.kind, CUSTOMER),
                    term_query(f.kind, ORGANIZATION),
                    tickets_in_scope,
                ])));
            }
        }
    }
    if let Some(status) = &req.status {
        clauses.push(filter(term_query(f.status, status)));
    }
    if let Some(team) = req.team_id {
        clauses.push(filter(exact_i64(f.team_id, team)));
    }
    if let Some(locale) = &req.locale {
        clauses.push(filter(term_query(f.locale, locale)));
    }
    if req.from.is_some() || req.to.is_some() {
        let bound = |v: Option<i64>, inclusive: bool| match v {
            None => Bound::Unbounded,
            Some(v) if inclusive => Bound::Included(Term::from_field_i64(f.created_at, v)),
            Some(v) => Bound::Excluded(Term::from_field_i64(f.created_at, v)),
        };
        clauses.push(filter(Box::new(RangeQuery::new(
            bound(req.from, true),
            bound(req.to, false),
        ))));
    }
    if let Some((kind, id)) = req.exclude {
        clauses.push((
            Occur::MustNot,
            term_query(f.key, &crate::docs::key(kind, id)),
        ));
    }
    Some(Built {
        text,
        full: Box::new(BooleanQuery::new(clauses)),
    })
}

#[cfg(test)]
mod tests {
    use super::split_phrases;

    #[test]
    fn quotes_make_phrases() {
        let (p, rest) = split_phrases(r#"reset "two factor" login"#);
        assert_eq!(p, ["two factor"]);
        assert_eq!(
            rest.split_whitespace().collect::<Vec<_>>(),
            ["reset", "login"]
        );
        // An unclosed quote still makes a phrase of the rest.
        let (p, _) = split_phrases(r#"a "b c"#);
        assert_eq!(p, ["b c"]);
    }
}
