//! One ticket's SLA clocks: deadlines in business time that start with the ticket, stop when
//! met, pause while the ticket waits on someone else, and resume without losing time spent.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::SlaTargets;
use crate::Status;
use crate::calendar::{BusinessTimeError, Calendar};

/// Which deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    FirstResponse,
    NextResponse,
    Resolution,
}

/// A ticket's deadlines (absent where no clock runs) and whether the clocks are paused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlaClock {
    pub first_response_due: Option<Timestamp>,
    pub next_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    pub paused_since: Option<Timestamp>,
    /// Business time spent paused so far, so deadlines can be rebuilt under a changed policy.
    pub paused_total: SignedDuration,
}

/// What happened to a ticket that the clocks react to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketChange {
    /// A public reply by an agent.
    AgentReplied {
        at: Timestamp,
    },
    CustomerWrote {
        at: Timestamp,
    },
    StatusChanged {
        from: Status,
        to: Status,
        at: Timestamp,
    },
}

/// What the clocks did, for the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClockEvent {
    Started {
        target: Target,
        due: Timestamp,
    },
    Paused {
        at: Timestamp,
    },
    /// `paused_for_secs` is business time, the time the clocks did not count.
    Resumed {
        at: Timestamp,
        paused_for_secs: i64,
    },
    Fulfilled {
        target: Target,
        due: Timestamp,
        at: Timestamp,
        breached: bool,
    },
    /// The clock ended without being met (the ticket was solved or closed before a reply).
    Stopped {
        target: Target,
        due: Timestamp,
    },
}

fn minutes(m: u32) -> SignedDuration {
    SignedDuration::from_mins(i64::from(m))
}

impl SlaClock {
    /// Starts the clocks for a ticket created at `at`.
    pub fn start(
        calendar: &Calendar,
        targets: &SlaTargets,
        at: Timestamp,
    ) -> Result<(SlaClock, Vec<ClockEvent>), BusinessTimeError> {
        let mut clock = SlaClock::default();
        let mut events = Vec::new();
        if let Some(m) = targets.first_response_min {
            let due = calendar.add_business(at, minutes(m))?;
            clock.first_response_due = Some(due);
            events.push(ClockEvent::Started {
                target: Target::FirstResponse,
                due,
            });
        }
        if let Some(m) = targets.resolution_min {
            let due = calendar.add_business(at, minutes(m))?;
            clock.resolution_due = Some(due);
            events.push(ClockEvent::Started {
                target: Target::Resolution,
                due,
            });
        }
        Ok((clock, events))
    }

