//! The clock a calendar's hours are read on: an IANA time zone, or floating local time.

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::{BusinessTimeError, CalendarError};

/// The wire name of a floating zone; any `tz` starting with it is read as floating.
const FLOATING: &str = "floating";

/// Where the wall-clock hours of a calendar are read: an IANA time zone (with its DST
/// changes), or "floating" naive local times, which behave like UTC without an offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarZone {
    /// The IANA name, or `floating`.
    name: String,
    tz: TimeZone,
}

impl CalendarZone {
    /// Looks `name` up in the time zone database.
    pub fn iana(name: &str) -> Result<Self, CalendarError> {
        let tz = TimeZone::get(name).map_err(|e| CalendarError::UnknownTimeZone {
            name: name.to_string(),
            reason: e.to_string(),
        })?;
        Ok(CalendarZone {
            name: name.to_string(),
            tz,
        })
    }

    /// Naive local times with no zone; instants are read as if the local clock were UTC.
    pub fn floating() -> Self {
        CalendarZone {
            name: FLOATING.to_string(),
            tz: TimeZone::UTC,
        }
    }

    /// `floating…` or an IANA name, as written in a calendar's `tz`.
    pub fn parse(tz: &str) -> Result<Self, CalendarError> {
        if tz.starts_with(FLOATING) {
            Ok(CalendarZone::floating())
        } else {
            CalendarZone::iana(tz)
        }
    }

    pub fn is_floating(&self) -> bool {
        self.name == FLOATING
    }

    /// The IANA name, or `floating`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone instants are converted with (UTC for a floating calendar).
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The wall-clock time shown at `instant`.
    pub fn local(&self, instant: Timestamp) -> DateTime {
        self.tz.to_datetime(instant)
    }

    /// The instant the wall clock reaches `local`. A time that occurs twice (DST fall-back) is
    /// its first occurrence; a time skipped by a DST jump is the instant of the jump, when the
    /// clock passes it. This keeps the mapping monotonic, so the intervals of a day stay in order
    /// and a working interval touching a jump has exactly the real length it had on the clock.
    pub fn instant(&self, local: DateTime) -> Result<Timestamp, BusinessTimeError> {
        let out_of_range = |_| BusinessTimeError::OutOfRange;
        match self.tz.to_ambiguous_timestamp(local).offset() {
            AmbiguousOffset::Unambiguous { offset } => {
                offset.to_timestamp(local).map_err(out_of_range)
            }
            AmbiguousOffset::Fold { before, .. } => {
                before.to_timestamp(local).map_err(out_of_range)
            }
            AmbiguousOffset::Gap { before, .. } => {
                // Read with the offset before the jump, `local` lands at or after the jump (by as
                // much as it lies inside the gap); the jump is the latest transition up to there.
                let at_or_after_jump = before.to_timestamp(local).map_err(out_of_range)?;
                let just_after = at_or_after_jump
                    .checked_add(SignedDuration::from_nanos(1))
                    .map_err(out_of_range)?;
                Ok(self
                    .tz
                    .preceding(just_after)
                    .next()
                    .map_or(at_or_after_jump, |jump| jump.timestamp()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(zone: &CalendarZone, y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Timestamp {
        zone.instant(date(y, mo, d).at(h, mi, 0, 0)).unwrap()
    }

    #[test]
    fn skipped_times_map_to_the_jump() {
        let berlin = CalendarZone::iana("Europe/Berlin").unwrap();
        // 2024-03-31 02:00 CET -> 03:00 CEST, at 01:00 UTC.
        let jump: Timestamp = "2024-03-31T01:00:00Z".parse().unwrap();
        assert_eq!(at(&berlin, 2024, 3, 31, 2, 0), jump);
        assert_eq!(at(&berlin, 2024, 3, 31, 2, 30), jump);
        assert_eq!(at(&berlin, 2024, 3, 31, 3, 0), jump);
        assert_eq!(
            at(&berlin, 2024, 3, 31, 1, 59),
            "2024-03-31T00:59:00Z".parse().unwrap()
        );
    }

    #[test]
    fn repeated_times_map_to_their_first_occurrence() {
        let berlin = CalendarZone::iana("Europe/Berlin").unwrap();
        // 2024-10-27 03:00 CEST -> 02:00 CET; 02:30 happens at 00:30 and 01:30 UTC.
        assert_eq!(
            at(&berlin, 2024, 10, 27, 2, 30),
            "2024-10-27T00:30:00Z".parse().unwrap()
        );
        assert_eq!(
            at(&berlin, 2024, 10, 27, 3, 0),
            "2024-10-27T02:00:00Z".parse().unwrap()
        );
    }

    #[test]
    fn floating_is_utc_without_an_offset() {
        let zone = CalendarZone::parse("floating (naive local time)").unwrap();
        assert!(zone.is_floating());
        assert_eq!(
            at(&zone, 2010, 8, 4, 9, 35),
            "2010-08-04T09:35:00Z".parse().unwrap()
        );
    }

    #[test]
    fn unknown_zones_are_refused() {
        let err = CalendarZone::parse("Mars/Olympus_Mons").unwrap_err();
        assert!(err.to_string().contains("Mars/Olympus_Mons"), "{err}");
    }
}
