//! `ferrodesk sla eval`: business-hours cases checked by the binary, with no database.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sla_eval(file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferrodesk"))
        .args(["sla", "eval"])
        .arg(file)
        .env_remove("FERRODESK_DATABASE_URL")
        .env("FERRODESK_LOG", "warn")
        .output()
        .expect("run ferrodesk")
}

fn stdout_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_shared_cases_all_pass() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/sla/business_hours_cases.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("note: {} is absent; skipping", path.display());
        return;
    };
    let file: serde_json::Value = serde_json::from_str(&text).expect("the cases file is JSON");
    let count = file["cases"].as_array().expect("a `cases` array").len();

    let out = sla_eval(&path);
    let lines = stdout_lines(&out);
    assert!(
        out.status.success(),
        "sla eval failed: {}\n{}",
        lines.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lines.len(), count + 1, "one line per case and a summary");
    assert_eq!(
        lines.last().map(String::as_str),
        Some(format!("{count} passed, 0 failed").as_str())
    );
}

#[test]
fn a_wrong_expectation_fails_with_both_values() {
    let cases = serde_json::json!({"cases": [
        {"id": "right", "op": "after", "start": "2024-01-05T16:30:00Z", "duration": {"hours": 1},
         "calendar": {"tz": "Etc/UTC", "hours": {"mon": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]]}},
         "expected": "2024-01-08T09:30:00Z"},
        {"id": "wrong", "op": "after", "start": "2024-01-05T16:30:00Z", "duration": {"hours": 1},
         "calendar": {"tz": "Etc/UTC", "hours": {"mon": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]]}},
         "expected": "2024-01-05T17:30:00Z"}
    ]});
    let path: PathBuf =
        std::env::temp_dir().join(format!("ferrodesk-sla-eval-{}.json", std::process::id()));
    std::fs::write(&path, cases.to_string()).expect("write the case file");

    let out = sla_eval(&path);
    let _ = std::fs::remove_file(&path);
    let lines = stdout_lines(&out);
    assert_eq!(out.status.code(), Some(1), "{lines:?}");
    assert_eq!(
        lines,
        [
            "right ok",
            "wrong FAIL expected 2024-01-05T17:30:00Z got 2024-01-08T09:30:00Z",
            "1 passed, 1 failed",
        ]
    );
}

#[test]
fn sla_ops_read_the_names_of_the_sla_issue() {
    let office = serde_json::json!({"tz": "Etc/UTC", "hours": {
        "mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]]}});
    let sla = serde_json::json!({"first_response_time_min": 60, "update_time_min": 120, "solution_time_min": null});
    let cases = serde_json::json!({"cases": [
        {"id": "deadlines", "op": "sla_deadlines", "calendar": office,
         "start": "2024-01-05T16:30:00Z", "sla": sla,
         "expected": {"first_response_escalation_at": "2024-01-08T09:30:00Z",
                      "update_escalation_at": "2024-01-08T10:30:00Z", "close_escalation_at": null}},
        {"id": "first-response", "op": "sla_first_response_metrics", "calendar": office,
         "start": "2024-01-05T16:30:00Z", "sla": sla, "first_response_at": "2024-01-08T09:45:00Z",
         "expected": {"first_response_in_min": 75, "first_response_diff_in_min": -15}},
        {"id": "update", "op": "sla_update_metrics", "calendar": office,
         "start": "2024-01-08T10:00:00Z", "sla": sla, "last_contact_agent_at": "2024-01-08T11:00:00Z",
         "expected": {"update_in_min": 60, "update_diff_in_min": 60}}
    ]});
    let path: PathBuf =
        std::env::temp_dir().join(format!("ferrodesk-sla-names-{}.json", std::process::id()));
    std::fs::write(&path, cases.to_string()).expect("write the case file");
    let out = sla_eval(&path);
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        stdout_lines(&out),
        [
            "deadlines ok",
            "first-response ok",
            "update ok",
            "3 passed, 0 failed"
        ],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success());
}
