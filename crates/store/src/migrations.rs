//! Embedded migrations, one folder per backend. Both must define the same tables and columns
//! (checked by a test).

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::Backend;

/// (version, description, sqlite sql, postgres sql)
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "sla",
        include_str!("../migrations/sqlite/0002_sla.sql"),
        include_str!("../migrations/postgres/0002_sla.sql"),
    ),
    (
        3,
        "jobs",
        include_str!("../migrations/sqlite/0003_jobs.sql"),
        include_str!("../migrations/postgres/0003_jobs.sql"),
    ),
    (
        4,
        "workflow",
        include_str!("../migrations/sqlite/0004_workflow.sql"),
        include_str!("../migrations/postgres/0004_workflow.sql"),
    ),
    (
        5,
        "kb",
        include_str!("../migrations/sqlite/0005_kb.sql"),
        include_str!("../migrations/postgres/0005_kb.sql"),
    ),
    (
        6,
        "sla_paused",
        include_str!("../migrations/sqlite/0006_sla_paused.sql"),
        include_str!("../migrations/postgres/0006_sla_paused.sql"),
    ),
    (
        7,
        "notifications",
        include_str!("../migrations/sqlite/0007_notifications.sql"),
        include_str!("../migrations/postgres/0007_notifications.sql"),
    ),
    (
        8,
        "portal",
        include_str!("../migrations/sqlite/0008_portal.sql"),
        include_str!("../migrations/postgres/0008_portal.sql"),
    ),
    (
        9,
        "mail",
        include_str!("../migrations/sqlite/0009_mail.sql"),
        include_str!("../migrations/postgres/0009_mail.sql"),
    ),
    (
        10,
        "mailboxes",
        include_str!("../migrations/sqlite/0010_mailboxes.sql"),
        include_str!("../migrations/postgres/0010_mailboxes.sql"),
    ),
    (
        11,
        "mail_spool",
        include_str!("../migrations/sqlite/0011_mail_spool.sql"),
        include_str!("../migrations/postgres/0011_mail_spool.sql"),
    ),
    (
        12,
        "kb_files",
        include_str!("../migrations/sqlite/0012_kb_files.sql"),
        include_str!("../migrations/postgres/0012_kb_files.sql"),
    ),
    (
        13,
        "ticket_categories",
        include_str!("../migrations/sqlite/0013_ticket_categories.sql"),
        include_str!("../migrations/postgres/0013_ticket_categories.sql"),
    ),
    (
        14,
        "imap_move",
        include_str!("../migrations/sqlite/0014_imap_move.sql"),
        include_str!("../migrations/postgres/0014_imap_move.sql"),
    ),
    (
        15,
        "follower_cursors",
        include_str!("../migrations/sqlite/0015_follower_cursors.sql"),
        include_str!("../migrations/postgres/0015_follower_cursors.sql"),
    ),
    (
        16,
        "channel_teams",
        include_str!("../migrations/sqlite/0016_channel_teams.sql"),
        include_str!("../migrations/postgres/0016_channel_teams.sql"),
    ),
];

pub fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, postgres)| {
            let sql = match backend {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                Cow::Borrowed(*sql),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

/// The newest schema version this binary knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}
