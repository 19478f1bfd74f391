//! Service-level agreements: which policy applies to a ticket, and the per-ticket clocks that
//! turn a policy's targets into deadlines in business time (paused while the ticket waits).

mod alerts;
mod clock;
mod policy;

pub use alerts::{Alert, AlertKind, FiredAlerts, due_alerts, next_alert_at};
pub use clock::{ClockEvent, ClockHistory, SlaClock, Target, TicketChange, rebuild};
pub use policy::{BreachActions, SlaConditions, SlaTargets, TicketFacts, select_policy};
