//! Files attached to messages: uploaded by agents (reply box, API) and customers (portal), or
//! arriving with email. Contents are stored once by SHA-256 in `attachments` (the same store
//! inbound mail uses); `message_attachments` names them per message. Who may download one is
//! who may see its message: agents who see the ticket; customers only on public messages of
//! requests they may see (never internal notes).

use std::collections::HashMap;

use serde_json::json;
use sqlx::Row;

use crate::events::NewEvent;
use crate::{Db, StoreError, Tx};

/// One file at most this large.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// All files of one message together at most this large.
pub const MAX_TOTAL_BYTES: usize = 20 * 1024 * 1024;
/// At most this many files per message.
pub const MAX_FILES: usize = 10;
const MAX_FILENAME_CHARS: usize = 200;

/// A file to attach, as uploaded.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// An attachment as listed on a message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AttachmentInfo {
    pub message_id: i64,
    /// Its place among the message's attachments; with `message_id` it names the file.
    pub position: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// The `Content-ID` an HTML body refers to as `cid:…` (inline images from email).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_id: Option<String>,
}

/// A file to send back.
#[derive(Debug, Clone)]
pub struct Download {
    pub info: AttachmentInfo,
    pub content: Vec<u8>,
}

/// The file name without any directory part or control characters, never empty.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(MAX_FILENAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// A content type of the form `type/subtype`, or `application/octet-stream`.
fn clean_content_type(ct: &str) -> String {
    let ct = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let ok = ct.len() <= 100
        && ct.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && ct
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/+-.".contains(c))
        });
    if ok {
        ct
    } else {
        "application/octet-stream".into()
    }
}

/// Checks the limits (count, size of each, total) before anything is stored.
pub fn check(files: &[NewAttachment]) -> Result<(), StoreError> {
    if files.len() > MAX_FILES {
        return Err(StoreError::invalid(
            "attachments",
            format!("at most {MAX_FILES} files per message"),
        ));
    }
    let mut total = 0;
    for f in files {
        if f.content.len() > MAX_FILE_BYTES {
            return Err(StoreError::invalid(
                "attachments",
                format!(
                    "{} is larger than {} MB",
                    clean_filename(&f.filename),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ));
        }
        total += f.content.len();
    }
    if total > MAX_TOTAL_BYTES {
        return Err(StoreError::invalid(
            "attachments",
            format!(
                "the files together are larger than {} MB",
                MAX_TOTAL_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// Stores the files and names them on the message, inside the message's transaction; returns
/// one `attachment.added` event per file for the ticket's history.
pub async fn attach(
    tx: &mut Tx,
    ticket_id: i64,
    message_id: i64,
    files: &[NewAttachment],
) -> Result<Vec<NewEvent>, StoreError> {
    check(files)?;
    let mut events = Vec::with_capacity(files.len());
    for (position, f) in files.iter().enumerate() {
        let filename = clean_filename(&f.filename);
        let content_type = clean_content_type(&f.content_type);
        let blob = crate::blobs::store_blob(tx, "attachments", &f.content).await?;
        sqlx::query(
            "INSERT INTO message_attachments (message_id, attachment_id, position, filename, content_type, content_id, disposition) \
             VALUES ($1, $2, $3, $4, $5, NULL, 'attachment')",
        )
        .bind(message_id)
        .bind(blob)
        .bind(position as i64)
        .bind(&filename)
        .bind(&content_type)
        .execute(&mut **tx)
        .await?;
        events.push(NewEvent::new(
            "ticket",
            ticket_id,
            "attachment.added",
            json!({"message_id": message_id, "position": position, "filename": filename,
                   "size": f.content.len()}),
        ));
    }
    Ok(events)
}

const INFO_COLUMNS: &str =
    "ma.message_id, ma.position, ma.filename, ma.content_type, a.size, ma.content_id";

fn info_from_row(row: &sqlx::any::AnyRow) -> Result<AttachmentInfo, StoreError> {
    Ok(AttachmentInfo {
        message_id: row.try_get("message_id")?,
        position: row.try_get("position")?,
        filename: row.try_get("filename")?,
        content_type: row.try_get("content_type")?,
        size: row.try_get("size")?,
        content_id: row.try_get("content_id")?,
    })
}

/// The attachments of several messages, with one query, by message id.
pub async fn for_messages(
    db: &Db,
    message_ids: &[i64],
) -> Result<HashMap<i64, Vec<AttachmentInfo>>, StoreError> {
    let mut out: HashMap<i64, Vec<AttachmentInfo>> = HashMap::new();
    if message_ids.is_empty() {
        return Ok(out);
    }
    let mut sql = crate::sql::Sql::new(format!(
        "SELECT {INFO_COLUMNS} FROM message_attachments ma JOIN attachments a ON a.id = ma.attachment_id \
         WHERE ma.message_id IN "
    ));
    sql.bind_list(message_ids.iter().copied());
    sql.push(" ORDER BY ma.message_id, ma.position");
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    for row in &rows {
        let info = info_from_row(row)?;
        out.entry(info.message_id).or_default().push(info);
    }
    Ok(out)
}

/// A message's files with their bytes, in order: (file name, content type, bytes). For
/// sending the message by email.
pub async fn files_of(
    db: &Db,
    message_id: i64,
) -> Result<Vec<(String, String, Vec<u8>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT ma.filename, ma.content_type, a.content FROM message_attachments ma \
         JOIN attachments a ON a.id = ma.attachment_id WHERE ma.message_id = $1 ORDER BY ma.position",
    )
    .bind(message_id)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("filename")?,
                r.try_get("content_type")?,
                r.try_get("content")?,
            ))
        })
        .collect()
}

/// The message's ticket and whether it is an internal note.
pub async fn message_owner(db: &Db, message_id: i64) -> Result<(i64, bool), StoreError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT ticket_id, visibility FROM messages WHERE id = $1")
            .bind(message_id)
            .fetch_optional(db.reader())
            .await?;
    let (ticket_id, visibility) = row.ok_or(StoreError::not_found("attachment", message_id))?;
    Ok((ticket_id, visibility == "internal"))
}

pub async fn load(db: &Db, message_id: i64, position: i64) -> Result<Download, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {INFO_COLUMNS}, a.content FROM message_attachments ma JOIN attachments a ON a.id = ma.attachment_id \
         WHERE ma.message_id = $1 AND ma.position = $2"
    ))
    .bind(message_id)
    .bind(position)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StoreError::not_found("attachment", message_id))?;
    Ok(Download {
        info: info_from_row(&row)?,
        content: row.try_get("content")?,
    })
}
