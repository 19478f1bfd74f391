//! Holidays from an iCalendar (RFC 5545) feed: every all-day `VEVENT` is one holiday per date
//! from `DTSTART` up to its exclusive `DTEND` (or `DURATION` in days or weeks; one day when
//! neither is given), named by its `SUMMARY`.

use jiff::civil::Date;

use super::walk::days_between;
use super::{Holiday, MAX_EXCEPTION_DATES};

/// A single event may span at most this many days.
pub const MAX_EVENT_DAYS: i64 = 366;

/// An iCalendar text that does not describe all-day holidays; `line` is 1-based and points at
/// the start of the (unfolded) content line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("iCalendar line {line}: {message}")]
pub struct IcalError {
    pub line: usize,
    pub message: String,
}

impl IcalError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        IcalError {
            line,
            message: message.into(),
        }
    }
}

/// The holidays of all all-day events in `text`, sorted by date, one per date (the first
/// event's summary wins). Timed and recurring events are refused rather than misread.
pub fn holidays_from_ical(text: &str) -> Result<Vec<Holiday>, IcalError> {
    let mut holidays: Vec<Holiday> = Vec::new();
    let mut event: Option<EventDraft> = None;
    // Components nested inside a VEVENT (VALARM…) whose properties are not the event's.
    let mut nested_depth = 0usize;
    for (line_no, line) in unfold(text) {
        if line.trim().is_empty() {
            continue;
        }
        let property = ContentLine::parse(&line).ok_or_else(|| {
            IcalError::new(
                line_no,
                format!("not a content line (NAME:value): {line:?}"),
            )
        })?;
        match (property.name.as_str(), event.as_mut()) {
            ("BEGIN", None) if property.value.eq_ignore_ascii_case("VEVENT") => {
                event = Some(EventDraft::new(line_no));
            }
            ("BEGIN", Some(_)) => nested_depth += 1,
            ("END", Some(_)) if nested_depth > 0 => nested_depth -= 1,
            ("END", Some(_)) if property.value.eq_ignore_ascii_case("VEVENT") => {
                if let Some(draft) = event.take() {
                    draft.expand_into(&mut holidays)?;
                }
                if holidays.len() > MAX_EXCEPTION_DATES {
                    return Err(IcalError::new(line_no, "too many holiday dates"));
                }
            }
            (_, Some(draft)) if nested_depth == 0 => draft.apply(&property, line_no)?,
            _ => {}
        }
    }
    if let Some(draft) = event {
        return Err(IcalError::new(
            draft.begins_at,
            "VEVENT is not closed by END:VEVENT",
        ));
    }
    holidays.sort_by_key(|h| h.date);
    holidays.dedup_by_key(|h| h.date);
    Ok(holidays)
}

/// Joins folded lines (a line break followed by a space or tab continues the line) and yields
/// each logical line with the number of its first physical line.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        match (physical.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(continuation), Some((_, logical))) => logical.push_str(continuation),
            _ => lines.push((index + 1, physical.to_string())),
        }
    }
    lines
}

