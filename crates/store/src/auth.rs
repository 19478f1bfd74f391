//! Passwords (argon2id), API tokens and sessions (random secrets stored as SHA-256 hashes), and
//! resolving a secret to the agent acting with it.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use ferrodesk_core::{EmailAddress, Role, Viewer};
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Db, StoreError, now, to_micros};

pub const TOKEN_PREFIX: &str = "fdt_";
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 14);
pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Hashes a password with argon2id (OWASP parameters: 19 MiB, 2 passes). CPU-heavy: runs on
/// the blocking pool.
pub async fn hash_password(password: &str) -> Result<String, StoreError> {
    check_password_rules(password)?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt");
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Schema(format!("password hashing failed: {e}")))
    })
    .await
    .expect("password hashing task panicked")
}

pub fn check_password_rules(password: &str) -> Result<(), StoreError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(StoreError::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(StoreError::invalid(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

pub async fn verify_password(hash: Option<String>, password: &str) -> bool {
    // Without a stored hash, verify against a fixed one anyway so that timing does not reveal
    // which emails belong to agents.
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0x0kxxXMyHBAh6Jl4+Q8aBljSkg2tqe1PtklJoRkAyg";
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| DUMMY.to_string());
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false);
    ok && known
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    buf
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Secrets are 256-bit random values, so a fast hash is enough to store them safely.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

pub fn new_secret(prefix: &str) -> String {
    format!("{prefix}{}", hex(&random_bytes::<32>()))
}

/// Creates an API token for the agent with `email`; returns the token, which is shown once and
/// stored only as a hash.
pub async fn create_token(db: &Db, email: &EmailAddress, name: &str) -> Result<String, StoreError> {
    let name = &ferrodesk_core::text::required("name", name, ferrodesk_core::text::MAX_NAME_CHARS)?;
    let agent: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, deactivated_at FROM agents WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(db.reader())
            .await?;
    let Some((agent_id, deactivated)) = agent else {
        return Err(StoreError::unprocessable(
            "agent_not_found",
            format!("no agent has the email {email}"),
        ));
    };
    if deactivated.is_some() {
        return Err(StoreError::conflict(
            "agent_deactivated",
            format!("agent {email} is deactivated"),
        ));
    }
    let token = new_secret(TOKEN_PREFIX);
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (agent_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(agent_id)
    .bind(name)
    .bind(secret_hash(&token))
    .bind(to_micros(now()))
    .fetch_one(&mut *tx)
    .await?;
    crate::events::append(
        &mut tx,
        crate::Actor::system(),
        now(),
        &[crate::events::NewEvent::new(
            "agent",
            agent_id,
            "agent.token_created",
            serde_json::json!({"token_id": id, "name": name}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// An API token as its owner sees it (the secret itself is never stored).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: jiff::Timestamp,
    pub revoked_at: Option<jiff::Timestamp>,
}

/// The newest tokens of an agent (at most 100), revoked ones included.
pub async fn list_tokens(db: &Db, agent_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
    let rows: Vec<(i64, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE agent_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(agent_id)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, created, revoked)| TokenInfo {
            id,
            name,
            created_at: crate::from_micros(created),
            revoked_at: revoked.map(crate::from_micros),
        })
        .collect())
}

/// Revokes one of the agent's own tokens (another agent's answers "not found").
pub async fn revoke_token(db: &Db, agent_id: i64, token_id: i64) -> Result<(), StoreError> {
    let at = now();
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND agent_id = $3 AND revoked_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(token_id)
    .bind(agent_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("api_token", token_id));
    }
    crate::events::append(
        &mut tx,
        crate::Actor::agent(agent_id),
        at,
        &[crate::events::NewEvent::new(
            "agent",
            agent_id,
            "agent.token_revoked",
            serde_json::json!({"token_id": token_id}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The agent acting with an API token, if the token is valid and the agent active.
pub async fn viewer_for_token(db: &Db, token: &str) -> Result<Option<Viewer>, StoreError> {
    viewer_for_token_hash(db, &secret_hash(token)).await
}

/// Like [`viewer_for_token`], for a token already hashed with [`secret_hash`].
pub async fn viewer_for_token_hash(
    db: &Db,
    token_hash: &str,
) -> Result<Option<Viewer>, StoreError> {
    viewer_query(
        db,
        "SELECT a.id, a.role, m.team_id FROM api_tokens k JOIN agents a ON a.id = k.agent_id \
         LEFT JOIN team_members m ON m.agent_id = a.id \
         WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND a.deactivated_at IS NULL",
        token_hash,
        None,
    )
    .await
}

/// The agent signed in with a session id, if the session has not expired.
pub async fn viewer_for_session(db: &Db, session: &str) -> Result<Option<Viewer>, StoreError> {
    viewer_query(
        db,
        "SELECT a.id, a.role, m.team_id FROM sessions s JOIN agents a ON a.id = s.agent_id \
         LEFT JOIN team_members m ON m.agent_id = a.id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND a.deactivated_at IS NULL",
        &secret_hash(session),
        Some(to_micros(now())),
    )
    .await
}

async fn viewer_query(
    db: &Db,
    sql: &str,
    hash: &str,
    at: Option<i64>,
) -> Result<Option<Viewer>, StoreError> {
    let mut query = sqlx::query(sql).bind(hash);
    if let Some(at) = at {
        query = query.bind(at);
    }
    let rows = query.fetch_all(db.reader()).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let role: String = first.try_get(1)?;
    let mut viewer = Viewer {
        agent_id: first.try_get(0)?,
        role: role.parse::<Role>()?,
        team_ids: Vec::new(),
    };
    for row in &rows {
        if let Some(team) = row.try_get::<Option<i64>, _>(2)? {
            viewer.team_ids.push(team);
        }
    }
    Ok(Some(viewer))
}

/// Checks an agent's email and password; on success opens a session and returns its secret.
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
) -> Result<Option<(String, Viewer)>, StoreError> {
    let email = EmailAddress::parse(email).ok();
    let row: Option<(i64, Option<String>)> =
        match &email {
            Some(email) => sqlx::query_as(
                "SELECT id, password_hash FROM agents WHERE email = $1 AND deactivated_at IS NULL",
            )
            .bind(email.as_str())
            .fetch_optional(db.reader())
            .await?,
            None => None,
        };
    let (agent_id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    if !verify_password(hash, password).await {
        return Ok(None);
    }
    let Some(agent_id) = agent_id else {
        return Ok(None);
    };
    let session = new_secret("");
    let created = now();
    let expires: Timestamp = created
        .checked_add(SESSION_LIFETIME)
        .expect("session expiry fits");
    sqlx::query(
        "INSERT INTO sessions (id_hash, agent_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(secret_hash(&session))
    .bind(agent_id)
    .bind(to_micros(created))
    .bind(to_micros(expires))
    .execute(db.writer())
    .await?;
    let viewer = viewer_for_session(db, &session).await?;
    Ok(viewer.map(|v| (session, v)))
}

pub async fn logout(db: &Db, session: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(secret_hash(session))
        .execute(db.writer())
        .await?;
    Ok(())
}
