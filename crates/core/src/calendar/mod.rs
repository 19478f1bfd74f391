//! Business calendars and business-time arithmetic.
//!
//! A [`Calendar`] is a clock ([`CalendarZone`]: an IANA zone or floating local time), weekly
//! working hours, holidays and moved working days. On it, instants move by business time
//! ([`Calendar::add_business`], [`Calendar::sub_business`]), business time elapses between two
//! instants ([`Calendar::business_duration_between`]), business days are counted and stepped, and
//! SLA deadlines and metrics are computed with Zammad's semantics ([`sla`]).
//!
//! Working periods are half-open: a period `09:00-17:00` contains 09:00 but not 17:00. Adding a
//! positive duration that is used up exactly at the end of a period stops there (17:00), and
//! subtracting one that is used up at a period's start stops there (09:00). Moving by zero goes to
//! the nearest moment in business time in the direction of travel.
//!
//! A calendar in JSON (the shape of the shared test cases, and of a stored calendar):
//! ```json
//! {"tz": "Europe/Moscow",
//!  "hours": {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], "fri": [["09:00", "16:45"]]},
//!  "holidays": ["2025-01-01", {"date": "2025-01-02", "summary": "New Year holidays"}],
//!  "working_days": [{"date": "2025-11-01", "hours": [["09:00", "17:00"]]}]}
//! ```

mod arithmetic;
mod business_days;
pub mod cases;
mod exceptions;
mod hours;
mod ical;
pub mod sla;
mod walk;
mod zone;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use exceptions::{Holiday, WorkingDay};
pub use hours::{DayHours, HoursError, TimeOfDay, WeeklyHours, WorkingInterval};
pub use ical::{IcalError, holidays_from_ical};
pub use zone::CalendarZone;

/// At most this many holidays, and as many working days, in one calendar.
pub const MAX_EXCEPTION_DATES: usize = 20_000;

/// A calendar that cannot be built as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("unknown time zone {name:?}: {reason}")]
    UnknownTimeZone { name: String, reason: String },
    #[error("working day {0} has no working hours; list it as a holiday instead")]
    WorkingDayWithoutHours(Date),
    #[error("{0} is listed twice as a working day")]
    DuplicateWorkingDay(Date),
    #[error("{0} is both a holiday and a working day")]
    HolidayAndWorkingDay(Date),
    #[error("too many {what}: {count}; at most {MAX_EXCEPTION_DATES} are allowed")]
    TooManyDates { what: &'static str, count: usize },
    #[error("the calendar has no working hours on any day")]
    NoWorkingTime,
}

/// Business-time arithmetic that has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusinessTimeError {
    #[error("the calendar has no more working time in that direction")]
    NoWorkingTime,
    #[error("the result is outside the supported range of dates")]
    OutOfRange,
}

/// Working hours on a clock, with holidays and moved working days. Build one with
/// [`Calendar::new`] or deserialise it (see the module docs for the shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CalendarShape", into = "CalendarShape")]
pub struct Calendar {
    zone: CalendarZone,
    weekly: WeeklyHours,
    holidays: BTreeMap<Date, Holiday>,
    working_days: BTreeMap<Date, WorkingDay>,
    note: Option<String>,
    /// Wall-clock working time in a week, which is its real length in weeks without exceptions
    /// or zone transitions.
    week_length: SignedDuration,
}

impl Calendar {
    /// Validates and builds a calendar. Repeated holidays are merged (the first summary wins).
    pub fn new(
        zone: CalendarZone,
        weekly: WeeklyHours,
        holidays: impl IntoIterator<Item = Holiday>,
        working_days: impl IntoIterator<Item = WorkingDay>,
    ) -> Result<Self, CalendarError> {
        let mut holiday_map = BTreeMap::new();
        for holiday in holidays {
            holiday_map.entry(holiday.date).or_insert(holiday);
        }
        check_count("holidays", holiday_map.len())?;

        let mut working_day_map = BTreeMap::new();
        for day in working_days {
            if day.hours.is_off() {
                return Err(CalendarError::WorkingDayWithoutHours(day.date));
            }
            if holiday_map.contains_key(&day.date) {
                return Err(CalendarError::HolidayAndWorkingDay(day.date));
            }
            if working_day_map.insert(day.date, day.clone()).is_some() {
                return Err(CalendarError::DuplicateWorkingDay(day.date));
            }
        }
        check_count("working days", working_day_map.len())?;

        if weekly.is_off() && working_day_map.is_empty() {
            return Err(CalendarError::NoWorkingTime);
        }
        let week_length = SignedDuration::from_mins(i64::from(weekly.minutes()));
        Ok(Calendar {
            zone,
            weekly,
            holidays: holiday_map,
            working_days: working_day_map,
            note: None,
            week_length,
        })
    }

    /// A free-text description kept with the calendar.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn zone(&self) -> &CalendarZone {
        &self.zone
    }

    pub fn weekly_hours(&self) -> &WeeklyHours {
        &self.weekly
    }

    pub fn holidays(&self) -> impl Iterator<Item = &Holiday> {
        self.holidays.values()
    }

    pub fn working_days(&self) -> impl Iterator<Item = &WorkingDay> {
        self.working_days.values()
    }

    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The working intervals of `date`: a working day's own hours, none on a holiday, otherwise
    /// the weekly hours of its weekday.
    pub fn hours_on(&self, date: Date) -> &[WorkingInterval] {
        if let Some(day) = self.working_days.get(&date) {
            return day.hours.intervals();
        }
        if self.holidays.contains_key(&date) {
            return &[];
        }
        self.weekly.on(date.weekday()).intervals()
    }

    /// Whether `date` has any working hours.
    pub fn is_working_date(&self, date: Date) -> bool {
        !self.hours_on(date).is_empty()
    }
}

fn check_count(what: &'static str, count: usize) -> Result<(), CalendarError> {
    if count > MAX_EXCEPTION_DATES {
        return Err(CalendarError::TooManyDates { what, count });
    }
    Ok(())
}

/// The serialised form of a [`Calendar`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarShape {
    tz: String,
    #[serde(default)]
    hours: WeeklyHours,
    #[serde(default)]
    holidays: Vec<Holiday>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    working_days: Vec<WorkingDay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl TryFrom<CalendarShape> for Calendar {
    type Error = CalendarError;
    fn try_from(shape: CalendarShape) -> Result<Self, Self::Error> {
        let zone = CalendarZone::parse(&shape.tz)?;
        let calendar = Calendar::new(zone, shape.hours, shape.holidays, shape.working_days)?;
        Ok(match shape.note {
            Some(note) => calendar.with_note(note),
            None => calendar,
        })
    }
}

impl From<Calendar> for CalendarShape {
    fn from(calendar: Calendar) -> Self {
        CalendarShape {
            tz: calendar.zone.name().to_string(),
            hours: calendar.weekly,
            holidays: calendar.holidays.into_values().collect(),
            working_days: calendar.working_days.into_values().collect(),
            note: calendar.note,
        }
    }
}
