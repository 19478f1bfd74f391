//! Moving an instant by business time, and measuring the business time between two instants.
//!
//! Both walk the calendar a date at a time, and skip runs of whole weeks that hold no holiday,
//! working day or zone transition, whose working time is exactly the nominal weekly hours. A
//! duration of years therefore costs a few steps per DST change, never one per minute.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use super::walk::{Direction, Segment, days_between, shift, step};
use super::{BusinessTimeError, Calendar};

impl Calendar {
    /// `from` moved forward by `duration` of business time; a negative duration moves backward
    /// like [`Calendar::sub_business`]. A zero duration gives the next moment in business time
    /// (`from` itself when it is in business time).
    pub fn add_business(
        &self,
        from: Timestamp,
        duration: SignedDuration,
    ) -> Result<Timestamp, BusinessTimeError> {
        if duration.is_negative() {
            let back = duration
                .checked_neg()
                .ok_or(BusinessTimeError::OutOfRange)?;
            return self.travel(from, back, Direction::Backward);
        }
        self.travel(from, duration, Direction::Forward)
    }

    /// `from` moved backward by `duration` of business time; a negative duration moves forward.
    /// A zero duration gives the latest moment in business time up to `from`: `from` itself when
    /// it is in business time or at the end of a working period, otherwise the end of the
    /// previous one.
    pub fn sub_business(
        &self,
        from: Timestamp,
        duration: SignedDuration,
    ) -> Result<Timestamp, BusinessTimeError> {
        if duration.is_negative() {
            let ahead = duration
                .checked_neg()
                .ok_or(BusinessTimeError::OutOfRange)?;
            return self.travel(from, ahead, Direction::Forward);
        }
        self.travel(from, duration, Direction::Backward)
    }

    /// `at` when it is in business time, else the start of the next working period.
    pub fn next_working_moment(&self, at: Timestamp) -> Result<Timestamp, BusinessTimeError> {
        self.travel(at, SignedDuration::ZERO, Direction::Forward)
    }

    /// `at` when it is in business time or ends a working period, else the end of the
    /// previous working period.
    pub fn previous_working_moment(&self, at: Timestamp) -> Result<Timestamp, BusinessTimeError> {
        self.travel(at, SignedDuration::ZERO, Direction::Backward)
    }

    /// Whether `at` lies in a working period (periods include their start, not their end).
    pub fn is_working_at(&self, at: Timestamp) -> Result<bool, BusinessTimeError> {
        let segments = self.segments_on(self.local_date(at))?;
        Ok(segments.iter().any(|s| s.start <= at && at < s.end))
    }

    /// Business time from `start` to `end`; negative, with the same magnitude, when `end` is
    /// before `start`.
    pub fn business_duration_between(
        &self,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<SignedDuration, BusinessTimeError> {
        if end < start {
            return Ok(-self.business_duration_between(end, start)?);
        }
        let last_date = self.local_date(end);
        let mut date = self.local_date(start);
        let mut total = SignedDuration::ZERO;
        let mut first_day = true;
        loop {
            // Only weeks that end before `end`'s date, so that they lie wholly inside.
            let room = days_between(date, last_date) / 7;
            if !first_day && room > 0 && !self.week_length.is_zero() {
                let weeks = self.plain_weeks(date, Direction::Forward, true)?.min(room);
                if weeks > 0 {
                    total += self.weeks_of_work(weeks)?;
                    date = shift(date, weeks * 7, Direction::Forward)?;
                }
            }
            match self.working_date_from(date, Direction::Forward, Some(last_date))? {
                Some(working) => date = working,
                None => break,
            }
            for segment in self.segments_on(date)? {
                let from = segment.start.max(start);
                let to = segment.end.min(end);
                if from < to {
                    total += to.duration_since(from);
                }
            }
            if date >= last_date {
                break;
            }
            date = step(date, Direction::Forward)?;
            first_day = false;
        }
        Ok(total)
    }

    /// Walks from `from` in `direction` until `duration` of business time is used up.
    fn travel(
        &self,
        from: Timestamp,
        duration: SignedDuration,
        direction: Direction,
    ) -> Result<Timestamp, BusinessTimeError> {
        let mut remaining = duration;
        let mut date = self.local_date(from);
        let mut first_day = true;
        loop {
            if !first_day {
                date = self.skip_plain_weeks(date, direction, &mut remaining)?;
            }
            date = self
                .working_date_from(date, direction, None)?
                .ok_or(BusinessTimeError::NoWorkingTime)?;
            let mut segments = self.segments_on(date)?;
            if direction == Direction::Backward {
                segments.reverse();
            }
            for segment in segments {
                let Some((near, available)) = part_beyond(segment, from, direction) else {
                    continue;
                };
                if remaining <= available {
                    return match direction {
                        Direction::Forward => near.checked_add(remaining),
                        Direction::Backward => near.checked_sub(remaining),
                    }
                    .map_err(|_| BusinessTimeError::OutOfRange);
                }
                remaining -= available;
            }
            date = step(date, direction)?;
            first_day = false;
        }
    }

    /// Skips the whole plain weeks from `date` on that `remaining` more than covers, so that the
    /// walk still ends inside a day it looks at. Returns the first date not skipped.
    fn skip_plain_weeks(
        &self,
        date: Date,
        direction: Direction,
        remaining: &mut SignedDuration,
    ) -> Result<Date, BusinessTimeError> {
        let week = self.week_length.as_nanos();
        if week == 0 {
            return Ok(date);
        }
        let wanted = (remaining.as_nanos() - 1) / week;
        if wanted <= 0 {
            return Ok(date);
        }
        let plain = i128::from(self.plain_weeks(date, direction, true)?);
        let weeks = i64::try_from(wanted.min(plain)).map_err(|_| BusinessTimeError::OutOfRange)?;
        if weeks == 0 {
            return Ok(date);
        }
        let skipped = shift(date, weeks * 7, direction)?;
        *remaining -= self.weeks_of_work(weeks)?;
        Ok(skipped)
    }

    /// The working time of `weeks` plain weeks.
    fn weeks_of_work(&self, weeks: i64) -> Result<SignedDuration, BusinessTimeError> {
        SignedDuration::try_from_nanos_i128(self.week_length.as_nanos() * i128::from(weeks))
            .ok_or(BusinessTimeError::OutOfRange)
    }
}

/// The part of `segment` beyond `from` in `direction`: the end nearest `from`, and its length;
/// `None` when nothing of it is left.
fn part_beyond(
    segment: Segment,
    from: Timestamp,
    direction: Direction,
) -> Option<(Timestamp, SignedDuration)> {
    match direction {
        Direction::Forward => {
            let near = segment.start.max(from);
            (near < segment.end).then(|| (near, segment.end.duration_since(near)))
        }
        Direction::Backward => {
            let near = segment.end.min(from);
            (near > segment.start).then(|| (near, near.duration_since(segment.start)))
        }
    }
}
