//! Rules that act on tickets: conditions over a ticket's facts, and actions that change it.
//! Triggers (on events), automations (on time) and macros (by hand) share both.

mod actions;
mod conditions;
mod template;

pub use actions::{Action, Changes, apply};
pub use conditions::{Condition, RuleFacts, all_hold};
pub use template::render;

use crate::wire_enum;

wire_enum!(
    /// The ticket events a trigger can listen to.
    TriggerEvent, "event" {
        TicketCreated => "ticket.created",
        CustomerReplied => "customer.replied",
        StatusChanged => "status.changed",
        SlaWarning => "sla.warning",
        SlaBreached => "sla.breached",
    }
);
