//! The table-driven case format for business hours and SLAs, shared by the unit tests and
//! `ferrodesk sla eval`.
//!
//! A case file is `{"cases": [case, …]}`. Each case has an `id`, a `calendar` (shape in the
//! [`super`] module docs), an `op` with its inputs, and the `expected` answer:
//!
//! | op | inputs | expected |
//! |---|---|---|
//! | `after`, `before` | `start`, `duration`: `{"seconds"/"minutes"/"hours": n}` (summed) or `{"business_days": n}` | instant |
//! | `business_seconds_between` | `start`, `end` | integer |
//! | `business_days_between` | `start`, `end` (dates), `inclusive` (default `false`) | integer |
//! | `sla_deadlines` | `start`, `sla`: `{first_response_time_min, update_time_min, solution_time_min}` (`null` = no target) | `{first_response_escalation_at, update_escalation_at, close_escalation_at}` |
//! | `sla_first_response_metrics` | `start`, `sla` (its `first_response_time_min`), `first_response_at` | `{first_response_in_min, first_response_diff_in_min}` |
//! | `sla_update_metrics` | `start` (the customer's last contact), `sla` (its `update_time_min`), `last_contact_agent_at` | `{update_in_min, update_diff_in_min}` |
//! | `sla_close_metrics` | `start`, `sla` (its `solution_time_min`), `close_at` | `{close_in_min, close_diff_in_min}` |
//!
//! Aliases, for files written before these names: `targets` for `sla`; `target_min` (one
//! target for the metric at hand) instead of `sla`; `last_contact_customer_at` for the update
//! clock's `start`. A metric whose target is `null` answers its `*_diff_in_min` as `null`.
//!
//! Instants are RFC 3339 with an offset, or local date-times without one read on the calendar's
//! clock (a floating calendar's only kind). They compare as instants, not as text. An expected
//! object lists the fields it checks; `null` expects no value. Other keys (`source`, `note`) are
//! ignored.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Deserializer};

use super::sla::EscalationTargets;
use super::{Calendar, CalendarZone};

const OPS: [&str; 8] = [
    "after",
    "before",
    "business_seconds_between",
    "business_days_between",
    "sla_deadlines",
    "sla_first_response_metrics",
    "sla_update_metrics",
    "sla_close_metrics",
];

/// One case; see the module docs for which fields each op reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    pub op: String,
    pub calendar: Calendar,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub duration: Option<CaseDuration>,
    #[serde(default)]
    pub inclusive: bool,
    #[serde(default, alias = "targets")]
    pub sla: Option<EscalationTargets>,
    #[serde(default)]
    pub target_min: Option<u32>,
    #[serde(default)]
    pub first_response_at: Option<String>,
    #[serde(default)]
    pub last_contact_customer_at: Option<String>,
    #[serde(default)]
    pub last_contact_agent_at: Option<String>,
    #[serde(default)]
    pub close_at: Option<String>,
    pub expected: Expected,
}

/// How far `after`/`before` move: clock units (summed) or whole business days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseDuration {
    #[serde(default)]
    pub seconds: Option<i64>,
    #[serde(default)]
    pub minutes: Option<i64>,
    #[serde(default)]
    pub hours: Option<i64>,
    #[serde(default)]
    pub business_days: Option<i64>,
}

enum Travel {
    Time(SignedDuration),
    BusinessDays(i64),
}

impl CaseDuration {
    fn travel(&self) -> Result<Travel, String> {
        let clock = [(self.seconds, 1), (self.minutes, 60), (self.hours, 3600)];
        let clock_given = clock.iter().any(|(n, _)| n.is_some());
        match (self.business_days, clock_given) {
            (Some(days), false) => Ok(Travel::BusinessDays(days)),
            (Some(_), true) => {
                Err("duration: business_days cannot be combined with clock units".into())
            }
            (None, false) => Err("duration: give seconds, minutes, hours or business_days".into()),
            (None, true) => {
                let too_long = || "duration: too long".to_string();
                let mut seconds: i64 = 0;
                for (count, unit) in clock {
                    let part = count.unwrap_or(0).checked_mul(unit).ok_or_else(too_long)?;
                    seconds = seconds.checked_add(part).ok_or_else(too_long)?;
                }
                Ok(Travel::Time(SignedDuration::from_secs(seconds)))
            }
        }
    }
}

/// An expected answer as written in a case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    Null,
    Integer(i64),
    Text(String),
    Object(BTreeMap<String, Expected>),
}

/// What an op answered.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Null,
    Integer(i64),
    Instant(Timestamp),
    Fields(Vec<(&'static str, Answer)>),
}

/// The verdict on one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseOutcome {
    Passed,
    Failed {
        expected: String,
        got: String,
    },
    /// The case could not be evaluated (unknown op, invalid calendar, missing input…).
    Invalid(String),
}

