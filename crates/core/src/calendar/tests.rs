//! Business time against the shared case table, hand-picked edge cases (DST, 24:00, moved
//! working days, holidays, calendars without working time), and properties checked against a
//! plain day-by-day walk.

use std::path::Path;
use std::sync::LazyLock;

use jiff::civil::{Date, DateTime, date};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use serde_json::json;

use super::cases::{self, CaseOutcome};
use super::sla::EscalationTargets;
use super::*;

fn calendar(shape: serde_json::Value) -> Calendar {
    serde_json::from_value(shape).expect("a valid calendar")
}

fn calendar_error(shape: serde_json::Value) -> String {
    serde_json::from_value::<Calendar>(shape)
        .expect_err("an invalid calendar")
        .to_string()
}

fn utc(text: &str) -> Timestamp {
    text.parse().expect("an RFC 3339 instant")
}

/// `text` as a wall-clock time on `calendar`'s clock.
fn local(calendar: &Calendar, text: &str) -> Timestamp {
    let wall: DateTime = text.parse().expect("a local date-time");
    calendar.zone().instant(wall).expect("in range")
}

fn hours(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n)
}

#[test]
fn every_shared_case_passes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/sla/business_hours_cases.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "note: {} is absent; skipping the shared business-hours cases",
            path.display()
        );
        return;
    };
    let file: serde_json::Value = serde_json::from_str(&text).expect("the cases file is JSON");
    let all = file["cases"].as_array().expect("a `cases` array");
    let mut misses = Vec::new();
    for (index, case) in all.iter().enumerate() {
        let id = case["id"]
            .as_str()
            .map_or_else(|| format!("#{}", index + 1), str::to_owned);
        let outcome = cases::evaluate_from(case);
        if !outcome.passed() {
            eprintln!("{}", outcome.report_line(&id));
            misses.push(outcome.report_line(&id));
        }
    }
    assert!(
        misses.is_empty(),
        "{} of {} shared cases missed:\n{}",
        misses.len(),
        all.len(),
        misses.join("\n")
    );
}

#[test]
fn case_reports_name_the_difference() {
    let case = json!({
        "id": "x", "op": "after", "start": "2024-01-01T09:00:00Z", "duration": {"hours": 1},
        "calendar": {"tz": "Etc/UTC", "hours": {"mon": [["09:00", "17:00"]]}},
        "expected": "2024-01-01T11:00:00+01:00"
    });
    assert_eq!(
        cases::evaluate_from(&case),
        CaseOutcome::Passed,
        "instants compare as instants"
    );

    let wrong = json!({
        "id": "y", "op": "sla_first_response_metrics", "start": "2024-01-01T09:00:00Z",
        "target_min": 30, "first_response_at": "2024-01-01T10:00:00Z",
        "calendar": {"tz": "Etc/UTC", "hours": {"mon": [["09:00", "17:00"]]}},
        "expected": {"first_response_in_min": 60, "first_response_diff_in_min": 30}
    });
    assert_eq!(
        cases::evaluate_from(&wrong).report_line("y"),
        r#"y FAIL expected {"first_response_diff_in_min":30,"first_response_in_min":60} got {"first_response_in_min":60,"first_response_diff_in_min":-30}"#
    );

    let unknown = json!({"id": "z", "op": "teleport", "calendar": {"tz": "floating", "hours": {"mon": [["09:00", "17:00"]]}}, "expected": 1});
    assert!(
        cases::evaluate_from(&unknown)
            .report_line("z")
            .starts_with("z FAIL unknown op \"teleport\"")
    );

    let bad_calendar =
        json!({"id": "w", "op": "after", "calendar": {"tz": "Nowhere/Land"}, "expected": 1});
    let line = cases::evaluate_from(&bad_calendar).report_line("w");
    assert!(
        line.starts_with("w FAIL invalid case: unknown time zone \"Nowhere/Land\""),
        "{line}"
    );
}

