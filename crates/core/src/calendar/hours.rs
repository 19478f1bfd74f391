//! Working hours as wall-clock times: a time of day, an interval, the intervals of one day and
//! of a week.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, DateTime, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const MINUTES_PER_DAY: u16 = 24 * 60;

/// A problem with written working hours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("time of day {0:?} is not HH:MM from 00:00 to 24:00")]
    InvalidTimeOfDay(String),
    #[error(
        "working interval {start}-{end} must start before it ends \
         (write midnight at the end of a day as 24:00)"
    )]
    EmptyInterval { start: TimeOfDay, end: TimeOfDay },
    #[error(
        "working intervals must be in order and must not overlap: {second} comes after {first}"
    )]
    Unordered {
        first: WorkingInterval,
        second: WorkingInterval,
    },
}

/// A wall-clock time of day with minute precision, from 00:00 up to and including 24:00, which is
/// the end of the day (the next day's midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay {
    minutes: u16,
}

impl TimeOfDay {
    pub const MIDNIGHT: TimeOfDay = TimeOfDay { minutes: 0 };
    pub const END_OF_DAY: TimeOfDay = TimeOfDay {
        minutes: MINUTES_PER_DAY,
    };

    /// `hour` 0–23 and `minute` 0–59, or 24:00.
    pub fn new(hour: u8, minute: u8) -> Result<Self, HoursError> {
        let valid = (hour < 24 && minute < 60) || (hour == 24 && minute == 0);
        if !valid {
            return Err(HoursError::InvalidTimeOfDay(format!("{hour}:{minute:02}")));
        }
        Ok(TimeOfDay {
            minutes: u16::from(hour) * 60 + u16::from(minute),
        })
    }

    pub fn minutes_since_midnight(self) -> u16 {
        self.minutes
    }

    /// This time on `date`; 24:00 is midnight of the following day.
    pub(crate) fn on(self, date: Date) -> Result<DateTime, jiff::Error> {
        if self == Self::END_OF_DAY {
            return Ok(date.tomorrow()?.to_datetime(jiff::civil::Time::midnight()));
        }
        let hour = (self.minutes / 60) as i8;
        let minute = (self.minutes % 60) as i8;
        // In range by construction: minutes < 24 * 60 here.
        Ok(date.at(hour, minute, 0, 0))
    }
}

impl FromStr for TimeOfDay {
    type Err = HoursError;

    /// Accepts `H:MM` and `HH:MM`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || HoursError::InvalidTimeOfDay(s.to_string());
        let (hour, minute) = s.split_once(':').ok_or_else(invalid)?;
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(hour) || hour.len() > 2 || !all_digits(minute) || minute.len() != 2 {
            return Err(invalid());
        }
        let hour: u8 = hour.parse().map_err(|_| invalid())?;
        let minute: u8 = minute.parse().map_err(|_| invalid())?;
        TimeOfDay::new(hour, minute).map_err(|_| invalid())
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One stretch of working time within a day, `start` inclusive, `end` exclusive; written
/// `["09:00", "17:00"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "(TimeOfDay, TimeOfDay)", into = "(TimeOfDay, TimeOfDay)")]
pub struct WorkingInterval {
    start: TimeOfDay,
    end: TimeOfDay,
}

impl WorkingInterval {
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> Result<Self, HoursError> {
        if start >= end {
            return Err(HoursError::EmptyInterval { start, end });
        }
        Ok(WorkingInterval { start, end })
    }

    pub fn start(self) -> TimeOfDay {
        self.start
    }

    pub fn end(self) -> TimeOfDay {
        self.end
    }

    /// Length on the wall clock, which is the real length on days without a DST change.
    pub fn minutes(self) -> u16 {
        self.end.minutes - self.start.minutes
    }
}

impl TryFrom<(TimeOfDay, TimeOfDay)> for WorkingInterval {
    type Error = HoursError;
    fn try_from((start, end): (TimeOfDay, TimeOfDay)) -> Result<Self, Self::Error> {
        WorkingInterval::new(start, end)
    }
}

impl From<WorkingInterval> for (TimeOfDay, TimeOfDay) {
    fn from(interval: WorkingInterval) -> Self {
        (interval.start, interval.end)
    }
}

impl fmt::Display for WorkingInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// The working intervals of one day, in order and not overlapping (they may touch). Empty means
/// the day is off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<WorkingInterval>", into = "Vec<WorkingInterval>")]
pub struct DayHours {
    intervals: Vec<WorkingInterval>,
}

impl DayHours {
    pub fn new(intervals: Vec<WorkingInterval>) -> Result<Self, HoursError> {
        for pair in intervals.windows(2) {
            if pair[1].start < pair[0].end {
                return Err(HoursError::Unordered {
                    first: pair[0],
                    second: pair[1],
                });
            }
        }
        Ok(DayHours { intervals })
    }

    /// A day off.
    pub fn off() -> Self {
        DayHours::default()
    }

    pub fn intervals(&self) -> &[WorkingInterval] {
        &self.intervals
    }

    pub fn is_off(&self) -> bool {
        self.intervals.is_empty()
    }

    /// Total wall-clock working minutes.
    pub fn minutes(&self) -> u32 {
        self.intervals.iter().map(|i| u32::from(i.minutes())).sum()
    }
}

impl TryFrom<Vec<WorkingInterval>> for DayHours {
    type Error = HoursError;
    fn try_from(intervals: Vec<WorkingInterval>) -> Result<Self, Self::Error> {
        DayHours::new(intervals)
    }
}

impl From<DayHours> for Vec<WorkingInterval> {
    fn from(hours: DayHours) -> Self {
        hours.intervals
    }
}

/// Working hours for each day of the week; written `{"mon": [["09:00","17:00"]], …}` with days
/// off left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct WeeklyHours {
    /// Indexed by `Weekday::to_monday_zero_offset`.
    days: [DayHours; 7],
}

