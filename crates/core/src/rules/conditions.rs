use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{Channel, Priority, Status};

/// One test on a ticket. A rule's conditions must all hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "field", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    Status {
        any_of: Vec<Status>,
    },
    Priority {
        any_of: Vec<Priority>,
    },
    Channel {
        any_of: Vec<Channel>,
    },
    Category {
        any_of: Vec<String>,
    },
    Team {
        any_of: Vec<i64>,
    },
    /// Nobody is assigned.
    Unassigned,
    HasTag {
        tag: String,
    },
    LacksTag {
        tag: String,
    },
    /// Case-insensitive substring of the subject.
    SubjectContains {
        text: String,
    },
    /// At least this many hours since the ticket last changed (for automations).
    HoursSinceUpdate {
        at_least: u32,
    },
}

/// What conditions look at.
#[derive(Debug, Clone, Copy)]
pub struct RuleFacts<'a> {
    pub status: Status,
    pub priority: Priority,
    pub channel: Channel,
    pub category: Option<&'a str>,
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub tags: &'a [String],
    pub subject: &'a str,
    pub updated_at: Timestamp,
    pub now: Timestamp,
}

impl Condition {
    pub fn holds(&self, f: &RuleFacts<'_>) -> bool {
        match self {
            Condition::Status { any_of } => any_of.contains(&f.status),
            Condition::Priority { any_of } => any_of.contains(&f.priority),
            Condition::Channel { any_of } => any_of.contains(&f.channel),
            Condition::Category { any_of } => f
                .category
                .is_some_and(|c| any_of.iter().any(|x| x.eq_ignore_ascii_case(c))),
            Condition::Team { any_of } => f.team_id.is_some_and(|t| any_of.contains(&t)),
            Condition::Unassigned => f.assignee_id.is_none(),
            Condition::HasTag { tag } => f.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
            Condition::LacksTag { tag } => !f.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
            Condition::SubjectContains { text } => {
                f.subject.to_lowercase().contains(&text.to_lowercase())
            }
            Condition::HoursSinceUpdate { at_least } => {
                f.now.duration_since(f.updated_at)
                    >= SignedDuration::from_hours(i64::from(*at_least))
            }
        }
    }
}

pub fn all_hold(conditions: &[Condition], facts: &RuleFacts<'_>) -> bool {
    conditions.iter().all(|c| c.holds(facts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(tags: &'a [String]) -> RuleFacts<'a> {
        RuleFacts {
            status: Status::Pending,
            priority: Priority::Normal,
            channel: Channel::Email,
            category: Some("Billing"),
            team_id: Some(3),
            assignee_id: None,
            tags,
            subject: "Refund for order #4821",
            updated_at: "2026-11-10T00:00:00Z".parse().unwrap(),
            now: "2026-11-17T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn each_condition() {
        let tags = vec!["vip".to_string()];
        let f = facts(&tags);
        let holds = |c: Condition| c.holds(&f);
        assert!(holds(Condition::Status {
            any_of: vec![Status::Pending, Status::OnHold]
        }));
        assert!(!holds(Condition::Status {
            any_of: vec![Status::Open]
        }));
        assert!(holds(Condition::Category {
            any_of: vec!["billing".into()]
        }));
        assert!(holds(Condition::Team { any_of: vec![3] }));
        assert!(holds(Condition::Unassigned));
        assert!(holds(Condition::HasTag { tag: "VIP".into() }));
        assert!(!holds(Condition::LacksTag { tag: "vip".into() }));
        assert!(holds(Condition::SubjectContains {
            text: "REFUND".into()
        }));
        assert!(holds(Condition::HoursSinceUpdate { at_least: 7 * 24 }));
        assert!(!holds(Condition::HoursSinceUpdate {
            at_least: 7 * 24 + 1
        }));
    }

    #[test]
    fn conditions_parse_from_json_and_refuse_unknown_fields() {
        let c: Vec<Condition> =
            serde_json::from_str(r#"[{"field":"status","any_of":["pending"]},{"field":"hours_since_update","at_least":168}]"#).unwrap();
        assert_eq!(c.len(), 2);
        assert!(
            serde_json::from_str::<Condition>(r#"{"field":"colour","any_of":["red"]}"#).is_err()
        );
        assert!(all_hold(&[], &facts(&[])), "no conditions: always");
    }
}