impl CaseOutcome {
    pub fn passed(&self) -> bool {
        matches!(self, CaseOutcome::Passed)
    }

    /// `<id> ok`, `<id> FAIL expected <expected> got <got>`, or `<id> FAIL <reason>`.
    pub fn report_line(&self, id: &str) -> String {
        match self {
            CaseOutcome::Passed => format!("{id} ok"),
            CaseOutcome::Failed { expected, got } => {
                format!("{id} FAIL expected {expected} got {got}")
            }
            CaseOutcome::Invalid(reason) => format!("{id} FAIL {reason}"),
        }
    }
}

/// Reads one case from any serde format and evaluates it; a case that does not deserialise
/// (bad calendar, wrong types) is [`CaseOutcome::Invalid`].
pub fn evaluate_from<'de, D: Deserializer<'de>>(case: D) -> CaseOutcome {
    match Case::deserialize(case) {
        Ok(case) => evaluate(&case),
        Err(e) => CaseOutcome::Invalid(format!("invalid case: {e}")),
    }
}

pub fn evaluate(case: &Case) -> CaseOutcome {
    let zone = case.calendar.zone();
    match answer(case) {
        Err(reason) => CaseOutcome::Invalid(reason),
        Ok(got) if matches(&case.expected, &got, zone) => CaseOutcome::Passed,
        Ok(got) => CaseOutcome::Failed {
            expected: show_expected(&case.expected, false),
            got: show_answer(&got, zone, false),
        },
    }
}

fn answer(case: &Case) -> Result<Answer, String> {
    let calendar = &case.calendar;
    let instant = |name: &str, value: &Option<String>| {
        required(name, value).and_then(|text| {
            parse_instant(text, calendar.zone()).map_err(|e| format!("{name}: {e}"))
        })
    };
    let failed = |e: super::BusinessTimeError| e.to_string();
    match case.op.as_str() {
        op @ ("after" | "before") => {
            let start = instant("start", &case.start)?;
            let duration = case.duration.as_ref().ok_or("missing field `duration`")?;
            let moved = match (duration.travel()?, op == "after") {
                (Travel::Time(d), true) => calendar.add_business(start, d),
                (Travel::Time(d), false) => calendar.sub_business(start, d),
                (Travel::BusinessDays(n), true) => calendar.add_business_days(start, n),
                (Travel::BusinessDays(n), false) => calendar.sub_business_days(start, n),
            };
            Ok(Answer::Instant(moved.map_err(failed)?))
        }
        "business_seconds_between" => {
            let start = instant("start", &case.start)?;
            let end = instant("end", &case.end)?;
            let elapsed = calendar
                .business_duration_between(start, end)
                .map_err(failed)?;
            Ok(Answer::Integer(elapsed.as_secs()))
        }
        "business_days_between" => {
            let start = date_field("start", &case.start)?;
            let end = date_field("end", &case.end)?;
            Ok(Answer::Integer(if case.inclusive {
                calendar.business_days_inclusive(start, end)
            } else {
                calendar.business_days_between(start, end)
            }))
        }
        "sla_deadlines" => {
            let start = instant("start", &case.start)?;
            let targets = case.sla.as_ref().ok_or("missing field `sla`")?;
            let deadlines = calendar.sla_deadlines(start, targets).map_err(failed)?;
            let at = |t: Option<Timestamp>| t.map_or(Answer::Null, Answer::Instant);
            Ok(Answer::Fields(vec![
                (
                    "first_response_escalation_at",
                    at(deadlines.first_response_escalation_at),
                ),
                ("update_escalation_at", at(deadlines.update_escalation_at)),
                ("close_escalation_at", at(deadlines.close_escalation_at)),
            ]))
        }
        "sla_first_response_metrics" => {
            let start = instant("start", &case.start)?;
            let target = metric_target(case, |t| t.first_response_time_min)?;
            let responded = instant("first_response_at", &case.first_response_at)?;
            let m = calendar
                .sla_first_response_metrics(start, target.unwrap_or(0), responded)
                .map_err(failed)?;
            Ok(Answer::Fields(vec![
                (
                    "first_response_in_min",
                    Answer::Integer(m.first_response_in_min),
                ),
                (
                    "first_response_diff_in_min",
                    diff(target, m.first_response_diff_in_min),
                ),
            ]))
        }
        "sla_update_metrics" => {
            let customer = match &case.last_contact_customer_at {
                Some(_) => instant("last_contact_customer_at", &case.last_contact_customer_at)?,
                None => instant("start", &case.start)?,
            };
            let target = metric_target(case, |t| t.update_time_min)?;
            let agent = instant("last_contact_agent_at", &case.last_contact_agent_at)?;
            let m = calendar
                .sla_update_metrics(customer, target.unwrap_or(0), agent)
                .map_err(failed)?;
            Ok(Answer::Fields(vec![
                ("update_in_min", Answer::Integer(m.update_in_min)),
                ("update_diff_in_min", diff(target, m.update_diff_in_min)),
            ]))
        }
        "sla_close_metrics" => {
            let start = instant("start", &case.start)?;
            let target = metric_target(case, |t| t.solution_time_min)?;
            let closed = instant("close_at", &case.close_at)?;
            let m = calendar
                .sla_close_metrics(start, target.unwrap_or(0), closed)
                .map_err(failed)?;
            Ok(Answer::Fields(vec![
                ("close_in_min", Answer::Integer(m.close_in_min)),
                ("close_diff_in_min", diff(target, m.close_diff_in_min)),
            ]))
        }
        other => Err(format!(
            "unknown op {other:?}; known ops: {}",
            OPS.join(", ")
        )),
    }
}

