//! Connection pools for SQLite (one writer, several readers, WAL) and PostgreSQL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrate;
use sqlx::{AnyPool, Executor};

use crate::StoreError;
use crate::migrations::{latest_version, migrator};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub use crate::tx::Tx;

/// Where the database lives and how many connections to keep.
#[derive(Debug, Clone)]
pub struct DbConfig {
    /// `postgres://…`, `sqlite://…`, or `None` for SQLite in `data_dir`.
    pub url: Option<String>,
    pub data_dir: PathBuf,
    pub max_connections: u32,
}

impl DbConfig {
    pub fn sqlite_in(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            url: None,
            data_dir: data_dir.into(),
            max_connections: 8,
        }
    }

    /// The backend and connection URL, or a message saying what is wrong with the URL.
    pub fn resolve(&self) -> Result<(Backend, String), StoreError> {
        match self.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => {
                let path = self.data_dir.join("ferrodesk.db");
                Ok((Backend::Sqlite, sqlite_url(&path)))
            }
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok((Backend::Postgres, url.to_string()))
            }
            Some(url) if url.starts_with("sqlite:") => {
                let path = url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:");
                let path = path.split('?').next().unwrap_or_default();
                if path.is_empty() || path == ":memory:" {
                    return Err(StoreError::Schema(
                        "an SQLite database URL must name a file, e.g. sqlite://./ferrodesk-data/ferrodesk.db".into(),
                    ));
                }
                Ok((Backend::Sqlite, sqlite_url(Path::new(path))))
            }
            Some(url) => {
                let scheme = url.split(':').next().unwrap_or(url);
                Err(StoreError::Schema(format!(
                    "unsupported database URL scheme {scheme:?}: use postgres://user@host/db or sqlite://path/to/file.db"
                )))
            }
        }
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Whether the database's schema fits this binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaState {
    /// No migrations applied yet.
    Empty,
    /// Applied up to `current`; `latest` is what this binary knows.
    Behind {
        current: i64,
        latest: i64,
    },
    UpToDate(i64),
    /// The database was migrated by a newer Ferrodesk.
    Unknown {
        version: i64,
        latest: i64,
    },
}

