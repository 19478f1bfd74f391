//! Tickets: status lifecycle, priority, channel, and who wrote a message.

use crate::wire_enum;

wire_enum!(
    /// Where a ticket is in its life. `pending` waits on the customer, `on_hold` on a third party.
    Status, "status" {
        New => "new",
        Open => "open",
        Pending => "pending",
        OnHold => "on_hold",
        Solved => "solved",
        Closed => "closed",
        Merged => "merged",
    }
);

wire_enum!(
    Priority, "priority" {
        Low => "low",
        Normal => "normal",
        High => "high",
        Urgent => "urgent",
    }
);

wire_enum!(
    /// The channel a ticket arrived through.
    Channel, "channel" {
        Email => "email",
        Chat => "chat",
        Phone => "phone",
        Social => "social",
        Web => "web",
        Api => "api",
    }
);

wire_enum!(
    /// Who wrote a message.
    AuthorKind, "author_type" {
        Customer => "customer",
        Agent => "agent",
        Bot => "bot",
        System => "system",
    }
);

wire_enum!(
    /// A public reply the customer sees, or an internal note only agents see.
    Visibility, "visibility" {
        Public => "public",
        Internal => "internal",
    }
);

impl Priority {
    /// One step more urgent; urgent stays urgent.
    pub fn raised(self) -> Priority {
        match self {
            Priority::Low => Priority::Normal,
            Priority::Normal => Priority::High,
            Priority::High | Priority::Urgent => Priority::Urgent,
        }
    }
}

/// A status change that the lifecycle does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a ticket cannot go from {from} to {to}; allowed from {from}: {allowed}")]
    Illegal {
        from: Status,
        to: Status,
        allowed: String,
    },
    #[error("a ticket is merged only through the merge operation, which names the target ticket")]
    MergeNeedsTarget,
    #[error("ticket is {0}; it takes no further changes")]
    Final(Status),
}

impl Status {
    /// Statuses in which the ticket still needs work from the team.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Status::New | Status::Open | Status::Pending | Status::OnHold
        )
    }

    /// Terminal statuses: nothing changes a closed or merged ticket.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Merged)
    }

    /// The statuses an agent may move a ticket to from `self` (merge excluded: it has its own
    /// operation).
    pub fn next_allowed(self) -> &'static [Status] {
        use Status::*;
        match self {
            New => &[Open, Pending, OnHold, Solved],
            Open => &[Pending, OnHold, Solved],
            Pending => &[Open, OnHold, Solved],
            OnHold => &[Open, Pending, Solved],
            Solved => &[Open, Closed],
            Closed | Merged => &[],
        }
    }

    /// Validates an explicit status change. Setting the current status again is a no-op
    /// (`Ok(None)`), so clients can send whole objects.
    pub fn transition_to(self, to: Status) -> Result<Option<Status>, TransitionError> {
        if self == to {
            return Ok(None);
        }
        if self.is_final() {
            return Err(TransitionError::Final(self));
        }
        if to == Status::Merged {
            return Err(TransitionError::MergeNeedsTarget);
        }
        if self.next_allowed().contains(&to) {
            Ok(Some(to))
        } else {
            let allowed: Vec<&str> = self.next_allowed().iter().map(|s| s.as_str()).collect();
            Err(TransitionError::Illegal {
                from: self,
                to,
                allowed: allowed.join(", "),
            })
        }
    }

    /// Whether a ticket in this status may be merged into another.
    pub fn can_merge(self) -> bool {
        !self.is_final()
    }
}

/// The status a ticket takes when its customer writes again: a waiting ticket becomes open,
/// a solved one reopens. A closed or merged ticket takes no reply (the channel opens a new,
/// linked ticket instead).
pub fn status_after_customer_reply(current: Status) -> Result<Status, TransitionError> {
    match current {
        Status::Pending | Status::Solved => Ok(Status::Open),
        Status::Closed | Status::Merged => Err(TransitionError::Final(current)),
        other => Ok(other),
    }
}

/// The status a ticket takes when an agent sends a public reply: a new ticket is now open.
pub fn status_after_agent_reply(current: Status) -> Result<Status, TransitionError> {
    match current {
        Status::New => Ok(Status::Open),
        Status::Closed | Status::Merged => Err(TransitionError::Final(current)),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_status() -> impl Strategy<Value = Status> {
        proptest::sample::select(Status::ALL)
    }

    #[test]
    fn happy_path_is_allowed() {
        let path = [
            Status::New,
            Status::Open,
            Status::Pending,
            Status::Open,
            Status::OnHold,
            Status::Solved,
            Status::Closed,
        ];
        for pair in path.windows(2) {
            assert_eq!(
                pair[0].transition_to(pair[1]),
                Ok(Some(pair[1])),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn closing_requires_solving_first() {
        let err = Status::Open.transition_to(Status::Closed).unwrap_err();
        assert!(matches!(err, TransitionError::Illegal { .. }));
        assert!(
            err.to_string()
                .contains("allowed from open: pending, on_hold, solved")
        );
    }

    #[test]
    fn nothing_returns_to_new() {
        for s in Status::ALL.iter().copied().filter(|s| *s != Status::New) {
            assert!(s.transition_to(Status::New).is_err(), "{s} -> new");
        }
    }

    #[test]
    fn merge_is_not_a_plain_transition() {
        assert_eq!(
            Status::Open.transition_to(Status::Merged),
            Err(TransitionError::MergeNeedsTarget)
        );
    }

    #[test]
    fn customer_reply_reopens_solved_and_wakes_pending() {
        assert_eq!(
            status_after_customer_reply(Status::Solved),
            Ok(Status::Open)
        );
        assert_eq!(
            status_after_customer_reply(Status::Pending),
            Ok(Status::Open)
        );
        assert_eq!(status_after_customer_reply(Status::New), Ok(Status::New));
        assert_eq!(
            status_after_customer_reply(Status::OnHold),
            Ok(Status::OnHold)
        );
        assert!(status_after_customer_reply(Status::Closed).is_err());
    }

    #[test]
    fn agent_reply_opens_new_ticket() {
        assert_eq!(status_after_agent_reply(Status::New), Ok(Status::Open));
        assert_eq!(
            status_after_agent_reply(Status::Pending),
            Ok(Status::Pending)
        );
        assert!(status_after_agent_reply(Status::Merged).is_err());
    }

    #[test]
    fn wire_names_round_trip_and_reject_unknown() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(*s));
        }
        let err = "done".parse::<Status>().unwrap_err();
        assert!(err.message.contains("expected one of: new, open"), "{err}");
    }

    proptest! {
        #[test]
        fn final_statuses_never_change(from in any_status(), to in any_status()) {
            if from.is_final() && from != to {
                prop_assert!(from.transition_to(to).is_err());
            }
        }

        #[test]
        fn allowed_result_is_the_target(from in any_status(), to in any_status()) {
            match from.transition_to(to) {
                Ok(Some(s)) => {
                    prop_assert_eq!(s, to);
                    prop_assert!(from.next_allowed().contains(&to));
                }
                Ok(None) => prop_assert_eq!(from, to),
                Err(_) => prop_assert!(from != to && !from.next_allowed().contains(&to)),
            }
        }

        #[test]
        fn any_walk_of_allowed_steps_ends_in_a_known_status(steps in proptest::collection::vec(any_status(), 0..30)) {
            let mut current = Status::New;
            for next in steps {
                if let Ok(Some(s)) = current.transition_to(next) {
                    current = s;
                }
            }
            // Every walk either stays reachable or ends closed; merged only via merge.
            prop_assert!(current != Status::Merged);
        }
    }
}
