//! Business days: counting working dates, and stepping an instant by whole working dates.
//!
//! A business day is a date with working hours (see [`Calendar::hours_on`]).

use jiff::Timestamp;
use jiff::civil::Date;

use super::walk::{Direction, days_between, shift, step};
use super::{BusinessTimeError, Calendar};

impl Calendar {
    /// Business days in `start..end` (`end` excluded); negative, with the same magnitude, when
    /// `end` is before `start`.
    pub fn business_days_between(&self, start: Date, end: Date) -> i64 {
        if end < start {
            return -self.business_days_between(end, start);
        }
        let days = days_between(start, end);
        let per_week = i64::from(self.weekly.working_weekdays());
        let mut count = days / 7 * per_week;
        let first_weekday_left = start.weekday().wrapping_add(days / 7 * 7);
        count += (0..days % 7)
            .filter(|&i| !self.weekly.on(first_weekday_left.wrapping_add(i)).is_off())
            .count() as i64;
        let normally_works = |date: &Date| !self.weekly.on(date.weekday()).is_off();
        count -= self
            .holidays
            .range(start..end)
            .filter(|(date, _)| normally_works(date))
            .count() as i64;
        count += self
            .working_days
            .range(start..end)
            .filter(|(date, _)| !normally_works(date))
            .count() as i64;
        count
    }

    /// Business days in `first..=last`; negative, with the same magnitude, when `last` is
    /// before `first`.
    pub fn business_days_inclusive(&self, first: Date, last: Date) -> i64 {
        if last < first {
            return -self.business_days_inclusive(last, first);
        }
        self.business_days_between(first, last) + i64::from(self.is_working_date(last))
    }

    /// `from` moved to the same wall-clock time `days` business days later (earlier when
    /// negative), then to the next moment in business time if that time is not in it — e.g. from
    /// Tuesday 08:00 two days on is Thursday 08:00, before Thursday opens, hence Thursday's
    /// opening. Zero days gives [`Calendar::next_working_moment`].
    pub fn add_business_days(
        &self,
        from: Timestamp,
        days: i64,
    ) -> Result<Timestamp, BusinessTimeError> {
        match days.signum() {
            0 => self.next_working_moment(from),
            1 => self.step_business_days(from, days.unsigned_abs(), Direction::Forward),
            _ => self.step_business_days(from, days.unsigned_abs(), Direction::Backward),
        }
    }

    /// `from` moved to the same wall-clock time `days` business days earlier (later when
    /// negative), then to the latest moment in business time up to there. Zero days gives
    /// [`Calendar::previous_working_moment`].
    pub fn sub_business_days(
        &self,
        from: Timestamp,
        days: i64,
    ) -> Result<Timestamp, BusinessTimeError> {
        match days.signum() {
            0 => self.previous_working_moment(from),
            1 => self.step_business_days(from, days.unsigned_abs(), Direction::Backward),
            _ => self.step_business_days(from, days.unsigned_abs(), Direction::Forward),
        }
    }

    fn step_business_days(
        &self,
        from: Timestamp,
        days: u64,
        direction: Direction,
    ) -> Result<Timestamp, BusinessTimeError> {
        let local = self.zone.local(from);
        let days = i64::try_from(days).map_err(|_| BusinessTimeError::OutOfRange)?;
        let date = self.nth_working_date(local.date(), days, direction)?;
        let moved = self.zone.instant(date.to_datetime(local.time()))?;
        match direction {
            Direction::Forward => self.next_working_moment(moved),
            Direction::Backward => self.previous_working_moment(moved),
        }
    }

    /// The `n`-th (n ≥ 1) working date strictly after `from` (before it, going backward).
    fn nth_working_date(
        &self,
        from: Date,
        n: i64,
        direction: Direction,
    ) -> Result<Date, BusinessTimeError> {
        let per_week = i64::from(self.weekly.working_weekdays());
        let mut date = from;
        let mut left = n;
        loop {
            if per_week > 0 && left > per_week {
                // Each plain week holds exactly `per_week` working dates; leave at least one to
                // find by stepping.
                let plain = self.plain_weeks(step(date, direction)?, direction, false)?;
                let weeks = ((left - 1) / per_week).min(plain);
                if weeks > 0 {
                    date = shift(date, weeks * 7, direction)?;
                    left -= weeks * per_week;
                }
            }
            date = self
                .working_date_from(step(date, direction)?, direction, None)?
                .ok_or(BusinessTimeError::NoWorkingTime)?;
            left -= 1;
            if left == 0 {
                return Ok(date);
            }
        }
    }
}
