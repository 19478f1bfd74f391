//! Walking a calendar day by day: the real-time working segments of a date, the next working
//! date, and how many whole weeks ahead are plain enough to skip in one step.

use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};

use super::{BusinessTimeError, Calendar};

/// Days kept clear of a zone transition when skipping whole weeks, so that no date whose wall
/// clock the transition shifts (a fold can reach back over midnight) is counted nominally.
const TRANSITION_MARGIN_DAYS: i64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Forward,
    Backward,
}

/// A stretch of working time in real time, `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Calendar {
    /// The local date on the calendar's clock at `instant`.
    pub(crate) fn local_date(&self, instant: Timestamp) -> Date {
        self.zone.local(instant).date()
    }

    /// The instant `date` begins on the calendar's clock.
    pub(crate) fn start_of(&self, date: Date) -> Result<Timestamp, BusinessTimeError> {
        self.zone.instant(date.to_datetime(Time::midnight()))
    }

    /// The working segments of `date` in real time, in order, without the empty ones (an
    /// interval that falls inside a DST jump). They lie within the date's own bounds.
    pub(crate) fn segments_on(&self, date: Date) -> Result<Vec<Segment>, BusinessTimeError> {
        let intervals = self.hours_on(date);
        let mut segments = Vec::with_capacity(intervals.len());
        for interval in intervals {
            let start = self.local_instant(date, interval.start())?;
            let end = self.local_instant(date, interval.end())?;
            if start < end {
                segments.push(Segment { start, end });
            }
        }
        Ok(segments)
    }

    fn local_instant(
        &self,
        date: Date,
        time: super::TimeOfDay,
    ) -> Result<Timestamp, BusinessTimeError> {
        let local = time.on(date).map_err(|_| BusinessTimeError::OutOfRange)?;
        self.zone.instant(local)
    }

    /// The first date from `from` on (or back, going backward) with working hours, stopping at
    /// `limit` when given. `None` when there is none: past `limit`, or past the last moved working
    /// day of a calendar with no weekly hours.
    pub(crate) fn working_date_from(
        &self,
        from: Date,
        direction: Direction,
        limit: Option<Date>,
    ) -> Result<Option<Date>, BusinessTimeError> {
        let beyond_limit = |date: Date| match (limit, direction) {
            (Some(limit), Direction::Forward) => date > limit,
            (Some(limit), Direction::Backward) => date < limit,
            (None, _) => false,
        };
        if self.weekly.is_off() {
            let next = match direction {
                Direction::Forward => self.working_days.range(from..).next(),
                Direction::Backward => self.working_days.range(..=from).next_back(),
            };
            return Ok(next
                .map(|(date, _)| *date)
                .filter(|date| !beyond_limit(*date)));
        }
        // Some weekday works, so this ends within a week past the last holiday in the way.
        let mut date = from;
        loop {
            if beyond_limit(date) {
                return Ok(None);
            }
            if self.is_working_date(date) {
                return Ok(Some(date));
            }
            date = step(date, direction)?;
        }
    }

    /// How many whole weeks starting at `from` (the dates `from ..= from + 7k - 1`, or going
    /// backward `from - 7k + 1 ..= from`) hold no holiday or working day and, when
    /// `mind_transitions`, no time zone transition: weeks whose working time is exactly the
    /// nominal weekly hours.
    pub(crate) fn plain_weeks(
        &self,
        from: Date,
        direction: Direction,
        mind_transitions: bool,
    ) -> Result<i64, BusinessTimeError> {
        let mut clear_days = i64::MAX;
        let mut keep_clear_of = |date: Date, margin: i64| {
            let days = match direction {
                Direction::Forward => days_between(from, date),
                Direction::Backward => days_between(date, from),
            };
            clear_days = clear_days.min((days - margin).max(0));
        };
        match direction {
            Direction::Forward => {
                if let Some((date, _)) = self.holidays.range(from..).next() {
                    keep_clear_of(*date, 0);
                }
                if let Some((date, _)) = self.working_days.range(from..).next() {
                    keep_clear_of(*date, 0);
                }
            }
            Direction::Backward => {
                if let Some((date, _)) = self.holidays.range(..=from).next_back() {
                    keep_clear_of(*date, 0);
                }
                if let Some((date, _)) = self.working_days.range(..=from).next_back() {
                    keep_clear_of(*date, 0);
                }
            }
        }
        if mind_transitions {
            let tz = self.zone.time_zone();
            let transition = match direction {
                Direction::Forward => {
                    let start = self.start_of(from)?;
                    // `following` is strict; start a moment earlier to see one at `start` itself.
                    let just_before = start
                        .checked_sub(SignedDuration::from_nanos(1))
                        .map_err(|_| BusinessTimeError::OutOfRange)?;
                    tz.following(just_before).next()
                }
                Direction::Backward => tz
                    .preceding(self.start_of(step(from, direction.reverse())?)?)
                    .next(),
            };
            if let Some(transition) = transition {
                keep_clear_of(
                    self.local_date(transition.timestamp()),
                    TRANSITION_MARGIN_DAYS,
                );
            }
        }
        Ok(clear_days / 7)
    }
}

impl Direction {
    pub fn reverse(self) -> Direction {
        match self {
            Direction::Forward => Direction::Backward,
            Direction::Backward => Direction::Forward,
        }
    }
}

/// The next date in `direction`.
pub(crate) fn step(date: Date, direction: Direction) -> Result<Date, BusinessTimeError> {
    match direction {
        Direction::Forward => date.tomorrow(),
        Direction::Backward => date.yesterday(),
    }
    .map_err(|_| BusinessTimeError::OutOfRange)
}

/// `date` moved by `days` in `direction`.
pub(crate) fn shift(
    date: Date,
    days: i64,
    direction: Direction,
) -> Result<Date, BusinessTimeError> {
    let signed = match direction {
        Direction::Forward => days,
        Direction::Backward => -days,
    };
    let hours = signed
        .checked_mul(24)
        .ok_or(BusinessTimeError::OutOfRange)?;
    date.checked_add(SignedDuration::from_hours(hours))
        .map_err(|_| BusinessTimeError::OutOfRange)
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    a.duration_until(b).as_hours() / 24
}
