//! SLA deadlines and metrics, with Zammad's semantics:
//! - an escalation time is its clock's start plus the target minutes of business time on the
//!   calendar (the first response and solution clocks start when the ticket is created, the
//!   update clock at the customer's last contact); a missing or zero target has no deadline;
//! - a metric is the whole business minutes (rounded down) the step took, and its `diff` is
//!   `target − taken`, negative when the target was missed. A step that ends before its clock
//!   started took zero minutes.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{BusinessTimeError, Calendar};

/// The targets of an SLA policy, in business minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationTargets {
    #[serde(default)]
    pub first_response_time_min: Option<u32>,
    #[serde(default)]
    pub update_time_min: Option<u32>,
    #[serde(default)]
    pub solution_time_min: Option<u32>,
}

/// When each SLA clock escalates; `None` where the policy sets no target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlaDeadlines {
    pub first_response_escalation_at: Option<Timestamp>,
    pub update_escalation_at: Option<Timestamp>,
    pub close_escalation_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FirstResponseMetrics {
    pub first_response_in_min: i64,
    pub first_response_diff_in_min: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UpdateMetrics {
    pub update_in_min: i64,
    pub update_diff_in_min: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CloseMetrics {
    pub close_in_min: i64,
    pub close_diff_in_min: i64,
}

impl Calendar {
    /// The escalation times of a ticket whose clocks all start at `start` — its creation, which
    /// is also the customer's last contact on a new ticket. Once the customer writes again,
    /// recompute the update deadline with [`Calendar::sla_escalation_at`] from that contact.
    pub fn sla_deadlines(
        &self,
        start: Timestamp,
        targets: &EscalationTargets,
    ) -> Result<SlaDeadlines, BusinessTimeError> {
        Ok(SlaDeadlines {
            first_response_escalation_at: self
                .sla_escalation_at(start, targets.first_response_time_min)?,
            update_escalation_at: self.sla_escalation_at(start, targets.update_time_min)?,
            close_escalation_at: self.sla_escalation_at(start, targets.solution_time_min)?,
        })
    }

    /// `start` plus `target_min` business minutes; `None` for no target or a zero one.
    pub fn sla_escalation_at(
        &self,
        start: Timestamp,
        target_min: Option<u32>,
    ) -> Result<Option<Timestamp>, BusinessTimeError> {
        match target_min {
            Some(minutes) if minutes > 0 => self
                .add_business(start, SignedDuration::from_mins(i64::from(minutes)))
                .map(Some),
            _ => Ok(None),
        }
    }

    /// How long the first response took after the ticket was created at `start`.
    pub fn sla_first_response_metrics(
        &self,
        start: Timestamp,
        target_min: u32,
        first_response_at: Timestamp,
    ) -> Result<FirstResponseMetrics, BusinessTimeError> {
        let taken = self.business_minutes_taken(start, first_response_at)?;
        Ok(FirstResponseMetrics {
            first_response_in_min: taken,
            first_response_diff_in_min: i64::from(target_min) - taken,
        })
    }

    /// How long the agent took to answer the customer's last contact.
    pub fn sla_update_metrics(
        &self,
        last_contact_customer_at: Timestamp,
        target_min: u32,
        last_contact_agent_at: Timestamp,
    ) -> Result<UpdateMetrics, BusinessTimeError> {
        let taken = self.business_minutes_taken(last_contact_customer_at, last_contact_agent_at)?;
        Ok(UpdateMetrics {
            update_in_min: taken,
            update_diff_in_min: i64::from(target_min) - taken,
        })
    }

    /// How long the ticket created at `start` took to be closed.
    pub fn sla_close_metrics(
        &self,
        start: Timestamp,
        target_min: u32,
        close_at: Timestamp,
    ) -> Result<CloseMetrics, BusinessTimeError> {
        let taken = self.business_minutes_taken(start, close_at)?;
        Ok(CloseMetrics {
            close_in_min: taken,
            close_diff_in_min: i64::from(target_min) - taken,
        })
    }

    /// Whole business minutes from `start` to `end`, zero when `end` is not after `start`.
    fn business_minutes_taken(
        &self,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<i64, BusinessTimeError> {
        if end <= start {
            return Ok(0);
        }
        Ok(self.business_duration_between(start, end)?.as_secs() / 60)
    }
}
