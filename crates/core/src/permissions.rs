//! Who may see and change what.

use crate::Role;

/// The acting agent, as resolved from a session or an API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub agent_id: i64,
    pub role: Role,
    /// Teams the agent is a member of.
    pub team_ids: Vec<i64>,
}

impl Viewer {
    /// An agent sees the tickets of their teams and the tickets assigned to them; supervisors
    /// and admins see all.
    pub fn can_see_ticket(&self, team_id: Option<i64>, assignee_id: Option<i64>) -> bool {
        self.role.sees_all_tickets()
            || assignee_id == Some(self.agent_id)
            || team_id.is_some_and(|t| self.team_ids.contains(&t))
    }

    pub fn is_member_of(&self, team_id: i64) -> bool {
        self.team_ids.contains(&team_id)
    }

    pub fn can_manage_instance(&self) -> bool {
        self.role.manages_instance()
    }

    /// Ticket filters apply this restriction: `None` means no restriction.
    pub fn ticket_scope(&self) -> Option<TicketScope<'_>> {
        (!self.role.sees_all_tickets()).then_some(TicketScope {
            agent_id: self.agent_id,
            team_ids: &self.team_ids,
        })
    }
}

/// The tickets a restricted agent sees: those of `team_ids` plus those assigned to them.
#[derive(Debug, Clone, Copy)]
pub struct TicketScope<'a> {
    pub agent_id: i64,
    pub team_ids: &'a [i64],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(teams: &[i64]) -> Viewer {
        Viewer {
            agent_id: 7,
            role: Role::Agent,
            team_ids: teams.to_vec(),
        }
    }

    #[test]
    fn agents_see_their_teams_and_their_own_tickets() {
        let a = agent(&[1, 2]);
        assert!(a.can_see_ticket(Some(1), None));
        assert!(!a.can_see_ticket(Some(3), None));
        assert!(!a.can_see_ticket(None, None));
        assert!(a.can_see_ticket(Some(3), Some(7)));
        assert!(a.ticket_scope().is_some());
    }

    #[test]
    fn supervisors_and_admins_see_everything() {
        for role in [Role::Supervisor, Role::Admin] {
            let v = Viewer {
                agent_id: 1,
                role,
                team_ids: vec![],
            };
            assert!(v.can_see_ticket(None, None));
            assert!(v.can_see_ticket(Some(99), Some(5)));
            assert!(v.ticket_scope().is_none());
        }
    }

    #[test]
    fn only_admins_manage_the_instance() {
        assert!(
            Viewer {
                agent_id: 1,
                role: Role::Admin,
                team_ids: vec![]
            }
            .can_manage_instance()
        );
        assert!(
            !Viewer {
                agent_id: 1,
                role: Role::Supervisor,
                team_ids: vec![]
            }
            .can_manage_instance()
        );
    }
}
