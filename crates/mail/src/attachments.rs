//! What an attachment is called and what it holds, as mail clients (and Zammad) read them:
//! a name for parts that give none, and base64 decoded leniently.

use std::collections::HashMap;

/// A part's file name when it gives none: the Content-ID's local part when it looks like a
/// file name (`image001.jpg@01D4…` → `image001.jpg`); else, for a content type with a known
/// extension, the Content-Description with that extension (a bounce's `Delivery report` →
/// `Delivery report.txt`, as Zammad names it); else a generic name from the content type
/// (`image/gif` → `image.gif`; `file` when the type says nothing). The flag says whether the
/// name was made up here (then repeats are numbered).
pub fn fallback_name(
    content_id: Option<&str>,
    description: Option<&str>,
    content_type: &str,
) -> (String, bool) {
    if let Some(name) = content_id.and_then(cid_file_name) {
        return (name, false);
    }
    let generic = generic_name(content_type);
    let described = description
        .map(str::trim)
        .filter(|d| !d.is_empty() && d.chars().count() <= 100 && safe_in_a_name(d));
    match (described, generic.rsplit_once('.')) {
        (Some(d), Some((_, ext))) => (format!("{d}.{ext}"), true),
        _ => (generic.to_string(), true),
    }
}

/// `image001.jpg@01D4…` → `image001.jpg`: a local part with a short alphanumeric extension
/// and nothing a file name would not hold.
fn cid_file_name(cid: &str) -> Option<String> {
    let local = cid.trim().trim_matches(['<', '>']).split('@').next()?;
    let (stem, ext) = local.rsplit_once('.')?;
    let plausible = !stem.is_empty()
        && (1..=5).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && local.len() <= 200
        && !local.contains(' ')
        && safe_in_a_name(local);
    plausible.then(|| local.to_string())
}

/// Nothing a file name must not hold: control characters, path separators, quotes, brackets.
fn safe_in_a_name(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() || matches!(c, '/' | '\\' | ':' | '"' | '<' | '>'))
}

fn generic_name(content_type: &str) -> &'static str {
    let ct = content_type.trim().to_ascii_lowercase();
    let ct = ct.split(';').next().unwrap_or("").trim();
    match ct {
        "image/gif" => "image.gif",
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "image.jpg",
        "image/png" => "image.png",
        "image/bmp" => "image.bmp",
        "image/tiff" => "image.tiff",
        "image/webp" => "image.webp",
        "image/svg+xml" => "image.svg",
        "image/heic" => "image.heic",
        "text/html" => "document.html",
        "text/plain" => "document.txt",
        "text/csv" => "document.csv",
        "text/calendar" => "calendar.ics",
        "text/xml" | "application/xml" => "document.xml",
        "text/rtf" | "application/rtf" => "document.rtf",
        "application/pdf" => "document.pdf",
        "application/json" => "document.json",
        "application/msword" => "document.doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            "document.docx"
        }
        "application/vnd.ms-excel" => "document.xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "document.xlsx",
        "application/vnd.ms-powerpoint" => "document.ppt",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            "document.pptx"
        }
        "application/vnd.oasis.opendocument.text" => "document.odt",
        "application/zip" | "application/x-zip-compressed" => "archive.zip",
        "application/gzip" | "application/x-gzip" => "archive.gz",
        "application/pkcs7-signature" | "application/x-pkcs7-signature" => "smime.p7s",
        "application/pgp-signature" => "signature.asc",
        "message/rfc822" => "message.eml",
        "message/delivery-status" => "delivery-status.txt",
        "audio/mpeg" => "audio.mp3",
        "audio/wav" | "audio/x-wav" => "audio.wav",
        "audio/ogg" => "audio.ogg",
        "video/mp4" => "video.mp4",
        "video/quicktime" => "video.mov",
        "video/mpeg" => "video.mpeg",
        "video/webm" => "video.webm",
        _ => "file",
    }
}

/// Generated names of one message, numbered on repeats before the extension: `document.html`,
/// `document1.html`, `document2.html`.
#[derive(Default)]
pub struct GeneratedNames(HashMap<String, usize>);