    /// The earliest deadline still running, unless paused.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        if self.paused_since.is_some() {
            return None;
        }
        [
            self.first_response_due,
            self.next_response_due,
            self.resolution_due,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Reacts to a change. `pause_statuses` are the statuses in which the clocks stop.
    pub fn apply(
        &mut self,
        calendar: &Calendar,
        targets: &SlaTargets,
        pause_statuses: &[Status],
        change: TicketChange,
    ) -> Result<Vec<ClockEvent>, BusinessTimeError> {
        let mut events = Vec::new();
        match change {
            TicketChange::AgentReplied { at } => {
                for target in [Target::FirstResponse, Target::NextResponse] {
                    if let Some(due) = self.slot(target).take() {
                        events.push(ClockEvent::Fulfilled {
                            target,
                            due,
                            at,
                            breached: at > due,
                        });
                    }
                }
            }
            TicketChange::CustomerWrote { at } => {
                if let Some(m) = targets.next_response_min
                    && self.first_response_due.is_none()
                    && self.next_response_due.is_none()
                {
                    let from = self.paused_since.unwrap_or(at);
                    let due = calendar.add_business(from, minutes(m))?;
                    self.next_response_due = Some(due);
                    events.push(ClockEvent::Started {
                        target: Target::NextResponse,
                        due,
                    });
                }
            }
            TicketChange::StatusChanged { from, to, at } => {
                let was_paused = pause_statuses.contains(&from);
                let pauses = pause_statuses.contains(&to);
                if to.is_active() && !pauses && was_paused {
                    self.resume(calendar, at, &mut events)?;
                } else if pauses && !was_paused && self.paused_since.is_none() {
                    self.paused_since = Some(at);
                    events.push(ClockEvent::Paused { at });
                }
                if matches!(to, Status::Solved | Status::Closed | Status::Merged) {
                    self.paused_since = None;
                    if let Some(due) = self.resolution_due.take() {
                        events.push(ClockEvent::Fulfilled {
                            target: Target::Resolution,
                            due,
                            at,
                            breached: at > due,
                        });
                    }
                    for target in [Target::FirstResponse, Target::NextResponse] {
                        if let Some(due) = self.slot(target).take() {
                            events.push(ClockEvent::Stopped { target, due });
                        }
                    }
                } else if from == Status::Solved && to.is_active() {
                    // Reopened: the resolution clock starts again from now.
                    if let Some(m) = targets.resolution_min {
                        let due = calendar.add_business(at, minutes(m))?;
                        self.resolution_due = Some(due);
                        events.push(ClockEvent::Started {
                            target: Target::Resolution,
                            due,
                        });
                    }
                }
            }
        }
        Ok(events)
    }

    fn slot(&mut self, target: Target) -> &mut Option<Timestamp> {
        match target {
            Target::FirstResponse => &mut self.first_response_due,
            Target::NextResponse => &mut self.next_response_due,
            Target::Resolution => &mut self.resolution_due,
        }
    }

    /// Moves every running deadline so that the business time left when the clocks paused is
    /// left again from `at`. A deadline already passed when they paused stays where it was.
    fn resume(
        &mut self,
        calendar: &Calendar,
        at: Timestamp,
        events: &mut Vec<ClockEvent>,
    ) -> Result<(), BusinessTimeError> {
        let Some(paused) = self.paused_since.take() else {
            return Ok(());
        };
        for target in [
            Target::FirstResponse,
            Target::NextResponse,
            Target::Resolution,
        ] {
            if let Some(due) = *self.slot(target)
                && due > paused
            {
                let left = calendar.business_duration_between(paused, due)?;
                *self.slot(target) = Some(calendar.add_business(at, left)?);
            }
        }
        let paused_for = calendar.business_duration_between(paused, at)?;
        self.paused_total = self.paused_total.saturating_add(paused_for);
        events.push(ClockEvent::Resumed {
            at,
            paused_for_secs: paused_for.as_secs(),
        });
        Ok(())
    }
}

/// What is known of a ticket's past, to rebuild its clocks under a changed policy.
#[derive(Debug, Clone, Copy)]
pub struct ClockHistory {
    pub created_at: Timestamp,
    pub status: Status,
    pub first_response_at: Option<Timestamp>,
    /// When the customer's still-unanswered message came, if the next-response clock runs.
    pub waiting_since: Option<Timestamp>,
    pub paused_since: Option<Timestamp>,
    pub paused_total: SignedDuration,
}

