//! Ferrodesk search: one tantivy index of tickets (subject, every message, customer),
//! customers, organisations and knowledge-base articles, with Russian and English stemming,
//! typo tolerance, phrases, filters, BM25 ranking and highlighted snippets.
//!
//! Each node keeps its own copy of the index and brings it up to date by following the event
//! log ([`follow`]); `ferrodesk reindex` rebuilds it from the database ([`rebuild`]). The
//! position in the log is stored in the index's commit payload, so a restart resumes.

pub mod analyzer;
mod docs;
mod follower;
mod query;

use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::collector::TopDocs;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use tokio::sync::watch;

pub use docs::{ARTICLE, CUSTOMER, ORGANIZATION, TICKET};
pub use follower::{Cursor, IndexFollower, rebuild};
pub use query::{SearchRequest, Who};

/// Writer memory: tantivy splits it between its indexing threads.
const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error(transparent)]
    Store(#[from] ferrodesk_store::StoreError),
    #[error("search index: {0}")]
    Other(String),
}

/// One hit: `{"type", "id", "title", "snippet", "score"}`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// `ticket`, `article`, `customer` or `organization`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// HTML: the best passage with the matched words in `<b>…</b>`, the rest escaped.
    pub snippet: String,
    /// BM25 relevance (higher is better).
    pub score: f32,
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub title: Field,
    pub body: Field,
    pub locale: Field,
    pub status: Field,
    pub team_id: Field,
    pub assignee_id: Field,
    pub customer_id: Field,
    pub visibility: Field,
    pub publish_at: Field,
    pub created_at: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("type", STRING | STORED),
        id: b.add_i64_field("id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        locale: b.add_text_field("locale", STRING | STORED),
        status: b.add_text_field("status", STRING | STORED),
        team_id: b.add_i64_field("team_id", INDEXED | STORED),
        assignee_id: b.add_i64_field("assignee_id", INDEXED | STORED),
        customer_id: b.add_i64_field("customer_id", INDEXED | STORED),
        visibility: b.add_text_field("visibility", STRING | STORED),
        publish_at: b.add_i64_field("publish_at", INDEXED | STORED),
        created_at: b.add_i64_field("created_at", INDEXED | STORED | FAST),
    };
    (b.build(), fields)
}

/// The index of one node: a reader for searches, one writer for the follower and `reindex`.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    pub(crate) fields: Fields,
    cursor: watch::Sender<Cursor>,
    wake: tokio::sync::Notify,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("cursor", &*self.cursor.borrow())
            .finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (or recreating it, when its schema is from
    /// another version) as needed.
    pub fn open(dir: &Path) -> Result<Arc<Self>, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Other(format!("cannot create {}: {e}", dir.display())))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) => index,
            Err(tantivy::TantivyError::SchemaError(_)) => {
                tracing::warn!(dir = %dir.display(), "search index has an older schema; rebuilding it");
                std::fs::remove_dir_all(dir).ok();
                std::fs::create_dir_all(dir).map_err(|e| SearchError::Other(e.to_string()))?;
                Index::create_in_dir(dir, schema)?
            }
            Err(e) => return Err(e.into()),
        };
        Self::from_index(index, fields)
    }

    /// An index held in memory (tests).
    pub fn in_memory() -> Result<Arc<Self>, SearchError> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(mut index: Index, fields: Fields) -> Result<Arc<Self>, SearchError> {
        index
            .tokenizers()
            .register(analyzer::ANALYZER, analyzer::analyzer());
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 4);
        index.set_multithread_executor(threads)?;
        let writer = index.writer_with_num_threads(threads, WRITER_HEAP_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let payload = index.load_metas()?.payload;
        let cursor = payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Cursor>(p).ok())
            .unwrap_or_default();
        Ok(Arc::new(Self {
            reader,
            writer: Mutex::new(writer),
            fields,
            cursor: watch::Sender::new(cursor),
            wake: tokio::sync::Notify::new(),
        }))
    }

    /// Where in the event log the index stands.
    pub fn cursor(&self) -> Cursor {
        self.cursor.borrow().clone()
    }

    /// Follows the cursor as the index advances.
    pub fn subscribe(&self) -> watch::Receiver<Cursor> {
        self.cursor.subscribe()
    }

    /// Asks the follower to look at the log now rather than at its next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn woken(&self) -> &tokio::sync::Notify {
        &self.wake
    }

    pub(crate) fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Commits what the writer holds with `cursor` as the payload and makes it searchable.
    pub(crate) fn commit(&self, cursor: Cursor) -> Result<(), SearchError> {
        {
            let mut writer = self.writer();
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&serde_json::to_string(&cursor).expect("cursor serialises"));
            prepared.commit()?;
        }
        self.reader.reload()?;
        self.cursor.send_replace(cursor);
        Ok(())
    }

    pub(crate) fn key_term(&self, kind: &str, id: i64) -> Term {
        Term::from_field_text(self.fields.key, &docs::key(kind, id))
    }

    /// How many documents are searchable.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs a search for `who`; blocking (call it from `spawn_blocking`).
    pub fn search(&self, who: &Who, req: &SearchRequest) -> Result<Vec<Hit>, SearchError> {
        let Some(built) = query::build(self, who, req) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let limit = req.limit.clamp(1, 100);
        let top = searcher.search(&*built.full, &TopDocs::with_limit(limit).order_by_score())?;
        if top.is_empty() {
            return Ok(Vec::new());
        }
        let mut body_snippets =
            SnippetGenerator::create(&searcher, &*built.text, self.fields.body)?;
        body_snippets.set_max_num_chars(200);
        let title_snippets = SnippetGenerator::create(&searcher, &*built.text, self.fields.title)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |f: Field| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let title = text(self.fields.title);
            let body = text(self.fields.body);
            let mut snippet = body_snippets.snippet(&body);
            if snippet.is_empty() {
                let in_title = title_snippets.snippet(&title);
                if !in_title.is_empty() && body.is_empty() {
                    snippet = in_title;
                }
            }
            let html = if snippet.is_empty() {
                escape(&leading(&body, 200))
            } else {
                snippet.to_html()
            };
            hits.push(Hit {
                kind: text(self.fields.kind),
                id: doc
                    .get_first(self.fields.id)
                    .and_then(|v| v.as_i64())
                    .unwrap_or_default(),
                title,
                snippet: html,
                score,
            });
        }
        Ok(hits)
    }

    /// Runs `search` on the blocking pool.
    pub async fn search_async(
        self: &Arc<Self>,
        who: Who,
        req: SearchRequest,
    ) -> Result<Vec<Hit>, SearchError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.search(&who, &req))
            .await
            .map_err(|e| SearchError::Other(e.to_string()))?
    }
}

/// The first `max` characters of `text`, cut at a word boundary.
fn leading(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => format!("{}…", &cut[..i]),
        _ => format!("{cut}…"),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
