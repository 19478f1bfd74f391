use std::path::{Path, PathBuf};

use super::{CommandResult, open_db};
use crate::config::Config;

/// `ferrodesk mail parse FILE [--json]`.
pub fn parse(file: &Path, json: bool) -> CommandResult {
    let raw = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let parsed = ferrodesk_mail::parse(&raw);
    if json {
        println!("{}", serde_json::to_string_pretty(&parsed)?);
    } else {
        println!(
            "From:        {} {}",
            parsed.from_display_name.as_deref().unwrap_or(""),
            parsed.from_email.as_deref().unwrap_or("(none)")
        );
        println!(
            "Subject:     {}",
            parsed.subject.as_deref().unwrap_or("(none)")
        );
        println!(
            "Message-ID:  {}",
            parsed.message_id.as_deref().unwrap_or("(none)")
        );
        println!(
            "Body:        {} ({} characters)",
            parsed.content_type,
            parsed.body_text.chars().count()
        );
        for a in &parsed.attachments {
            println!(
                "Attachment:  {} ({} bytes, {}, md5 {})",
                a.filename, a.size, a.content_type, a.md5
            );
        }
        if parsed.automatic {
            println!("Automatic:   yes (never answered automatically)");
        }
        for p in &parsed.problems {
            println!("Problem:     {p}");
        }
    }
    Ok(())
}

/// Every message under `path`: one file, a folder of `.eml` files, or an mbox.
fn messages(path: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot list {}: {e}", path.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        return files
            .iter()
            .map(|p| Ok((p.display().to_string(), read(p)?)))
            .collect();
    }
    let raw = read(path)?;
    if raw.starts_with(b"From ") {
        return Ok(split_mbox(&raw)
            .into_iter()
            .enumerate()
            .map(|(i, m)| (format!("{}#{}", path.display(), i + 1), m))
            .collect());
    }
    Ok(vec![(path.display().to_string(), raw)])
}

/// Splits an mbox at its "From " separator lines, undoing ">From " quoting.
fn split_mbox(raw: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for line in raw.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"From ") {
            out.push(Vec::new());
            continue;
        }
        if let Some(current) = out.last_mut() {
            if line.starts_with(b">From ") {
                current.extend_from_slice(&line[1..]);
            } else {
                current.extend_from_slice(line);
            }
        }
    }
    out
}

/// `ferrodesk mail ingest PATH`.
pub async fn ingest(config: &Config, path: &Path) -> CommandResult {
    let db = open_db(config).await?;
    let all = messages(path)?;
    let bar = indicatif::ProgressBar::new(all.len() as u64).with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} ingesting [{bar:40}] {pos}/{len} messages  {per_sec}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let mut summary = ferrodesk_store::mail::IngestSummary::default();
    for (name, raw) in all {
        match ferrodesk_store::mail::ingest(&db, &crate::inbound::inbound(raw)).await {
            Ok(outcome) => summary.add(&outcome),
            Err(e) => {
                summary.failed += 1;
                eprintln!("{name}: {e}");
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{} messages in {secs:.1}s: {} new tickets, {} replies threaded, {} duplicates skipped, {} flagged, {} failed",
        summary.total(),
        summary.new_tickets,
        summary.replies,
        summary.duplicates,
        summary.flagged,
        summary.failed
    );
    db.close().await;
    if summary.failed > 0 {
        return Err(format!("{} messages could not be stored", summary.failed).into());
    }
    Ok(())
}