/// The clocks a ticket would have under `targets` on `calendar`, given its history: each
/// running deadline counted from its start, moved later by the time spent paused.
pub fn rebuild(
    calendar: &Calendar,
    targets: &SlaTargets,
    h: &ClockHistory,
) -> Result<SlaClock, BusinessTimeError> {
    let mut clock = SlaClock {
        paused_since: h.paused_since,
        paused_total: h.paused_total,
        ..Default::default()
    };
    if !h.status.is_active() {
        clock.paused_since = None;
        return Ok(clock);
    }
    let due = |from: Timestamp, m: u32| -> Result<Timestamp, BusinessTimeError> {
        let plain = calendar.add_business(from, minutes(m))?;
        if h.paused_total.is_positive() {
            calendar.add_business(plain, h.paused_total)
        } else {
            Ok(plain)
        }
    };
    if let (None, Some(m)) = (h.first_response_at, targets.first_response_min) {
        clock.first_response_due = Some(due(h.created_at, m)?);
    }
    if let (Some(_), Some(since), Some(m)) = (
        h.first_response_at,
        h.waiting_since,
        targets.next_response_min,
    ) {
        clock.next_response_due = Some(calendar.add_business(since, minutes(m))?);
    }
    if let Some(m) = targets.resolution_min {
        clock.resolution_due = Some(due(h.created_at, m)?);
    }
    Ok(clock)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mon–Fri 09:00–17:00 UTC.
    fn office() -> Calendar {
        serde_json::from_value(serde_json::json!({
            "tz": "Etc/UTC",
            "hours": {"mon": [["09:00","17:00"]], "tue": [["09:00","17:00"]], "wed": [["09:00","17:00"]],
                      "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]]},
            "holidays": []
        }))
        .expect("calendar")
    }

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    const PAUSE: &[Status] = &[Status::Pending, Status::OnHold];

    fn targets() -> SlaTargets {
        SlaTargets {
            first_response_min: Some(60),
            next_response_min: Some(120),
            resolution_min: Some(8 * 60),
        }
    }

    #[test]
    fn deadlines_count_business_time_only() {
        // Friday 16:30: 30 minutes left on Friday, 30 more on Monday.
        let (clock, events) =
            SlaClock::start(&office(), &targets(), t("2026-11-20T16:30:00Z")).unwrap();
        assert_eq!(clock.first_response_due, Some(t("2026-11-23T09:30:00Z")));
        assert_eq!(clock.resolution_due, Some(t("2026-11-23T16:30:00Z")));
        assert_eq!(events.len(), 2);
        assert_eq!(clock.next_deadline(), Some(t("2026-11-23T09:30:00Z")));
    }

    #[test]
    fn zero_minutes_means_at_the_first_business_moment() {
        let zero = SlaTargets {
            first_response_min: Some(0),
            ..Default::default()
        };
        let (clock, _) = SlaClock::start(&office(), &zero, t("2026-11-21T12:00:00Z")).unwrap();
        assert_eq!(clock.first_response_due, Some(t("2026-11-23T09:00:00Z")));
    }

    #[test]
    fn a_reply_fulfils_and_a_late_one_is_a_breach() {
        let cal = office();
        let (mut clock, _) = SlaClock::start(&cal, &targets(), t("2026-11-23T09:00:00Z")).unwrap();
        let ev = clock
            .apply(
                &cal,
                &targets(),
                PAUSE,
                TicketChange::AgentReplied {
                    at: t("2026-11-23T10:30:00Z"),
                },
            )
            .unwrap();
        assert_eq!(
            ev,
            vec![ClockEvent::Fulfilled {
                target: Target::FirstResponse,
                due: t("2026-11-23T10:00:00Z"),
                at: t("2026-11-23T10:30:00Z"),
                breached: true
            }]
        );
        assert_eq!(clock.first_response_due, None);
        // The customer writes back: the next-response clock runs until the agent answers.
        let ev = clock
            .apply(
                &cal,
                &targets(),
                PAUSE,
                TicketChange::CustomerWrote {
                    at: t("2026-11-23T16:00:00Z"),
                },
            )
            .unwrap();
        assert_eq!(
            ev,
            vec![ClockEvent::Started {
                target: Target::NextResponse,
                due: t("2026-11-24T10:00:00Z")
            }]
        );
        let ev = clock
            .apply(
                &cal,
                &targets(),
                PAUSE,
                TicketChange::AgentReplied {
                    at: t("2026-11-24T09:15:00Z"),
                },
            )
            .unwrap();
        assert!(matches!(
            ev[0],
            ClockEvent::Fulfilled {
                target: Target::NextResponse,
                breached: false,
                ..
            }
        ));
    }

    #[test]
    fn waiting_on_the_customer_pauses_without_losing_time() {
        let cal = office();
        let (mut clock, _) = SlaClock::start(&cal, &targets(), t("2026-11-23T09:00:00Z")).unwrap();
        assert_eq!(clock.resolution_due, Some(t("2026-11-23T17:00:00Z")));
        // Pending at 11:00 (6 business hours left), back to open next day at 10:00.
        clock
            .apply(
                &cal,
                &targets(),
                PAUSE,
                TicketChange::StatusChanged {
                    from: Status::Open,
                    to: Status::Pending,
                    at: t("2026-11-23T11:00:00Z"),
                },
            )
            .unwrap();
        assert_eq!(
            clock.next_deadline(),
            None,
            "paused clocks have no deadline"
        );
        let ev = clock
            .apply(
                &cal,
                &targets(),
                PAUSE,
                TicketChange::StatusChanged {
                    from: Status::Pending,
                    to: Status::Open,
                    at: t("2026-11-24T10:00:00Z"),
                },
            )
            .unwrap();
        assert_eq!(clock.resolution_due, Some(t("2026-11-24T16:00:00Z")));
        assert_eq!(
            clock.first_response_due,
            Some(t("2026-11-23T10:00:00Z")),
            "a deadline passed before the pause stays passed"
        );
        assert_eq!(
            ev,
            vec![ClockEvent::Resumed {
                at: t("2026-11-24T10:00:00Z"),
                paused_for_secs: 7 * 3600
            }]
        );
    }

    #[test]
    fn solving_meets_resolution_and_stops_the_rest_and_reopening_restarts_it() {
        let cal = office();
        let (mut clock, _) = SlaClock::start(&cal, &targets(), t("2026-11-23T09:00:00Z")).unwrap();
        let ev = clock
            .apply(
                &cal,
                &targets(),
                PAUSE,
                TicketChange::StatusChanged {
                    from: Status::Open,
                    to: Status::Solved,
                    at: t("2026-11-23T12:00:00Z"),
                },
            )
            .unwrap();
        assert!(ev.contains(&ClockEvent::Fulfilled {
            target: Target::Resolution,
            due: t("2026-11-23T17:00:00Z"),
            at: t("2026-11-23T12:00:00Z"),
            breached: false
        }));
        assert!(ev.contains(&ClockEvent::Stopped {
            target: Target::FirstResponse,
            due: t("2026-11-23T10:00:00Z")
        }));
        assert_eq!(clock, SlaClock::default());
        clock
            .apply(
                &cal,
                &targets(),
                PAUSE,
                TicketChange::StatusChanged {
                    from: Status::Solved,
                    to: Status::Open,
                    at: t("2026-11-24T09:00:00Z"),
                },
            )
            .unwrap();
        assert_eq!(clock.resolution_due, Some(t("2026-11-24T17:00:00Z")));
    }

    #[test]
    fn pause_statuses_are_configurable() {
        let cal = office();
        let (mut clock, _) = SlaClock::start(&cal, &targets(), t("2026-11-23T09:00:00Z")).unwrap();
        clock
            .apply(
                &cal,
                &targets(),
                &[Status::Pending],
                TicketChange::StatusChanged {
                    from: Status::Open,
                    to: Status::OnHold,
                    at: t("2026-11-23T10:00:00Z"),
                },
            )
            .unwrap();
        assert!(
            clock.paused_since.is_none(),
            "on_hold does not pause when the policy says so"
        );
    }
}

#[cfg(test)]
mod rebuild_tests {
    use super::*;

    fn office() -> Calendar {
        serde_json::from_value(serde_json::json!({
            "tz": "Etc/UTC",
            "hours": {"mon": [["09:00","17:00"]], "tue": [["09:00","17:00"]], "wed": [["09:00","17:00"]],
                      "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]]},
        }))
        .unwrap()
    }

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn rebuilding_with_the_same_targets_gives_the_same_clocks() {
        let cal = office();
        let targets = SlaTargets {
            first_response_min: Some(60),
            next_response_min: Some(120),
            resolution_min: Some(480),
        };
        let created = t("2026-11-23T09:00:00Z");
        let (mut clock, _) = SlaClock::start(&cal, &targets, created).unwrap();
        let pause = &[Status::Pending];
        clock
            .apply(
                &cal,
                &targets,
                pause,
                TicketChange::StatusChanged {
                    from: Status::Open,
                    to: Status::Pending,
                    at: t("2026-11-23T09:30:00Z"),
                },
            )
            .unwrap();
        clock
            .apply(
                &cal,
                &targets,
                pause,
                TicketChange::StatusChanged {
                    from: Status::Pending,
                    to: Status::Open,
                    at: t("2026-11-23T11:30:00Z"),
                },
            )
            .unwrap();
        assert_eq!(clock.paused_total, SignedDuration::from_hours(2));
        let history = ClockHistory {
            created_at: created,
            status: Status::Open,
            first_response_at: None,
            waiting_since: None,
            paused_since: None,
            paused_total: clock.paused_total,
        };
        assert_eq!(rebuild(&cal, &targets, &history).unwrap(), clock);
    }

    #[test]
    fn a_longer_target_moves_deadlines_and_solved_tickets_have_none() {
        let cal = office();
        let history = ClockHistory {
            created_at: t("2026-11-23T09:00:00Z"),
            status: Status::Open,
            first_response_at: Some(t("2026-11-23T09:10:00Z")),
            waiting_since: Some(t("2026-11-23T16:00:00Z")),
            paused_since: None,
            paused_total: SignedDuration::ZERO,
        };
        let targets = SlaTargets {
            first_response_min: Some(60),
            next_response_min: Some(120),
            resolution_min: Some(960),
        };
        let clock = rebuild(&cal, &targets, &history).unwrap();
        assert_eq!(clock.first_response_due, None, "already answered");
        assert_eq!(clock.next_response_due, Some(t("2026-11-24T10:00:00Z")));
        assert_eq!(clock.resolution_due, Some(t("2026-11-24T17:00:00Z")));
        let solved = ClockHistory {
            status: Status::Solved,
            ..history
        };
        assert_eq!(
            rebuild(&cal, &targets, &solved).unwrap(),
            SlaClock::default()
        );
    }
}
