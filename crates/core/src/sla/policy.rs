//! Policy conditions and targets, and picking the policy that applies.

use serde::{Deserialize, Serialize};

use crate::{Channel, Priority};

/// Which tickets a policy covers. Each list is "any of"; an empty list matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaConditions {
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub priorities: Vec<Priority>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub organization_ids: Vec<i64>,
    #[serde(default)]
    pub team_ids: Vec<i64>,
}

/// Response and resolution targets in business minutes; `None` sets no target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaTargets {
    /// From creation to the first public agent reply. 0 means "at once": the deadline is the
    /// first moment of business time.
    pub first_response_min: Option<u32>,
    /// From each customer message to the agent reply that answers it.
    pub next_response_min: Option<u32>,
    /// From creation (or reopening) to solved.
    pub resolution_min: Option<u32>,
}

/// What happens when a deadline is missed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreachActions {
    /// One step up: low → normal → high → urgent.
    #[serde(default)]
    pub raise_priority: bool,
    /// Hand the ticket to a team of the next support line (1 → 2 → 3).
    #[serde(default)]
    pub escalate_to_next_tier: bool,
    /// Send the supervisors (admins when there is none) an in-app notification.
    #[serde(default)]
    pub notify_supervisor: bool,
}

/// What a policy's conditions look at.
#[derive(Debug, Clone, Copy)]
pub struct TicketFacts<'a> {
    pub channel: Channel,
    pub priority: Priority,
    pub category: Option<&'a str>,
    pub organization_id: Option<i64>,
    pub team_id: Option<i64>,
}

fn any_of<T: PartialEq>(list: &[T], value: Option<T>) -> bool {
    list.is_empty() || value.is_some_and(|v| list.contains(&v))
}

impl SlaConditions {
    pub fn matches(&self, t: &TicketFacts<'_>) -> bool {
        any_of(&self.channels, Some(t.channel))
            && any_of(&self.priorities, Some(t.priority))
            && (self.categories.is_empty()
                || t.category
                    .is_some_and(|c| self.categories.iter().any(|x| x.eq_ignore_ascii_case(c))))
            && any_of(&self.organization_ids, t.organization_id)
            && any_of(&self.team_ids, t.team_id)
    }
}

/// The first policy, in the given (explicit, visible) order, whose conditions match.
pub fn select_policy<'p, P>(
    policies: &'p [P],
    facts: &TicketFacts<'_>,
    conditions: impl Fn(&P) -> &SlaConditions,
) -> Option<&'p P> {
    policies.iter().find(|p| conditions(p).matches(facts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(channel: Channel, priority: Priority) -> TicketFacts<'static> {
        TicketFacts {
            channel,
            priority,
            category: Some("Billing"),
            organization_id: Some(4),
            team_id: None,
        }
    }

    #[test]
    fn empty_conditions_match_everything() {
        assert!(SlaConditions::default().matches(&facts(Channel::Email, Priority::Low)));
    }

    #[test]
    fn every_list_must_match() {
        let c = SlaConditions {
            channels: vec![Channel::Chat, Channel::Phone],
            priorities: vec![Priority::Urgent],
            ..Default::default()
        };
        assert!(c.matches(&facts(Channel::Chat, Priority::Urgent)));
        assert!(!c.matches(&facts(Channel::Chat, Priority::Normal)));
        assert!(!c.matches(&facts(Channel::Email, Priority::Urgent)));
        let by_category = SlaConditions {
            categories: vec!["billing".into()],
            ..Default::default()
        };
        assert!(by_category.matches(&facts(Channel::Email, Priority::Low)));
        let by_team = SlaConditions {
            team_ids: vec![2],
            ..Default::default()
        };
        assert!(
            !by_team.matches(&facts(Channel::Email, Priority::Low)),
            "no team never matches a team condition"
        );
    }

    #[test]
    fn the_first_matching_policy_wins() {
        let policies = [
            (
                "vip",
                SlaConditions {
                    organization_ids: vec![9],
                    ..Default::default()
                },
            ),
            (
                "chat",
                SlaConditions {
                    channels: vec![Channel::Chat],
                    ..Default::default()
                },
            ),
            ("catch-all", SlaConditions::default()),
        ];
        let pick = |f: TicketFacts<'_>| select_policy(&policies, &f, |p| &p.1).map(|p| p.0);
        assert_eq!(pick(facts(Channel::Chat, Priority::Low)), Some("chat"));
        assert_eq!(
            pick(facts(Channel::Email, Priority::Low)),
            Some("catch-all")
        );
        assert_eq!(
            pick(TicketFacts {
                organization_id: Some(9),
                ..facts(Channel::Chat, Priority::Low)
            }),
            Some("vip")
        );
    }
}
