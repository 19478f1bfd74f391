//! Service-level agreements: which policy applies to a ticket, and the per-ticket clocks that
//! turn a policy's targets into deadlines in business time (paused while the ticket waits).

mod clock;
mod policy;

pub use clock::{ClockEvent, SlaClock, Target, TicketChange};
pub use policy::{SlaConditions, SlaTargets, TicketFacts, select_policy};