/// A metric's target: `target_min` when given, else the metric's own target in `sla`
/// (`None`: the policy sets none).
fn metric_target(
    case: &Case,
    pick: fn(&EscalationTargets) -> Option<u32>,
) -> Result<Option<u32>, String> {
    match (case.target_min, &case.sla) {
        (Some(target), _) => Ok(Some(target)),
        (None, Some(sla)) => Ok(pick(sla)),
        (None, None) => Err("missing field `sla`".into()),
    }
}

/// A metric's difference from its target; none without a target.
fn diff(target: Option<u32>, value: i64) -> Answer {
    match target {
        Some(_) => Answer::Integer(value),
        None => Answer::Null,
    }
}

fn required<'a>(name: &str, value: &'a Option<String>) -> Result<&'a str, String> {
    value
        .as_deref()
        .ok_or_else(|| format!("missing field `{name}`"))
}

fn date_field(name: &str, value: &Option<String>) -> Result<Date, String> {
    let text = required(name, value)?;
    text.parse::<Date>()
        .map_err(|e| format!("{name}: {text:?} is not a date YYYY-MM-DD: {e}"))
}

/// RFC 3339 with an offset, or a local date-time on the calendar's clock.
fn parse_instant(text: &str, zone: &CalendarZone) -> Result<Timestamp, String> {
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Ok(instant);
    }
    let local = text.parse::<DateTime>().map_err(|_| {
        format!(
            "{text:?} is not an instant (RFC 3339, or a local date-time on the calendar's clock)"
        )
    })?;
    zone.instant(local).map_err(|e| e.to_string())
}

/// UTC RFC 3339 (`…Z`), or the local date-time on a floating calendar.
fn format_instant(instant: Timestamp, zone: &CalendarZone) -> String {
    if zone.is_floating() {
        zone.local(instant).to_string()
    } else {
        instant.to_string()
    }
}

fn matches(expected: &Expected, got: &Answer, zone: &CalendarZone) -> bool {
    match (expected, got) {
        (Expected::Null, Answer::Null) => true,
        (Expected::Integer(e), Answer::Integer(g)) => e == g,
        (Expected::Text(text), Answer::Instant(g)) => {
            parse_instant(text, zone).is_ok_and(|e| e == *g)
        }
        (Expected::Object(fields), Answer::Fields(got_fields)) => fields.iter().all(|(name, e)| {
            got_fields
                .iter()
                .find(|(got_name, _)| got_name == name)
                .is_some_and(|(_, g)| matches(e, g, zone))
        }),
        _ => false,
    }
}

/// Scalars print bare at the top level and as JSON inside objects.
fn show_expected(expected: &Expected, nested: bool) -> String {
    match expected {
        Expected::Null => "null".into(),
        Expected::Integer(n) => n.to_string(),
        Expected::Text(text) if nested => json_string(text),
        Expected::Text(text) => text.clone(),
        Expected::Object(fields) => json_object(
            fields
                .iter()
                .map(|(name, value)| (name.as_str(), show_expected(value, true))),
        ),
    }
}

fn show_answer(answer: &Answer, zone: &CalendarZone, nested: bool) -> String {
    match answer {
        Answer::Null => "null".into(),
        Answer::Integer(n) => n.to_string(),
        Answer::Instant(t) if nested => json_string(&format_instant(*t, zone)),
        Answer::Instant(t) => format_instant(*t, zone),
        Answer::Fields(fields) => json_object(
            fields
                .iter()
                .map(|(name, value)| (*name, show_answer(value, zone, true))),
        ),
    }
}

fn json_object<'a>(fields: impl Iterator<Item = (&'a str, String)>) -> String {
    let members: Vec<String> = fields
        .map(|(name, value)| format!("{}:{value}", json_string(name)))
        .collect();
    format!("{{{}}}", members.join(","))
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
