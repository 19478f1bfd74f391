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
                a.filename,
                a.size,
                a.content_type,
                a.md5()
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

/// Messages accepted per transaction by `mail ingest`: each commit waits for the disk.
const ACCEPT_BATCH: usize = 1000;

/// `ferrodesk mail ingest PATH`: accepts every message into the spool (durably, in chunks),
/// then turns them into tickets the way live mail is, in batches.
pub async fn ingest(config: &Config, path: &Path) -> CommandResult {
    use ferrodesk_channel_email::spool::{self, NewSpooled, RateLimit, Source};
    if let Some(cpu) = ferrodesk_store::affinity::writer_cpu() {
        ferrodesk_store::affinity::pin_current_thread(cpu);
    }
    let db = open_db(config).await?;
    let all = messages(path)?;
    let total = all.len() as u64;
    let bar = indicatif::ProgressBar::new(total * 2).with_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {per_sec}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(format!("accepting {total} messages"));
    let started = std::time::Instant::now();
    let mut chunk = Vec::with_capacity(ACCEPT_BATCH);
    let mut iter = all.into_iter().peekable();
    while let Some((_, raw)) = iter.next() {
        chunk.push(NewSpooled {
            raw,
            source: Source::Import,
            source_key: None,
            mailbox_id: None,
            envelope_from: None,
        });
        if chunk.len() == ACCEPT_BATCH || iter.peek().is_none() {
            spool::accept(&db, &chunk, None).await?;
            bar.inc(chunk.len() as u64);
            chunk.clear();
        }
    }
    let accepted_in = started.elapsed().as_secs_f64();
    bar.set_message(format!("storing {total} messages"));
    let node = ferrodesk_channel_email::default_node_name();
    let mut done = 0;
    let stats = ferrodesk_channel_email::worker::drain(&db, &node, RateLimit::default(), |s| {
        bar.inc(s.total() - done);
        done = s.total();
    })
    .await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let waiting = spool::pending_count(&db).await?;
    eprintln!(
        "{} messages in {secs:.1}s ({:.0}/s; accepted in {accepted_in:.1}s, stored in {:.1}s): {} new tickets, {} replies threaded, {} duplicates skipped, {} flagged, {} bounces matched, {waiting} still waiting",
        stats.total(),
        stats.total() as f64 / secs.max(1e-9),
        secs - accepted_in,
        stats.new_tickets,
        stats.replies,
        stats.duplicates,
        stats.flagged,
        stats.bounces,
    );
    db.close().await;
    if waiting > 0 {
        return Err(format!(
            "{waiting} messages are still waiting in the spool (another node holds the lease?)"
        )
        .into());
    }
    Ok(())
}
