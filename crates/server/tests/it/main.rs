//! The integration suite: every scenario drives the real HTTP server over a fresh database.
//! It runs on SQLite by default and on PostgreSQL when `FERRODESK_TEST_POSTGRES` is set
//! (`.ci/run` runs it both ways).

mod admin_pages;
mod auth;
mod cli;
mod crud;
mod errors;
mod house;
mod kb_search;
mod kb_ui;
mod mail;
mod mail_channel;
mod mail_servers;
mod permissions;
mod portal;
mod schema;
mod service;
mod sla;
mod sla_clock;
mod tickets;
mod ui;
mod ui_more;
mod workflow;

use serde_json::{Value, json};

/// More than any upload may carry (the server's limit is 21 MiB).
pub const MAX_UPLOAD_TEST_BYTES: usize = 22 * 1024 * 1024;

/// A minimal valid ticket body for `email`.
pub fn ticket_body(email: &str) -> Value {
    json!({"subject": "Printer on fire", "body": "It is on fire. Please help.", "customer": {"email": email}})
}
