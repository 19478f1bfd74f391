//! The job kinds the application runs, handed to the store's job runner at start-up. Each
//! capability registers its own kinds; this only gathers them.

use ferrodesk_store::jobs::JobHandlers;
use ferrodesk_store::{Db, StoreError};

/// Registers every job kind of the application layer.
pub fn register(jobs: &mut JobHandlers) {
    crate::sla::register(jobs);
    crate::sla_alerts::register(jobs);
    crate::rules::register(jobs);
    crate::webhooks::register(jobs);
    crate::outbound::register(jobs);
}

/// A registry holding the application's job kinds.
pub fn handlers() -> JobHandlers {
    let mut jobs = JobHandlers::new();
    register(&mut jobs);
    jobs
}

/// Runs every application job that is due now (tools and tests that run jobs in step).
pub async fn run_due(db: &Db) -> Result<usize, StoreError> {
    ferrodesk_store::jobs::run_due(db, &handlers()).await
}
