//! Ferrodesk's application layer: what happens when someone acts. A command (open a ticket,
//! reply, change it, merge, escalate, a customer's mail or portal request) validates, writes
//! through `ferrodesk_store`'s transaction and repositories, and sets off its reactions in the
//! same transaction: SLA clocks, triggers, routing, notifications, outbound mail, webhooks. The
//! background work those schedule runs through the job handlers registered by [`jobs`].

pub mod ingest;
pub mod jobs;
pub mod mailer;
pub mod outbound;
pub mod portal;
pub mod routing;
pub mod rules;
pub mod sla;
pub mod sla_alerts;
pub mod tickets;
pub mod webhooks;
