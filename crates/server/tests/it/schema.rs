use ferrodesk_store::{Backend, Db, DbConfig, SchemaState};
use ferrodesk_testkit::{POSTGRES_ENV, backend, fresh_database};

/// Both backends' migrations must define the same tables and columns. Needs PostgreSQL; on the
/// SQLite run it checks the SQLite side against the expected table list only.
#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let sqlite_dir = std::env::temp_dir().join(format!("ferrodesk-schema-{}", std::process::id()));
    let sqlite = Db::connect(&DbConfig::sqlite_in(&sqlite_dir))
        .await
        .unwrap();
    sqlite.migrate().await.unwrap();
    let sqlite_columns = sqlite.table_columns().await.unwrap();
    sqlite.close().await;
    let _ = std::fs::remove_dir_all(&sqlite_dir);
    let tables: Vec<&str> = sqlite_columns.iter().map(|(t, _)| t.as_str()).collect();
    for expected in [
        "agents",
        "customers",
        "events",
        "messages",
        "organizations",
        "sessions",
        "team_members",
        "teams",
        "ticket_tags",
        "tickets",
        "api_tokens",
    ] {
        assert!(tables.contains(&expected), "{expected} missing: {tables:?}");
    }
    if backend() != Backend::Postgres {
        eprintln!(
            "note: {POSTGRES_ENV} is not set; the PostgreSQL side of the schema comparison runs in .ci/run"
        );
        return;
    }
    let (pg, _guard) = fresh_database().await;
    let pg_columns = pg.table_columns().await.unwrap();
    assert_eq!(sqlite_columns, pg_columns);
}

#[tokio::test]
async fn a_schema_from_a_newer_release_is_refused() {
    let (db, _guard) = fresh_database().await;
    assert!(matches!(
        db.schema_state().await.unwrap(),
        SchemaState::UpToDate(_)
    ));
    let checksum = match backend() {
        Backend::Sqlite => "X'00'",
        Backend::Postgres => "'\\x00'::bytea",
    };
    sqlx::query(&format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', TRUE, {checksum}, 0)"
    ))
    .execute(db.reader())
    .await
    .unwrap();
    let state = db.schema_state().await.unwrap();
    assert!(
        matches!(state, SchemaState::Unknown { version: 9999, .. }),
        "{state:?}"
    );
    let err = db.prepare_for_serving().await.unwrap_err().to_string();
    assert!(err.contains("schema version 9999"), "{err}");
    assert!(err.contains("newer release"), "{err}");
}
