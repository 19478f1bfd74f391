//! Forms that may carry files: `multipart/form-data` (read with limits) or plain
//! `application/x-www-form-urlencoded`; and sending a stored attachment back.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ferrodesk_store::attachments::{
    Download, MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, NewAttachment,
};

use crate::error::ApiError;

/// The largest body an upload route accepts: the files plus room for the text fields.
pub const MAX_UPLOAD_BODY_BYTES: usize = MAX_TOTAL_BYTES + crate::MAX_BODY_BYTES;
/// One text field of a multipart form at most this large.
const MAX_TEXT_FIELD_BYTES: usize = 256 * 1024;

/// The stable code of every upload refusal, shown translated in the pages.
pub const TOO_LARGE_CODE: &str = "attachment_too_large";

/// A submitted form: its text fields and its files (empty file inputs are skipped).
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: Vec<(String, String)>,
    pub files: Vec<NewAttachment>,
}

impl Upload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a form could not be read.
#[derive(Debug)]
pub enum UploadError {
    /// Over a limit: too many files, a file or the whole body too large.
    TooLarge(String),
    /// Not a form, or a broken one.
    Bad(String),
}

impl UploadError {
    pub fn code(&self) -> &'static str {
        match self {
            UploadError::TooLarge(_) => TOO_LARGE_CODE,
            UploadError::Bad(_) => "invalid_body",
        }
    }
}

impl From<UploadError> for ApiError {
    fn from(e: UploadError) -> Self {
        match e {
            UploadError::TooLarge(m) => ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: TOO_LARGE_CODE,
                message: m,
                field: Some("attachments"),
            },
            UploadError::Bad(m) => ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", m),
        }
    }
}

impl IntoResponse for UploadError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

fn limits_message() -> String {
    format!(
        "attachments are limited to {MAX_FILES} files of at most {} MB each, {} MB together",
        MAX_FILE_BYTES / (1024 * 1024),
        MAX_TOTAL_BYTES / (1024 * 1024)
    )
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> UploadError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        UploadError::TooLarge(limits_message())
    } else {
        UploadError::Bad(format!("the form could not be read: {}", e.body_text()))
    }
}

pub fn is_multipart(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"multipart/form-data"))
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = UploadError;

    async fn from_request(req: Request, state: &S) -> Result<Self, UploadError> {
        if !is_multipart(req.headers()) {
            let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
                .await
                .map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        UploadError::TooLarge(limits_message())
                    } else {
                        UploadError::Bad(e.body_text())
                    }
                })?;
            return Ok(Upload {
                fields,
                files: Vec::new(),
            });
        }
        let mut mp = Multipart::from_request(req, state)
            .await
            .map_err(|e| UploadError::Bad(e.body_text()))?;
        let mut out = Upload::default();
        let mut total = 0usize;
        while let Some(mut field) = mp.next_field().await.map_err(multipart_error)? {
            let name = field.name().unwrap_or("").to_string();
            let filename = field.file_name().map(str::to_owned);
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            let limit = if filename.is_some() {
                MAX_FILE_BYTES
            } else {
                MAX_TEXT_FIELD_BYTES
            };
            let mut data = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                if data.len() + chunk.len() > limit {
                    return Err(UploadError::TooLarge(limits_message()));
                }
                data.extend_from_slice(&chunk);
            }
            match filename {
                // A file input left empty still sends a part, with no name and no bytes.
                Some(f) if f.is_empty() && data.is_empty() => {}
                Some(filename) => {
                    total += data.len();
                    if out.files.len() == MAX_FILES || total > MAX_TOTAL_BYTES {
                        return Err(UploadError::TooLarge(limits_message()));
                    }
                    out.files.push(NewAttachment {
                        filename,
                        content_type,
                        content: data,
                    });
                }
                None => {
                    let text = String::from_utf8(data)
                        .map_err(|_| UploadError::Bad(format!("field {name} is not UTF-8")))?;
                    out.fields.push((name, text));
                }
            }
        }
        Ok(out)
    }
}