/// Cases written to the SLA issue's format: `sla {first_response_time_min, update_time_min,
/// solution_time_min}` (null = no target) shared by the deadlines and the metrics.
#[test]
fn cases_in_the_sla_issues_format_evaluate() {
    let office = json!({"tz": "Europe/Berlin", "hours": {
        "mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "wed": [["09:00", "17:00"]],
        "thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]]}});
    let sla =
        json!({"first_response_time_min": 60, "update_time_min": 120, "solution_time_min": null});
    let all = [
        // Friday 16:30: 30 minutes left this week, the rest on Monday morning.
        json!({"id": "deadlines", "op": "sla_deadlines", "calendar": office,
            "start": "2024-01-05T16:30:00+01:00", "sla": sla,
            "expected": {"first_response_escalation_at": "2024-01-08T09:30:00+01:00",
                         "update_escalation_at": "2024-01-08T10:30:00+01:00",
                         "close_escalation_at": null}}),
        json!({"id": "first-response", "op": "sla_first_response_metrics", "calendar": office,
            "start": "2024-01-05T16:30:00+01:00", "sla": sla,
            "first_response_at": "2024-01-08T09:45:00+01:00",
            "expected": {"first_response_in_min": 75, "first_response_diff_in_min": -15}}),
        json!({"id": "update", "op": "sla_update_metrics", "calendar": office,
            "start": "2024-01-08T10:00:00+01:00", "sla": sla,
            "last_contact_agent_at": "2024-01-08T11:00:00+01:00",
            "expected": {"update_in_min": 60, "update_diff_in_min": 60}}),
        // No solution target: the time is measured, the difference is not.
        json!({"id": "close", "op": "sla_close_metrics", "calendar": office,
            "start": "2024-01-08T09:00:00+01:00", "sla": sla,
            "close_at": "2024-01-09T10:00:00+01:00",
            "expected": {"close_in_min": 540, "close_diff_in_min": null}}),
    ];
    for case in &all {
        let outcome = cases::evaluate_from(case);
        assert_eq!(
            outcome,
            CaseOutcome::Passed,
            "{}",
            outcome.report_line(case["id"].as_str().unwrap())
        );
    }

    // The older names still read the same.
    let aliased = json!({"id": "alias", "op": "sla_update_metrics", "calendar": office,
        "last_contact_customer_at": "2024-01-08T10:00:00+01:00", "target_min": 120,
        "last_contact_agent_at": "2024-01-08T11:00:00+01:00",
        "expected": {"update_in_min": 60, "update_diff_in_min": 60}});
    assert_eq!(cases::evaluate_from(&aliased), CaseOutcome::Passed);
    let missing = json!({"id": "m", "op": "sla_first_response_metrics", "calendar": office,
        "start": "2024-01-08T10:00:00+01:00", "first_response_at": "2024-01-08T11:00:00+01:00",
        "expected": {}});
    assert_eq!(
        cases::evaluate_from(&missing).report_line("m"),
        "m FAIL missing field `sla`"
    );
}

// --- DST -------------------------------------------------------------------------------------

fn berlin_all_day() -> Calendar {
    let day = json!([["00:00", "24:00"]]);
    calendar(json!({"tz": "Europe/Berlin", "hours": {
        "mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": day, "sun": day}}))
}

#[test]
fn a_full_day_lasts_23_hours_in_spring_and_25_in_autumn() {
    let cal = berlin_all_day();
    let day = |d: &str, next: &str| {
        cal.business_duration_between(local(&cal, d), local(&cal, next))
            .unwrap()
    };
    assert_eq!(day("2024-03-31T00:00", "2024-04-01T00:00"), hours(23));
    assert_eq!(day("2024-10-27T00:00", "2024-10-28T00:00"), hours(25));
    assert_eq!(day("2024-10-28T00:00", "2024-10-29T00:00"), hours(24));
    // A whole year: 8784 hours in 2024 (a leap year), whatever the clocks did.
    assert_eq!(day("2024-01-01T00:00", "2025-01-01T00:00"), hours(8784));
}

#[test]
fn intervals_touching_a_dst_jump_keep_their_real_length() {
    // Sunday 01:00-04:00: the spring jump (02:00 -> 03:00) removes an hour, the autumn fold
    // (03:00 -> 02:00) adds one.
    let cal = calendar(json!({"tz": "Europe/Berlin", "hours": {"sun": [["01:00", "04:00"]]}}));
    let spring_open = local(&cal, "2024-03-31T01:00");
    assert_eq!(spring_open, utc("2024-03-31T00:00:00Z"));
    let spring_close = cal.add_business(spring_open, hours(2)).unwrap();
    assert_eq!(spring_close, utc("2024-03-31T02:00:00Z"), "04:00 CEST");
    assert_eq!(
        cal.add_business(spring_open, hours(2) + SignedDuration::from_secs(1))
            .unwrap(),
        utc("2024-04-06T23:00:01Z"),
        "the next Sunday opens 01:00 CEST"
    );
    assert_eq!(
        cal.sub_business(spring_close, hours(2)).unwrap(),
        spring_open
    );

    let autumn_open = local(&cal, "2024-10-27T01:00");
    let autumn_close = local(&cal, "2024-10-27T04:00");
    assert_eq!(
        cal.business_duration_between(autumn_open, autumn_close)
            .unwrap(),
        hours(4)
    );
    assert_eq!(
        cal.add_business(autumn_open, hours(4)).unwrap(),
        autumn_close
    );
}

#[test]
fn a_deadline_across_the_spring_jump_is_on_the_new_clock() {
    let weekday = json!([["09:00", "17:00"]]);
    let cal = calendar(json!({"tz": "America/New_York", "hours": {
        "mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday, "fri": weekday}}));
    // Friday 16:00 EST + 2 h: one hour on Friday, one on Monday after the jump (EDT, UTC-4).
    let friday = utc("2024-03-08T21:00:00Z");
    let monday = cal.add_business(friday, hours(2)).unwrap();
    assert_eq!(monday, utc("2024-03-11T14:00:00Z"));
    assert_eq!(
        cal.business_duration_between(friday, monday).unwrap(),
        hours(2)
    );
    assert_eq!(cal.sub_business(monday, hours(2)).unwrap(), friday);
}

// --- 24:00, moved working days, holidays ------------------------------------------------------

#[test]
fn intervals_may_end_at_midnight() {
    let cal = calendar(json!({"tz": "floating",
        "hours": {"fri": [["20:00", "24:00"]], "sat": [["00:00", "02:00"]]}}));
    let fri = |t: &str| local(&cal, &format!("2024-05-03T{t}"));
    let sat = |t: &str| local(&cal, &format!("2024-05-04T{t}"));
    assert_eq!(
        cal.add_business(fri("23:00"), hours(2)).unwrap(),
        sat("01:00")
    );
    assert_eq!(
        cal.add_business(fri("22:00"), hours(2)).unwrap(),
        sat("00:00")
    );
    assert_eq!(
        cal.sub_business(sat("01:00"), hours(2)).unwrap(),
        fri("23:00")
    );
    assert_eq!(
        cal.business_duration_between(fri("20:00"), sat("02:00"))
            .unwrap(),
        hours(6)
    );
    assert!(cal.is_working_at(fri("23:59")).unwrap());
    assert!(!cal.is_working_at(sat("02:00")).unwrap());
}

/// Moscow, 2024: Saturday 2 November is a (shortened) working day moved from Monday 4
/// November, which is the Unity Day holiday.
fn moscow_november_2024() -> Calendar {
    let day = json!([["09:00", "18:00"]]);
    calendar(json!({
        "tz": "Europe/Moscow",
        "hours": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day},
        "holidays": [{"date": "2024-11-04", "summary": "День народного единства"}],
        "working_days": [{"date": "2024-11-02", "hours": [["09:00", "17:00"]], "summary": "перенос с 4 ноября"}]
    }))
}

#[test]
fn a_moved_saturday_works_and_its_monday_rests() {
    let cal = moscow_november_2024();
    let at = |t: &str| local(&cal, t);
    assert_eq!(
        cal.add_business(at("2024-11-01T17:00"), hours(2)).unwrap(),
        at("2024-11-02T10:00")
    );
    assert_eq!(
        cal.add_business(at("2024-11-02T16:00"), hours(2)).unwrap(),
        at("2024-11-05T10:00")
    );
    assert_eq!(
        cal.sub_business(at("2024-11-05T10:00"), hours(2)).unwrap(),
        at("2024-11-02T16:00")
    );
    assert_eq!(
        cal.business_days_between(date(2024, 10, 28), date(2024, 11, 5)),
        6
    );
    assert_eq!(
        cal.business_days_inclusive(date(2024, 11, 2), date(2024, 11, 4)),
        1
    );
    assert_eq!(
        cal.add_business_days(at("2024-11-01T12:00"), 1).unwrap(),
        at("2024-11-02T12:00")
    );
    assert_eq!(
        cal.add_business_days(at("2024-11-02T12:00"), 1).unwrap(),
        at("2024-11-05T12:00")
    );
    assert_eq!(
        cal.sub_business_days(at("2024-11-05T12:00"), 2).unwrap(),
        at("2024-11-01T12:00")
    );
    assert!(cal.is_working_date(date(2024, 11, 2)));
    assert!(!cal.is_working_date(date(2024, 11, 4)));
}

#[test]
fn holidays_are_skipped_whole() {
    let day = json!([["09:00", "17:00"]]);
    let cal = calendar(json!({"tz": "America/New_York",
        "hours": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day},
        "holidays": ["2024-07-04"]}));
    let wednesday = local(&cal, "2024-07-03T16:00");
    assert_eq!(
        cal.add_business(wednesday, hours(2)).unwrap(),
        local(&cal, "2024-07-05T10:00")
    );
    assert_eq!(
        cal.business_days_between(date(2024, 7, 1), date(2024, 7, 8)),
        4
    );
    assert_eq!(
        cal.business_days_between(date(2024, 7, 8), date(2024, 7, 1)),
        -4
    );
}

// --- zero and negative durations --------------------------------------------------------------

#[test]
fn zero_moves_to_the_nearest_working_moment_in_the_direction_of_travel() {
    let day = json!([["09:00", "17:00"]]);
    let cal = calendar(json!({"tz": "Etc/UTC", "hours": {"mon": day, "tue": day}}));
    let mon = |t: &str| utc(&format!("2024-01-01T{t}:00Z"));
    let tue = |t: &str| utc(&format!("2024-01-02T{t}:00Z"));
    let zero = SignedDuration::ZERO;
    assert_eq!(cal.add_business(mon("12:00"), zero).unwrap(), mon("12:00"));
    assert_eq!(cal.add_business(mon("09:00"), zero).unwrap(), mon("09:00"));
    assert_eq!(
        cal.add_business(mon("17:00"), zero).unwrap(),
        tue("09:00"),
        "periods end before 17:00"
    );
    assert_eq!(cal.sub_business(mon("17:00"), zero).unwrap(), mon("17:00"));
    assert_eq!(
        cal.sub_business(tue("09:00"), zero).unwrap(),
        mon("17:00"),
        "periods start after 09:00"
    );
    assert_eq!(
        cal.sub_business(tue("12:00"), hours(-1)).unwrap(),
        tue("13:00")
    );
    assert_eq!(
        cal.add_business(tue("10:00"), hours(-2)).unwrap(),
        mon("16:00")
    );
    assert_eq!(
        cal.business_duration_between(tue("10:00"), mon("16:00"))
            .unwrap(),
        hours(-2)
    );
}

// --- calendars without (enough) working time --------------------------------------------------

#[test]
fn a_calendar_needs_some_working_time() {
    let err = calendar_error(json!({"tz": "Etc/UTC", "hours": {}, "holidays": ["2024-01-01"]}));
    assert_eq!(err, "the calendar has no working hours on any day");
}

#[test]
fn running_out_of_working_days_is_an_error_not_a_hang() {
    let cal = calendar(json!({"tz": "Europe/Berlin",
        "working_days": [{"date": "2024-06-01", "hours": [["10:00", "12:00"]]}]}));
    let before = utc("2020-01-01T00:00:00Z");
    assert_eq!(
        cal.next_working_moment(before).unwrap(),
        local(&cal, "2024-06-01T10:00")
    );
    assert_eq!(
        cal.add_business(before, hours(2)).unwrap(),
        local(&cal, "2024-06-01T12:00")
    );
    assert_eq!(
        cal.add_business(before, hours(3)),
        Err(BusinessTimeError::NoWorkingTime)
    );
    assert_eq!(
        cal.sub_business(before, hours(1)),
        Err(BusinessTimeError::NoWorkingTime)
    );
    assert_eq!(
        cal.business_duration_between(before, utc("2030-01-01T00:00:00Z"))
            .unwrap(),
        hours(2)
    );
    assert_eq!(
        cal.add_business_days(before, 2),
        Err(BusinessTimeError::NoWorkingTime)
    );
}

#[test]
fn results_beyond_the_last_date_are_errors() {
    let cal = berlin_all_day();
    let huge = SignedDuration::from_hours(24 * 365 * 20_000);
    assert_eq!(
        cal.add_business(utc("2024-01-01T00:00:00Z"), huge),
        Err(BusinessTimeError::OutOfRange)
    );
    assert_eq!(
        cal.sub_business(utc("2024-01-01T00:00:00Z"), huge),
        Err(BusinessTimeError::OutOfRange)
    );
}

// --- validation and storage -------------------------------------------------------------------

#[test]
fn invalid_calendars_say_what_is_wrong() {
    let day = json!([["09:00", "17:00"]]);
    let cases = [
        (
            json!({"tz": "Nowhere/Land", "hours": {"mon": day}}),
            "unknown time zone \"Nowhere/Land\"",
        ),
        (
            json!({"tz": "Etc/UTC", "hours": {"mon": [["17:00", "09:00"]]}}),
            "must start before it ends",
        ),
        (
            json!({"tz": "Etc/UTC", "hours": {"mon": [["09:00", "0:00"]]}}),
            "24:00",
        ),
        (
            json!({"tz": "Etc/UTC", "hours": {"mon": [["09:00", "13:00"], ["12:00", "17:00"]]}}),
            "mon: working intervals must be in order and must not overlap",
        ),
        (
            json!({"tz": "Etc/UTC", "hours": {"mon": day}, "holidays": ["2024-11-02"],
                   "working_days": [{"date": "2024-11-02", "hours": day}]}),
            "2024-11-02 is both a holiday and a working day",
        ),
        (
            json!({"tz": "Etc/UTC", "working_days": [{"date": "2024-11-02", "hours": []}]}),
            "working day 2024-11-02 has no working hours",
        ),
        (
            json!({"tz": "Etc/UTC", "working_days": [{"date": "2024-11-02", "hours": day}, {"date": "2024-11-02", "hours": day}]}),
            "2024-11-02 is listed twice as a working day",
        ),
        (
            json!({"tz": "Etc/UTC", "hours": {"mon": day}, "holiday": []}),
            "unknown field `holiday`",
        ),
        (
            json!({"tz": "Etc/UTC", "hours": {"mon": [["9am", "5pm"]]}}),
            "is not HH:MM",
        ),
    ];
    for (shape, message) in cases {
        let err = calendar_error(shape.clone());
        assert!(
            err.contains(message),
            "{shape}: {err:?} should mention {message:?}"
        );
    }
}

#[test]
fn calendars_round_trip_through_json() {
    let cal = moscow_november_2024().with_note("production calendar");
    let stored = serde_json::to_value(&cal).unwrap();
    assert_eq!(stored["tz"], "Europe/Moscow");
    assert_eq!(stored["holidays"][0]["summary"], "День народного единства");
    let back: Calendar = serde_json::from_value(stored).unwrap();
    assert_eq!(back, cal);
}

#[test]
fn holidays_from_ical_feed_a_calendar() {
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250109\r\nSUMMARY:Новогодние каникулы\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let holidays = holidays_from_ical(ics).unwrap();
    let day = DayHours::new(vec![
        WorkingInterval::new("09:00".parse().unwrap(), "18:00".parse().unwrap()).unwrap(),
    ])
    .unwrap();
    let mut week = WeeklyHours::new();
    for weekday in [
        jiff::civil::Weekday::Monday,
        jiff::civil::Weekday::Tuesday,
        jiff::civil::Weekday::Wednesday,
        jiff::civil::Weekday::Thursday,
        jiff::civil::Weekday::Friday,
    ] {
        week = week.with(weekday, day.clone());
    }
    let cal = Calendar::new(
        CalendarZone::iana("Europe/Moscow").unwrap(),
        week,
        holidays,
        [],
    )
    .unwrap();
    assert_eq!(
        cal.business_days_between(date(2025, 1, 1), date(2025, 1, 13)),
        2
    );
    let new_year_eve = local(&cal, "2024-12-31T17:00");
    assert_eq!(
        cal.add_business(new_year_eve, hours(2)).unwrap(),
        local(&cal, "2025-01-09T10:00")
    );
}

// --- SLA ------------------------------------------------------------------------------------

#[test]
fn sla_deadlines_and_metrics_follow_zammad() {
    let day = json!([["09:00", "17:00"]]);
    let cal = calendar(json!({"tz": "Europe/Berlin",
        "hours": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}}));
    let created = local(&cal, "2024-06-07T16:30"); // a Friday
    let targets = EscalationTargets {
        first_response_time_min: Some(60),
        update_time_min: Some(0),
        solution_time_min: Some(8 * 60),
    };
    let deadlines = cal.sla_deadlines(created, &targets).unwrap();
    assert_eq!(
        deadlines.first_response_escalation_at,
        Some(local(&cal, "2024-06-10T09:30"))
    );
    assert_eq!(
        deadlines.update_escalation_at, None,
        "a zero target has no deadline"
    );
    assert_eq!(
        deadlines.close_escalation_at,
        Some(local(&cal, "2024-06-10T16:30"))
    );

    let responded = local(&cal, "2024-06-10T10:00:59");
    let first = cal
        .sla_first_response_metrics(created, 60, responded)
        .unwrap();
    assert_eq!(
        (
            first.first_response_in_min,
            first.first_response_diff_in_min
        ),
        (90, -30)
    );

    let customer = local(&cal, "2024-06-10T11:00");
    let update = cal
        .sla_update_metrics(customer, 120, local(&cal, "2024-06-10T11:45"))
        .unwrap();
    assert_eq!((update.update_in_min, update.update_diff_in_min), (45, 75));
    let earlier = cal
        .sla_update_metrics(customer, 120, local(&cal, "2024-06-10T10:00"))
        .unwrap();
    assert_eq!(earlier.update_in_min, 0);

    let closed = cal
        .sla_close_metrics(created, 480, local(&cal, "2024-06-11T09:00"))
        .unwrap();
    assert_eq!((closed.close_in_min, closed.close_diff_in_min), (510, -30));
}

// --- long durations ---------------------------------------------------------------------------

#[test]
fn years_of_business_time_are_quick_and_exact() {
    let cal = &CALENDARS[1];
    let start = utc("2024-01-03T10:15:00Z");
    let duration = hours(8 * 250 * 10); // about ten working years
    let started = std::time::Instant::now();
    let end = cal.add_business(start, duration).unwrap();
    assert_eq!(cal.business_duration_between(start, end).unwrap(), duration);
    assert_eq!(cal.sub_business(end, duration).unwrap(), start);
    assert_eq!(end, naive_add(cal, start, duration));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

// --- properties -------------------------------------------------------------------------------

/// Calendars with DST zones (one changing at midnight), breaks, 24:00 ends, intervals across DST jumps, holidays and
/// moved working days.
static CALENDARS: LazyLock<Vec<Calendar>> = LazyLock::new(|| {
    let office = json!([["09:00", "12:00"], ["13:00", "18:00"]]);
    let all_day = json!([["00:00", "24:00"]]);
    vec![
        calendar(json!({"tz": "Etc/UTC", "hours": {
            "mon": [["09:00", "17:00"]], "tue": [["10:00", "16:00"]], "wed": [["09:00", "17:00"]],
            "thu": [["10:00", "16:00"]], "fri": [["09:00", "17:00"]], "sat": [["11:00", "14:30"]]}})),
        calendar(json!({"tz": "Europe/Berlin",
            "hours": {"mon": office, "tue": office, "wed": office, "thu": office, "fri": office,
                      "sun": [["01:00", "04:00"]]},
            "holidays": ["2024-12-25", "2024-12-26", "2025-01-01", "2025-04-18", "2025-04-21",
                         "2025-12-25", "2025-12-26", "2026-01-01"],
            "working_days": [{"date": "2025-11-01", "hours": [["10:00", "14:00"]]}]})),
        calendar(json!({"tz": "America/New_York",
            "hours": {"mon": all_day, "tue": all_day, "wed": all_day, "thu": all_day, "fri": all_day,
                      "sat": [["22:00", "24:00"]]},
            "holidays": ["2024-07-04", "2025-07-04", "2025-11-27"]})),
        // Chile changes its clocks at midnight, so whole dates shift.
        calendar(json!({"tz": "America/Santiago",
            "hours": {"mon": [["00:00", "01:30"], ["09:00", "18:00"]], "sat": all_day, "sun": [["23:00", "24:00"]]},
            "holidays": ["2024-09-18", "2024-09-19"]})),
        calendar(json!({"tz": "floating",
            "hours": {"wed": [["08:00", "08:30"], ["20:00", "24:00"]]},
            "working_days": [{"date": "2025-03-01", "hours": [["00:00", "24:00"]]}]})),
    ]
});

/// The same walk as `add_business`, one date at a time with no skipping.
fn naive_add(cal: &Calendar, from: Timestamp, duration: SignedDuration) -> Timestamp {
    let mut remaining = duration;
    let mut date = cal.local_date(from);
    loop {
        for segment in cal.segments_on(date).unwrap() {
            let start = segment.start.max(from);
            if start >= segment.end {
                continue;
            }
            let available = segment.end.duration_since(start);
            if remaining <= available {
                return start + remaining;
            }
            remaining -= available;
        }
        date = date.tomorrow().unwrap();
    }
}

fn naive_between(cal: &Calendar, start: Timestamp, end: Timestamp) -> SignedDuration {
    let mut total = SignedDuration::ZERO;
    let mut date = cal.local_date(start);
    while date <= cal.local_date(end) {
        for segment in cal.segments_on(date).unwrap() {
            let from = segment.start.max(start);
            let to = segment.end.min(end);
            if from < to {
                total += to.duration_since(from);
            }
        }
        date = date.tomorrow().unwrap();
    }
    total
}

fn naive_business_days(cal: &Calendar, start: Date, end: Date) -> i64 {
    let mut count = 0;
    let mut date = start;
    while date < end {
        count += i64::from(cal.is_working_date(date));
        date = date.tomorrow().unwrap();
    }
    count
}

fn any_calendar() -> impl Strategy<Value = &'static Calendar> {
    (0..CALENDARS.len()).prop_map(|i| &CALENDARS[i])
}

/// Instants from 2023 to 2026, at whole seconds or with nanoseconds.
fn any_instant() -> impl Strategy<Value = Timestamp> {
    let from = utc("2023-01-01T00:00:00Z").as_second();
    let to = utc("2027-01-01T00:00:00Z").as_second();
    (from..to, prop_oneof![Just(0i32), 0..1_000_000_000i32])
        .prop_map(|(s, ns)| Timestamp::new(s, ns).unwrap())
}

/// Minutes to more than a year of business time.
fn any_duration() -> impl Strategy<Value = SignedDuration> {
    prop_oneof![
        (0i64..3_600).prop_map(SignedDuration::from_secs),
        (0i64..86_400 * 14).prop_map(SignedDuration::from_secs),
        (0i64..86_400 * 400).prop_map(SignedDuration::from_secs),
    ]
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i64..4 * 366).prop_map(|d| {
        date(2023, 1, 1)
            .checked_add(SignedDuration::from_hours(24 * d))
            .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn business_time_between_a_moment_and_its_deadline_is_the_duration(
        cal in any_calendar(), t in any_instant(), d in any_duration()
    ) {
        let end = cal.add_business(t, d);
        prop_assume!(end != Err(BusinessTimeError::NoWorkingTime));
        let end = end.unwrap();
        prop_assert_eq!(cal.business_duration_between(t, end).unwrap(), d);
        prop_assert_eq!(cal.business_duration_between(end, t).unwrap(), -d);
    }

    #[test]
    fn subtracting_undoes_adding_from_inside_business_time(
        cal in any_calendar(), raw in any_instant(), d in any_duration()
    ) {
        prop_assume!(!d.is_zero());
        let t = cal.next_working_moment(raw);
        prop_assume!(t.is_ok());
        let t = t.unwrap();
        prop_assert!(cal.is_working_at(t).unwrap());
        let end = cal.add_business(t, d);
        prop_assume!(end.is_ok());
        prop_assert_eq!(cal.sub_business(end.unwrap(), d).unwrap(), t);
    }

    #[test]
    fn adding_more_never_ends_earlier(
        cal in any_calendar(), t in any_instant(), a in any_duration(), b in any_duration()
    ) {
        let (shorter, longer) = if a <= b { (a, b) } else { (b, a) };
        if let (Ok(x), Ok(y)) = (cal.add_business(t, shorter), cal.add_business(t, longer)) {
            prop_assert!(x <= y, "{} + {:?} = {} but + {:?} = {}", t, shorter, x, longer, y);
        }
    }

    #[test]
    fn skipping_whole_weeks_matches_walking_every_day(
        cal in any_calendar(), t in any_instant(), d in any_duration(), other in any_instant()
    ) {
        if let Ok(end) = cal.add_business(t, d) {
            prop_assert_eq!(end, naive_add(cal, t, d));
        }
        let (a, b) = if t <= other { (t, other) } else { (other, t) };
        prop_assert_eq!(cal.business_duration_between(a, b).unwrap(), naive_between(cal, a, b));
    }

    #[test]
    fn business_days_are_counted_like_walking_every_day(
        cal in any_calendar(), a in any_date(), b in any_date()
    ) {
        let (start, end) = if a <= b { (a, b) } else { (b, a) };
        prop_assert_eq!(cal.business_days_between(start, end), naive_business_days(cal, start, end));
    }

    #[test]
    fn stepping_business_days_counts_working_dates(
        cal in any_calendar(), t in any_instant(), n in 1i64..400
    ) {
        // n working dates on, then possibly to the next opening when the time of day is after
        // that date's close.
        if let Ok(later) = cal.add_business_days(t, n) {
            let after = |x: Timestamp| cal.local_date(x).tomorrow().unwrap();
            let counted = cal.business_days_between(after(t), after(later));
            prop_assert!(counted == n || counted == n + 1, "{} + {} days = {} ({} dates)", t, n, later, counted);
            prop_assert!(cal.is_working_at(later).unwrap());
            let back = cal.sub_business_days(t, n).unwrap();
            let counted_back = cal.business_days_between(after(back), after(t));
            prop_assert!(counted_back == n || counted_back == n - 1 || counted_back == n + 1, "{} - {} days = {} ({} dates)", t, n, back, counted_back);
        }
    }
}
