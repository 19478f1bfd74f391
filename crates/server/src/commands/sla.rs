//! `ferrodesk sla eval FILE.json`: checks business-hours and SLA cases (the format of
//! `ferrodesk_core::calendar::cases`) against the core calendar, one line per case.

use std::io::Write;
use std::path::Path;

use ferrodesk_core::calendar::cases::{self, CaseOutcome};
use serde_json::Value;

/// Prints `<id> ok` or `<id> FAIL …` per case and then `N passed, M failed`; fails (exit
/// status 1) when any case failed.
pub async fn eval(path: &Path) -> super::CommandResult {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let cases = case_list(&text).map_err(|e| format!("{}: {e}", path.display()))?;

    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed) = (0usize, 0usize);
    for (index, case) in cases.iter().enumerate() {
        let id = case
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("#{}", index + 1), str::to_owned);
        let outcome: CaseOutcome = cases::evaluate_from(case);
        if outcome.passed() {
            passed += 1;
        } else {
            failed += 1;
        }
        writeln!(out, "{}", outcome.report_line(&id))?;
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    out.flush()?;

    if failed > 0 {
        return Err(format!("{failed} of {} cases failed", passed + failed).into());
    }
    Ok(())
}

/// The cases of a file: `{"cases": [...]}` or a bare array.
fn case_list(text: &str) -> Result<Vec<Value>, String> {
    let file: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    match file {
        Value::Array(cases) => Ok(cases),
        Value::Object(mut fields) => match fields.remove("cases") {
            Some(Value::Array(cases)) => Ok(cases),
            _ => Err("expected an object with a \"cases\" array".into()),
        },
        _ => Err("expected an object with a \"cases\" array".into()),
    }
}

/// `ferrodesk sla recompute`: rebuilds deadlines of open tickets with a progress bar, then
/// prints how many changed, how long it took and the peak memory.
pub async fn recompute(
    config: &crate::config::Config,
    policy: Option<i64>,
) -> super::CommandResult {
    use ferrodesk_desk::sla::RecomputeScope;
    let db = super::open_db(config).await?;
    let scope = policy.map_or(RecomputeScope::All, RecomputeScope::Policy);
    let bar = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} recomputing SLA deadlines: {pos} open tickets  {per_sec}",
        )
        .expect("valid template"),
    );
    let started = std::time::Instant::now();
    let changed = ferrodesk_desk::sla::recompute(&db, scope, |n| bar.inc(n)).await?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "recomputed {} open tickets ({changed} changed) in {secs:.2}s ({:.0} tickets/s); peak RSS {}",
        bar.position(),
        bar.position() as f64 / secs.max(0.001),
        peak_rss()
    );
    db.close().await;
    Ok(())
}

/// Peak resident memory of this process, from the kernel (Linux), for benchmark output.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
