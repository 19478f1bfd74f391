//! Choosing who gets a ticket: the team's assignment strategy over its available agents, each
//! within their capacity.

use jiff::Timestamp;

use crate::{Priority, wire_enum};

wire_enum!(
    /// How a team hands out new tickets.
    Assignment, "assignment" {
        Manual => "manual",
        RoundRobin => "round_robin",
        LeastLoaded => "least_loaded",
        Skill => "skill",
    }
);

wire_enum!(
    /// Whether an agent takes new tickets now.
    Availability, "availability" {
        Available => "available",
        Away => "away",
    }
);

/// One team member as routing sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub agent_id: i64,
    pub availability: Availability,
    /// Most open tickets the agent holds at once; `None` is no limit.
    pub capacity: Option<u32>,
    /// Open tickets the agent holds now, by priority.
    pub open: OpenLoad,
    pub skills: Vec<String>,
    pub last_assigned_at: Option<Timestamp>,
}

/// Open tickets held, counted per priority.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenLoad {
    pub low: u32,
    pub normal: u32,
    pub high: u32,
    pub urgent: u32,
}

impl OpenLoad {
    pub fn add(&mut self, priority: Priority, n: u32) {
        match priority {
            Priority::Low => self.low += n,
            Priority::Normal => self.normal += n,
            Priority::High => self.high += n,
            Priority::Urgent => self.urgent += n,
        }
    }

    pub fn count(&self) -> u32 {
        self.low + self.normal + self.high + self.urgent
    }

    /// Work weighted by priority: an urgent ticket weighs as much as eight low ones.
    pub fn weight(&self) -> u32 {
        self.low + 2 * self.normal + 4 * self.high + 8 * self.urgent
    }
}

impl Candidate {
    fn can_take(&self) -> bool {
        self.availability == Availability::Available
            && self.capacity.is_none_or(|c| self.open.count() < c)
    }
}

/// The agent a new ticket goes to, or `None` (manual teams, or nobody can take it).
/// Ties break by who waited longest since their last assignment, then by lowest id, so the
/// choice is deterministic.
pub fn choose(
    strategy: Assignment,
    candidates: &[Candidate],
    category: Option<&str>,
) -> Option<i64> {
    let eligible = candidates.iter().filter(|c| c.can_take());
    let waited = |c: &&Candidate| (c.last_assigned_at, c.agent_id);
    let pick = match strategy {
        Assignment::Manual => None,
        Assignment::RoundRobin => eligible.min_by_key(waited),
        Assignment::LeastLoaded => {
            eligible.min_by_key(|c| (c.open.weight(), c.last_assigned_at, c.agent_id))
        }
        Assignment::Skill => {
            let skilled: Vec<&Candidate> = eligible
                .filter(|c| {
                    category.is_some_and(|cat| c.skills.iter().any(|s| s.eq_ignore_ascii_case(cat)))
                })
                .collect();
            skilled
                .into_iter()
                .min_by_key(|c| (c.open.weight(), c.last_assigned_at, c.agent_id))
        }
    };
    pick.map(|c| c.agent_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agent(id: i64) -> Candidate {
        Candidate {
            agent_id: id,
            availability: Availability::Available,
            capacity: None,
            open: OpenLoad::default(),
            skills: vec![],
            last_assigned_at: None,
        }
    }

    fn at(s: &str) -> Option<Timestamp> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn manual_teams_assign_nobody() {
        assert_eq!(choose(Assignment::Manual, &[agent(1)], None), None);
    }

    #[test]
    fn round_robin_takes_who_waited_longest() {
        let mut a = agent(1);
        a.last_assigned_at = at("2026-11-23T10:00:00Z");
        let mut b = agent(2);
        b.last_assigned_at = at("2026-11-23T09:00:00Z");
        assert_eq!(
            choose(Assignment::RoundRobin, &[a.clone(), b.clone()], None),
            Some(2)
        );
        let never = agent(3);
        assert_eq!(
            choose(Assignment::RoundRobin, &[a, b, never], None),
            Some(3)
        );
    }

    #[test]
    fn least_loaded_weighs_priority() {
        let mut a = agent(1);
        a.open.add(Priority::Urgent, 1); // weight 8
        let mut b = agent(2);
        b.open.add(Priority::Normal, 3); // weight 6
        assert_eq!(choose(Assignment::LeastLoaded, &[a, b], None), Some(2));
    }

    #[test]
    fn away_and_full_agents_are_skipped() {
        let mut away = agent(1);
        away.availability = Availability::Away;
        let mut full = agent(2);
        full.capacity = Some(2);
        full.open.add(Priority::Low, 2);
        assert_eq!(
            choose(Assignment::RoundRobin, &[away.clone(), full.clone()], None),
            None
        );
        assert_eq!(
            choose(Assignment::RoundRobin, &[away, full, agent(3)], None),
            Some(3)
        );
    }

    #[test]
    fn skill_routing_matches_the_category() {
        let mut billing = agent(1);
        billing.skills = vec!["Billing".into()];
        let mut tech = agent(2);
        tech.skills = vec!["technical".into()];
        assert_eq!(
            choose(
                Assignment::Skill,
                &[billing.clone(), tech.clone()],
                Some("billing")
            ),
            Some(1)
        );
        assert_eq!(
            choose(Assignment::Skill, &[billing, tech], Some("shipping")),
            None
        );
    }

    proptest! {
        #[test]
        fn the_choice_is_always_an_eligible_member(
            loads in proptest::collection::vec((0u32..5, 0u32..5, any::<bool>(), proptest::option::of(0u32..6)), 1..8),
            strategy in proptest::sample::select(Assignment::ALL),
        ) {
            let candidates: Vec<Candidate> = loads.iter().enumerate().map(|(i, (n, u, away, cap))| {
                let mut c = agent(i as i64 + 1);
                c.open.add(Priority::Normal, *n);
                c.open.add(Priority::Urgent, *u);
                c.capacity = *cap;
                if *away { c.availability = Availability::Away; }
                c.skills = vec!["billing".into()];
                c
            }).collect();
            if let Some(id) = choose(strategy, &candidates, Some("billing")) {
                let c = candidates.iter().find(|c| c.agent_id == id).unwrap();
                prop_assert!(c.can_take());
                if strategy == Assignment::LeastLoaded {
                    prop_assert!(candidates.iter().filter(|o| o.can_take()).all(|o| o.open.weight() >= c.open.weight()));
                }
            } else if strategy != Assignment::Manual {
                prop_assert!(candidates.iter().all(|c| !c.can_take()));
            }
        }
    }
}