/// The database handle: cheap to clone, shared by every request.
#[derive(Clone, Debug)]
pub struct Db {
    backend: Backend,
    write: AnyPool,
    read: AnyPool,
    snapshots: std::sync::Arc<crate::snapshot::Snapshots>,
    jobs_scheduled: std::sync::Arc<tokio::sync::Notify>,
    mail_spooled: std::sync::Arc<tokio::sync::Notify>,
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; \
     PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 268435456; PRAGMA wal_autocheckpoint = 16384;";

impl Db {
    pub async fn connect(config: &DbConfig) -> Result<Self, StoreError> {
        install_default_drivers();
        let (backend, url) = config.resolve()?;
        match backend {
            Backend::Sqlite => {
                std::fs::create_dir_all(sqlite_parent(&url)).map_err(|e| {
                    StoreError::Schema(format!("cannot create the data directory for {url}: {e}"))
                })?;
                let write = sqlite_pool(&url, 1).await?;
                let read = sqlite_pool(&url, config.max_connections.max(2)).await?;
                Ok(Db {
                    backend,
                    write,
                    read,
                    snapshots: Default::default(),
                    jobs_scheduled: Default::default(),
                    mail_spooled: Default::default(),
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(config.max_connections.max(2))
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(&url)
                    .await
                    .map_err(|e| {
                        StoreError::Schema(format!("cannot connect to PostgreSQL: {e}"))
                    })?;
                Ok(Db {
                    backend,
                    write: pool.clone(),
                    read: pool,
                    snapshots: Default::default(),
                    jobs_scheduled: Default::default(),
                    mail_spooled: Default::default(),
                })
            }
        }
    }

    /// Woken when inbound mail is accepted into the spool (this node).
    pub fn mail_spooled(&self) -> &tokio::sync::Notify {
        &self.mail_spooled
    }

    /// Signalled when this node scheduled a job, so the worker need not wait to look.
    pub fn jobs_scheduled(&self) -> &tokio::sync::Notify {
        &self.jobs_scheduled
    }

    /// This node's snapshots of rarely-changing settings, one per type.
    pub fn snapshots(&self) -> &crate::snapshot::Snapshots {
        &self.snapshots
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool for reads; on SQLite these connections never take the write lock.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// The pool for single-statement writes outside a transaction.
    pub fn writer(&self) -> &AnyPool {
        &self.write
    }

    /// Begins a write transaction. On SQLite there is one writer connection and the lock is
    /// taken at BEGIN, so a transaction never fails half-way for lack of it. Its commit
    /// survives a crash of the process; on SQLite (WAL, `synchronous = NORMAL`) the last
    /// commits before a power cut may be lost — see [`Db::begin_durable`].
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        self.begin_with_sqlite_sync("NORMAL").await
    }

    /// Begins a write transaction whose commit also survives a power cut: on SQLite the
    /// commit waits until the log is on disk (`synchronous = FULL`), as PostgreSQL's always
    /// does. For promises made to the outside: inbound mail is answered 250 (or its IMAP UID
    /// passed) only after such a commit. Everything derived from it afterwards can be redone.
    pub async fn begin_durable(&self) -> Result<Tx, StoreError> {
        self.begin_with_sqlite_sync("FULL").await
    }

    async fn begin_with_sqlite_sync(&self, level: &'static str) -> Result<Tx, StoreError> {
        let tx = match self.backend {
            // The level cannot change inside a transaction, so it is set in the same call.
            Backend::Sqlite => {
                self.write
                    .begin_with(format!("PRAGMA synchronous = {level}; BEGIN IMMEDIATE"))
                    .await?
            }
            Backend::Postgres => self.write.begin().await?,
        };
        Ok(Tx::new(tx))
    }

    /// `FOR UPDATE` where the backend has row locks (SQLite's writer lock already serialises).
    pub fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn schema_state(&self) -> Result<SchemaState, StoreError> {
        let mut conn = self.write.acquire().await?;
        conn.ensure_migrations_table().await?;
        if let Some(version) = conn.dirty_version().await? {
            return Err(StoreError::Schema(format!(
                "migration {version} failed part-way; repair the database before starting"
            )));
        }
        let applied = conn.list_applied_migrations().await?;
        let latest = latest_version();
        Ok(match applied.iter().map(|m| m.version).max() {
            None => SchemaState::Empty,
            Some(v) if v > latest || applied.iter().any(|m| !known(m.version)) => {
                SchemaState::Unknown { version: v, latest }
            }
            Some(v) if v < latest => SchemaState::Behind { current: v, latest },
            Some(v) => SchemaState::UpToDate(v),
        })
    }

    /// Applies every pending migration; returns the schema version now in place.
    pub async fn migrate(&self) -> Result<i64, StoreError> {
        if let SchemaState::Unknown { version, latest } = self.schema_state().await? {
            return Err(unknown_schema(version, latest));
        }
        migrator(self.backend).run(&self.write).await?;
        Ok(latest_version())
    }

    /// Refuses a database this binary does not understand; migrates one that is merely behind
    /// (or empty), so a first start needs no setup.
    pub async fn prepare_for_serving(&self) -> Result<i64, StoreError> {
        match self.schema_state().await? {
            SchemaState::Unknown { version, latest } => Err(unknown_schema(version, latest)),
            SchemaState::UpToDate(v) => Ok(v),
            SchemaState::Empty | SchemaState::Behind { .. } => self.migrate().await,
        }
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Table name → sorted column names, for the schema-parity test.
    pub async fn table_columns(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
                 ORDER BY m.name, p.name"
            }
            Backend::Postgres => {
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' \
                 ORDER BY table_name, column_name"
            }
        };
        let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(&self.read).await?;
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for (table, column) in rows {
            match out.last_mut() {
                Some((t, cols)) if *t == table => cols.push(column),
                _ => out.push((table, vec![column])),
            }
        }
        Ok(out)
    }
}

fn known(version: i64) -> bool {
    version >= 1 && version <= latest_version()
}

fn unknown_schema(version: i64, latest: i64) -> StoreError {
    StoreError::Schema(format!(
        "the database has schema version {version}, but this ferrodesk knows versions up to {latest}; \
         it was migrated by a newer release: run that release, or restore a backup made before the upgrade"
    ))
}

fn sqlite_parent(url: &str) -> PathBuf {
    let path = url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap_or_default();
    Path::new(path)
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."))
}

async fn sqlite_pool(url: &str, max: u32) -> Result<AnyPool, StoreError> {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(sqlx::raw_sql(SQLITE_PRAGMAS)).await?;
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(|e| StoreError::Schema(format!("cannot open the SQLite database {url}: {e}")))
}
