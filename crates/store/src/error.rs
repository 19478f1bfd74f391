use ferrodesk_core::{ParseError, TransitionError};

/// What can go wrong in the store. The web layer maps each to an HTTP status and a stable code.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A thing addressed by id does not exist (or the viewer may not know that it does).
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: i64 },
    /// Input that does not parse or breaks a rule about a single field.
    #[error("{0}")]
    Invalid(#[from] ParseError),
    /// A referenced thing (in a body, not the path) does not exist or cannot be used.
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// The viewer may not see or do this.
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// The request conflicts with the current state (duplicate, illegal transition…).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Schema(String),
}

impl StoreError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid(ParseError::new(field, message))
    }

    pub fn not_found(entity: &'static str, id: i64) -> Self {
        StoreError::NotFound { entity, id }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Forbidden {
            code,
            message: message.into(),
        }
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Unprocessable {
            code,
            message: message.into(),
        }
    }

    /// True when the database refused a row because a unique key already holds it.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

/// Maps a unique violation to a conflict with the given code and message; passes other errors.
pub fn on_unique(
    code: &'static str,
    message: impl FnOnce() -> String,
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::conflict(code, message())
        }
        _ => StoreError::Database(e),
    }
}