impl GeneratedNames {
    pub fn take(&mut self, name: &str) -> String {
        let n = self.0.entry(name.to_string()).or_insert(0);
        let numbered = match *n {
            0 => name.to_string(),
            k => match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}{k}.{ext}"),
                None => format!("{name}{k}"),
            },
        };
        *n += 1;
        numbered
    }
}

/// Decodes base64 as mail clients do: characters outside the alphabet are skipped, decoding
/// stops at padding, and a broken last quantum still yields its complete bytes. Returns the
/// bytes and whether anything was wrong with the text.
pub fn lenient_base64(text: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut chunk, mut count, mut broken) = (0u32, 0u8, false);
    for &ch in text {
        let value = match ch {
            b'A'..=b'Z' => ch - b'A',
            b'a'..=b'z' => ch - b'a' + 26,
            b'0'..=b'9' => ch - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => {
                broken = true;
                continue;
            }
        };
        chunk = (chunk << 6) | u32::from(value);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&chunk.to_be_bytes()[1..]);
            (chunk, count) = (0, 0);
        }
    }
    match count {
        2 => out.push((chunk >> 4) as u8),
        3 => out.extend_from_slice(&[(chunk >> 10) as u8, (chunk >> 2) as u8]),
        1 => broken = true,
        _ => {}
    }
    (out, broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_content_id_or_the_content_type() {
        assert_eq!(
            fallback_name(Some("<image001.jpg@01D4A1B2.C3D4E5F0>"), None, "image/jpeg"),
            ("image001.jpg".into(), false)
        );
        // Thunderbird's ids end in digits, not a file type: the content type names it.
        assert_eq!(
            fallback_name(
                Some("part1.06090408.01060107@example.com"),
                None,
                "image/gif"
            ),
            ("image.gif".into(), true)
        );
    }

    #[test]
    fn generic_names_follow_the_content_type_and_number_repeats() {
        assert_eq!(
            fallback_name(None, None, "image/gif"),
            ("image.gif".into(), true)
        );
        assert_eq!(fallback_name(None, None, "image/jpg").0, "image.jpg");
        assert_eq!(
            fallback_name(None, None, "IMAGE/JPEG; name=x").0,
            "image.jpg"
        );
        assert_eq!(fallback_name(None, None, "video/quicktime").0, "video.mov");
        assert_eq!(
            fallback_name(Some("no-dot@host"), None, "application/x-unknown").0,
            "file"
        );
        assert_eq!(
            fallback_name(None, Some("Delivery report"), "message/delivery-status").0,
            "Delivery report.txt"
        );
        assert_eq!(
            fallback_name(
                None,
                Some("Undelivered Message Headers"),
                "text/rfc822-headers"
            )
            .0,
            "file",
            "no extension to give it"
        );
        let mut names = GeneratedNames::default();
        assert_eq!(names.take("document.html"), "document.html");
        assert_eq!(names.take("document.html"), "document1.html");
        assert_eq!(names.take("document.html"), "document2.html");
        assert_eq!(names.take("file"), "file");
        assert_eq!(names.take("file"), "file1");
    }

    #[test]
    fn base64_keeps_every_complete_byte() {
        // "Hello, world" is SGVsbG8sIHdvcmxk; cut and dirtied.
        assert_eq!(
            lenient_base64(b"SGVsbG8sIHdvcmxk"),
            (b"Hello, world".to_vec(), false)
        );
        assert_eq!(
            lenient_base64(b"SGVs\r\nbG8s\r\nIHdv\r\ncmxk\r\n"),
            (b"Hello, world".to_vec(), false)
        );
        assert_eq!(
            lenient_base64(b"SGVsbG8sIHdvcmx"),
            (b"Hello, worl".to_vec(), false)
        );
        assert_eq!(
            lenient_base64(b"SGVsbG8sIHdvcmxkI"),
            (b"Hello, world".to_vec(), true),
            "a lone last character"
        );
        assert_eq!(
            lenient_base64(b"SGVs*bG8s!IHdv~cmxk"),
            (b"Hello, world".to_vec(), true),
            "stray characters"
        );
        assert_eq!(
            lenient_base64(b"SGVsbG8=trailing"),
            (b"Hello".to_vec(), false)
        );
    }
}