/// Wire names of the weekdays, Monday first.
const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl WeeklyHours {
    /// A week with every day off; add days with [`WeeklyHours::with`].
    pub fn new() -> Self {
        WeeklyHours::default()
    }

    pub fn with(mut self, weekday: Weekday, hours: DayHours) -> Self {
        self.days[weekday_index(weekday)] = hours;
        self
    }

    pub fn on(&self, weekday: Weekday) -> &DayHours {
        &self.days[weekday_index(weekday)]
    }

    /// Wall-clock working minutes in a week.
    pub fn minutes(&self) -> u32 {
        self.days.iter().map(DayHours::minutes).sum()
    }

    /// How many weekdays have working hours.
    pub fn working_weekdays(&self) -> u8 {
        self.days.iter().filter(|d| !d.is_off()).count() as u8
    }

    pub fn is_off(&self) -> bool {
        self.days.iter().all(DayHours::is_off)
    }
}

pub(crate) fn weekday_index(weekday: Weekday) -> usize {
    weekday.to_monday_zero_offset() as usize
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeeklyHoursShape {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mon: Option<Vec<WorkingInterval>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tue: Option<Vec<WorkingInterval>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wed: Option<Vec<WorkingInterval>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    thu: Option<Vec<WorkingInterval>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fri: Option<Vec<WorkingInterval>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sat: Option<Vec<WorkingInterval>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sun: Option<Vec<WorkingInterval>>,
}

impl Serialize for WeeklyHours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let day = |i: usize| {
            let hours = &self.days[i];
            (!hours.is_off()).then(|| hours.intervals.clone())
        };
        WeeklyHoursShape {
            mon: day(0),
            tue: day(1),
            wed: day(2),
            thu: day(3),
            fri: day(4),
            sat: day(5),
            sun: day(6),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for WeeklyHours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let shape = WeeklyHoursShape::deserialize(d)?;
        let written = [
            shape.mon, shape.tue, shape.wed, shape.thu, shape.fri, shape.sat, shape.sun,
        ];
        let mut week = WeeklyHours::default();
        for (index, intervals) in written.into_iter().enumerate() {
            let hours = DayHours::new(intervals.unwrap_or_default()).map_err(|e| {
                serde::de::Error::custom(format_args!("{}: {e}", WEEKDAY_KEYS[index]))
            })?;
            week.days[index] = hours;
        }
        Ok(week)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> TimeOfDay {
        s.parse().unwrap()
    }

    #[test]
    fn times_of_day_parse_and_print() {
        assert_eq!(t("9:00").to_string(), "09:00");
        assert_eq!(t("24:00"), TimeOfDay::END_OF_DAY);
        assert_eq!(t("00:00"), TimeOfDay::MIDNIGHT);
        for bad in [
            "24:01", "25:00", "9", "09:0", "09:60", "-1:00", "9:00:00", " 9:00", "ab:cd",
        ] {
            assert!(bad.parse::<TimeOfDay>().is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn intervals_must_start_before_they_end() {
        assert!(WorkingInterval::new(t("09:00"), t("17:00")).is_ok());
        assert!(WorkingInterval::new(t("20:00"), t("24:00")).is_ok());
        let err = WorkingInterval::new(t("00:00"), t("00:00")).unwrap_err();
        assert!(err.to_string().contains("24:00"), "{err}");
        assert!(WorkingInterval::new(t("17:00"), t("09:00")).is_err());
    }

    #[test]
    fn day_hours_must_be_ordered_and_disjoint() {
        let iv = |a, b| WorkingInterval::new(t(a), t(b)).unwrap();
        assert!(DayHours::new(vec![iv("09:00", "12:00"), iv("12:00", "13:00")]).is_ok());
        let overlap = DayHours::new(vec![iv("09:00", "13:00"), iv("12:00", "14:00")]).unwrap_err();
        assert_eq!(
            overlap.to_string(),
            "working intervals must be in order and must not overlap: 12:00-14:00 comes after 09:00-13:00"
        );
        assert!(DayHours::new(vec![iv("13:00", "14:00"), iv("09:00", "12:00")]).is_err());
    }

    #[test]
    fn weekly_hours_round_trip_through_json() {
        let json = r#"{"mon":[["09:00","12:00"],["13:00","18:00"]],"sat":[["10:00","24:00"]]}"#;
        let week: WeeklyHours = serde_json::from_str(json).unwrap();
        assert_eq!(week.on(Weekday::Monday).minutes(), 8 * 60);
        assert!(week.on(Weekday::Sunday).is_off());
        assert_eq!(week.working_weekdays(), 2);
        assert_eq!(serde_json::to_string(&week).unwrap(), json);
    }

    #[test]
    fn weekly_hours_reject_unknown_days_and_bad_intervals() {
        assert!(serde_json::from_str::<WeeklyHours>(r#"{"monday":[]}"#).is_err());
        let err =
            serde_json::from_str::<WeeklyHours>(r#"{"tue":[["10:00","09:00"]]}"#).unwrap_err();
        assert!(
            err.to_string().contains("must start before it ends"),
            "{err}"
        );
        let err =
            serde_json::from_str::<WeeklyHours>(r#"{"wed":[["09:00","12:00"],["11:00","13:00"]]}"#)
                .unwrap_err();
        assert!(err.to_string().starts_with("wed: "), "{err}");
    }
}