/// `NAME;PARAM=value;…:value`, with the name and parameter names upper-cased.
struct ContentLine {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl ContentLine {
    fn parse(line: &str) -> Option<ContentLine> {
        // The value starts at the first ':' outside a quoted parameter value.
        let mut in_quotes = false;
        let colon = line.char_indices().find_map(|(i, c)| match c {
            '"' => {
                in_quotes = !in_quotes;
                None
            }
            ':' if !in_quotes => Some(i),
            _ => None,
        })?;
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let mut parts = split_outside_quotes(head, ';').into_iter();
        let name = parts.next()?.trim().to_ascii_uppercase();
        if name.is_empty() {
            return None;
        }
        let params = parts
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (
                    k.trim().to_ascii_uppercase(),
                    v.trim_matches('"').to_string(),
                ),
                None => (p.trim().to_ascii_uppercase(), String::new()),
            })
            .collect();
        Some(ContentLine {
            name,
            params,
            value: value.to_string(),
        })
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == separator && !in_quotes {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

struct EventDraft {
    begins_at: usize,
    start: Option<Date>,
    end: Option<(Date, usize)>,
    duration_days: Option<(i64, usize)>,
    summary: Option<String>,
}

impl EventDraft {
    fn new(begins_at: usize) -> Self {
        EventDraft {
            begins_at,
            start: None,
            end: None,
            duration_days: None,
            summary: None,
        }
    }

    fn apply(&mut self, property: &ContentLine, line: usize) -> Result<(), IcalError> {
        match property.name.as_str() {
            "DTSTART" => self.start = Some(all_day_date(property, line)?),
            "DTEND" => self.end = Some((all_day_date(property, line)?, line)),
            "DURATION" => self.duration_days = Some((duration_days(&property.value, line)?, line)),
            "SUMMARY" => self.summary = Some(unescape_text(&property.value)),
            "RRULE" | "RDATE" => {
                return Err(IcalError::new(
                    line,
                    "recurring events are not supported; list each holiday as its own event",
                ));
            }
            _ => {}
        }
        Ok(())
    }

    fn expand_into(self, holidays: &mut Vec<Holiday>) -> Result<(), IcalError> {
        let start = self
            .start
            .ok_or_else(|| IcalError::new(self.begins_at, "VEVENT has no DTSTART"))?;
        let days = match (self.end, self.duration_days) {
            (Some((end, line)), _) => {
                let days = days_between(start, end);
                if days <= 0 {
                    return Err(IcalError::new(line, "DTEND must be after DTSTART"));
                }
                (days, line)
            }
            (None, Some(duration)) => duration,
            (None, None) => (1, self.begins_at),
        };
        let (days, line) = days;
        if days > MAX_EVENT_DAYS {
            return Err(IcalError::new(
                line,
                format!("an event spans {days} days; at most {MAX_EVENT_DAYS} are allowed"),
            ));
        }
        let mut date = start;
        for _ in 0..days {
            holidays.push(Holiday {
                date,
                summary: self.summary.clone().filter(|s| !s.is_empty()),
            });
            date = date
                .tomorrow()
                .map_err(|_| IcalError::new(line, "the event runs past the last supported date"))?;
        }
        Ok(())
    }
}

/// The date of an all-day `DTSTART`/`DTEND` (`VALUE=DATE`, `YYYYMMDD`).
fn all_day_date(property: &ContentLine, line: usize) -> Result<Date, IcalError> {
    let value = property.value.trim();
    let declared_date = property
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    if value.contains('T') || (!declared_date && value.len() != 8) {
        return Err(IcalError::new(
            line,
            format!(
                "{} {value:?} has a time of day; only all-day events (VALUE=DATE) are holidays",
                property.name
            ),
        ));
    }
    let invalid = || {
        IcalError::new(
            line,
            format!("{} {value:?} is not a date YYYYMMDD", property.name),
        )
    };
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let year: i16 = value[0..4].parse().map_err(|_| invalid())?;
    let month: i8 = value[4..6].parse().map_err(|_| invalid())?;
    let day: i8 = value[6..8].parse().map_err(|_| invalid())?;
    Date::new(year, month, day).map_err(|_| invalid())
}

/// Days in a `DURATION` of whole days or weeks (`P3D`, `P1W`).
fn duration_days(value: &str, line: usize) -> Result<i64, IcalError> {
    let invalid = || {
        IcalError::new(
            line,
            format!("DURATION {value:?} is not a whole number of days (PnD) or weeks (PnW)"),
        )
    };
    let body = value.trim().strip_prefix('+').unwrap_or(value.trim());
    let body = body.strip_prefix('P').ok_or_else(invalid)?;
    let (number, per_unit) = if let Some(n) = body.strip_suffix('D') {
        (n, 1)
    } else if let Some(n) = body.strip_suffix('W') {
        (n, 7)
    } else {
        return Err(invalid());
    };
    let count: i64 = number.parse().map_err(|_| invalid())?;
    if count <= 0 {
        return Err(invalid());
    }
    count.checked_mul(per_unit).ok_or_else(invalid)
}

/// RFC 5545 TEXT unescaping: `\\`, `\;`, `\,`, `\n`.
fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Russian public holidays 2025, as a government feed writes them: folded lines, CRLF, an
    /// alarm inside an event, and a multi-day event whose DTEND is exclusive.
    const RUSSIA_2025: &str = "BEGIN:VCALENDAR\r\n\
VERSION:2.0\r\n\
PRODID:-//Example//Production calendar//RU\r\n\
BEGIN:VEVENT\r\n\
UID:ny-2025@example\r\n\
DTSTART;VALUE=DATE:20250101\r\n\
DTEND;VALUE=DATE:20250109\r\n\
SUMMARY:Новогодние каникулы и Рождество Христ\r\n\
\x20ово\r\n\
BEGIN:VALARM\r\n\
ACTION:DISPLAY\r\n\
DESCRIPTION:Reminder\r\n\
DTSTART;VALUE=DATE:19990101\r\n\
END:VALARM\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:feb23@example\r\n\
DTSTART;VALUE=DATE:20250224\r\n\
SUMMARY:День защитника Отечества (перенос)\\, выходной\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
dtstart:20250501\r\n\
DURATION:P2D\r\n\
SUMMARY;LANGUAGE=ru:Праздник Весны и Труда\r\n\
END:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn new_year_holidays_span_until_the_exclusive_dtend() {
        let holidays = holidays_from_ical(RUSSIA_2025).unwrap();
        let dates: Vec<Date> = holidays.iter().map(|h| h.date).collect();
        let mut expected: Vec<Date> = (1..=8).map(|d| date(2025, 1, d)).collect();
        expected.extend([date(2025, 2, 24), date(2025, 5, 1), date(2025, 5, 2)]);
        assert_eq!(dates, expected);
        assert_eq!(
            holidays[0].summary.as_deref(),
            Some("Новогодние каникулы и Рождество Христово")
        );
        assert_eq!(
            holidays[8].summary.as_deref(),
            Some("День защитника Отечества (перенос), выходной")
        );
        assert_eq!(
            holidays[9].summary.as_deref(),
            Some("Праздник Весны и Труда")
        );
    }

    #[test]
    fn unix_line_endings_and_tab_folding_work_too() {
        let text =
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20251231\nSUMMARY:New\n\t Year's Eve\nEND:VEVENT\n";
        let holidays = holidays_from_ical(text).unwrap();
        assert_eq!(
            holidays,
            vec![Holiday::named(date(2025, 12, 31), "New Year's Eve")]
        );
    }

    #[test]
    fn timed_recurring_and_broken_events_are_refused() {
        let timed = "BEGIN:VEVENT\nDTSTART:20250101T090000Z\nEND:VEVENT\n";
        let err = holidays_from_ical(timed).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("all-day"), "{err}");

        let recurring =
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101\nRRULE:FREQ=YEARLY\nEND:VEVENT\n";
        assert!(
            holidays_from_ical(recurring)
                .unwrap_err()
                .message
                .contains("recurring")
        );

        let backwards =
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20250105\nDTEND;VALUE=DATE:20250101\nEND:VEVENT\n";
        assert!(
            holidays_from_ical(backwards)
                .unwrap_err()
                .message
                .contains("after DTSTART")
        );

        let bad_date = "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20250230\nEND:VEVENT\n";
        assert!(holidays_from_ical(bad_date).is_err());

        let unclosed = "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101\n";
        assert_eq!(holidays_from_ical(unclosed).unwrap_err().line, 1);

        let no_start = "BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\n";
        assert!(
            holidays_from_ical(no_start)
                .unwrap_err()
                .message
                .contains("DTSTART")
        );

        let too_long =
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101\nDTEND;VALUE=DATE:20300101\nEND:VEVENT\n";
        assert!(
            holidays_from_ical(too_long)
                .unwrap_err()
                .message
                .contains("at most")
        );
    }

    #[test]
    fn quoted_parameters_may_hold_colons() {
        let text = "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20250609\nSUMMARY;ALTREP=\"http://x.example/a:b\":Whit Monday\nEND:VEVENT\n";
        let holidays = holidays_from_ical(text).unwrap();
        assert_eq!(holidays[0].summary.as_deref(), Some("Whit Monday"));
    }
}