/// The `_csrf` field of a buffered multipart body, for the CSRF guard. Parts are scanned in
/// order and the scan stops at the token, which our forms put first; a file's bytes are never
/// looked at unless the token comes after them.
pub fn multipart_csrf(content_type: &HeaderValue, body: &[u8]) -> Option<String> {
    let ct = content_type.to_str().ok()?;
    let boundary = ct
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let find = |hay: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return None; // the closing delimiter
        }
        let headers_end = find(body, b"\r\n\r\n", at)?;
        let headers = std::str::from_utf8(&body[at..headers_end]).ok()?;
        let next = find(body, delimiter, headers_end)?;
        let is_token = headers.lines().any(|l| {
            l.to_ascii_lowercase().starts_with("content-disposition:")
                && l.contains(&format!("name=\"{}\"", crate::CSRF_FIELD))
        });
        if is_token {
            let value = body.get(headers_end + 4..next.checked_sub(2)?)?;
            return std::str::from_utf8(value).ok().map(str::to_owned);
        }
        at = next + delimiter.len();
    }
}

/// Percent-encodes a file name for `filename*=UTF-8''…`.
pub fn rfc5987(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Raster images a browser may show inline (never SVG, which can carry scripts).
pub fn is_previewable(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// How a download is asked for: `?inline=1` shows a previewable image in the page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DownloadQuery {
    pub inline: Option<String>,
}

/// Sends a stored file as a download: never rendered by the browser as a page of ours. A
/// raster image asked for `inline` is shown as an image, still sandboxed.
pub fn send(d: Download, q: &DownloadQuery) -> Response {
    let inline = q.inline.is_some() && is_previewable(&d.info.content_type);
    let ascii: String = d
        .info
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        rfc5987(&d.info.filename)
    );
    let mut res = d.content.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&d.info.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// A file's size for people: "512 B", "14 KB", "3.2 MB".
pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", (b + 1023) / 1024),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_names() {
        assert_eq!(human_size(10), "10 B");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(3 * 1024 * 1024 + 300_000), "3.3 MB");
        assert_eq!(
            rfc5987("отчёт 1.pdf"),
            "%D0%BE%D1%82%D1%87%D1%91%D1%82%201.pdf"
        );
    }
}

#[cfg(test)]
mod csrf_tests {
    #[test]
    fn finds_the_token_before_a_large_file() {
        let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.bin\"\r\nContent-Type: text/plain\r\n\r\n".to_vec();
        body.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024 + 1));
        body.extend_from_slice(b"\r\n--XyZ--\r\n");
        let ct = axum::http::HeaderValue::from_static("multipart/form-data; boundary=XyZ");
        assert_eq!(super::multipart_csrf(&ct, &body).as_deref(), Some("tok123"));
        let late = b"--XyZ\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nhi\r\n--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc\r\n--XyZ--\r\n";
        assert_eq!(super::multipart_csrf(&ct, late).as_deref(), Some("abc"));
        let none =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nhi\r\n--XyZ--\r\n";
        assert_eq!(super::multipart_csrf(&ct, none), None);
    }
}

/// An attachment as a download link.
pub struct FileLink {
    pub href: String,
    pub name: String,
    pub size: String,
    /// A raster image, shown as a thumbnail.
    pub image: bool,
}

pub fn file_links(m: &ferrodesk_store::tickets::Message, prefix: &str) -> Vec<FileLink> {
    m.attachments
        .iter()
        .map(|a| FileLink {
            href: format!("{prefix}/attachments/{}/{}", a.message_id, a.position),
            name: a.filename.clone(),
            size: human_size(a.size),
            image: crate::upload::is_previewable(&a.content_type),
        })
        .collect()
}

/// Points an email's `cid:` images at the message's own attachments.
pub fn inline_images(html: &str, m: &ferrodesk_store::tickets::Message, prefix: &str) -> String {
    let mut html = html.to_string();
    for a in &m.attachments {
        if let Some(cid) = a.content_id.as_deref().filter(|c| !c.is_empty()) {
            html = html.replace(
                &format!("cid:{cid}"),
                &format!("{prefix}/attachments/{}/{}", a.message_id, a.position),
            );
        }
    }
    html
}
