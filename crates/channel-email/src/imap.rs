//! The IMAP poller: one task per mailbox with IMAP configured. It fetches messages above the
//! last UID it saved, accepts them into the spool together with the new last UID (one
//! transaction: a crash never skips or repeats a message), flags them `\Seen` once their
//! tickets are committed, then waits with IDLE where the server offers it, or polls.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::spool::{self, ImapProgress, NewSpooled, Source};
use async_imap::{Client, Session};
use ferrodesk_store::mailboxes::{self, ImapAccount};
use ferrodesk_store::{Db, StoreError};
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};

/// Messages fetched per round trip (and accepted per transaction).
const FETCH_CHUNK: usize = 100;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub enum ImapError {
    Io(std::io::Error),
    Imap(async_imap::error::Error),
    Store(StoreError),
    Other(String),
}

impl std::fmt::Display for ImapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImapError::Io(e) => write!(f, "connection: {e}"),
            ImapError::Imap(e) => write!(f, "IMAP: {e}"),
            ImapError::Store(e) => write!(f, "storing: {e}"),
            ImapError::Other(e) => f.write_str(e),
        }
    }
}

impl From<std::io::Error> for ImapError {
    fn from(e: std::io::Error) -> Self {
        ImapError::Io(e)
    }
}
impl From<async_imap::error::Error> for ImapError {
    fn from(e: async_imap::error::Error) -> Self {
        ImapError::Imap(e)
    }
}
impl From<StoreError> for ImapError {
    fn from(e: StoreError) -> Self {
        ImapError::Store(e)
    }
}

/// A plain or TLS connection, so one client type serves both.
#[derive(Debug)]
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Certificate authorities trusted besides the public ones (a company CA): the PEM file named
/// by `FERRODESK_EXTRA_CA_FILE`, read once, and any added by [`trust_roots_from_pem`].
static EXTRA_ROOTS: std::sync::RwLock<Vec<CertificateDer<'static>>> =
    std::sync::RwLock::new(Vec::new());
static EXTRA_FROM_ENV: std::sync::Once = std::sync::Once::new();

/// Trusts the certificate authorities of a PEM file for IMAP over TLS, besides the public
/// ones; returns how many were added.
pub fn trust_roots_from_pem(pem: &[u8]) -> Result<usize, String> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("not a PEM certificate file: {e:?}"))?;
    let n = certs.len();
    EXTRA_ROOTS
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .extend(certs.into_iter().map(|c| c.into_owned()));
    Ok(n)
}

fn extra_roots() -> Vec<CertificateDer<'static>> {
    EXTRA_FROM_ENV.call_once(|| {
        let Some(path) = std::env::var_os("FERRODESK_EXTRA_CA_FILE") else {
            return;
        };
        match std::fs::read(&path).map_err(|e| e.to_string()).and_then(|pem| trust_roots_from_pem(&pem)) {
            Ok(n) => tracing::info!(file = ?path, certificates = n, "trusting extra certificate authorities for IMAP"),
            Err(e) => tracing::error!(file = ?path, error = %e, "FERRODESK_EXTRA_CA_FILE could not be read"),
        }
    });
    EXTRA_ROOTS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}

fn tls_connector() -> TlsConnector {
    let mut roots = tokio_rustls::rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for cert in extra_roots() {
        if let Err(e) = roots.add(cert) {
            tracing::warn!(error = %e, "an extra certificate authority was refused");
        }
    }
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

async fn tls(host: &str, tcp: TcpStream) -> Result<Stream, ImapError> {
    let name = ServerName::try_from(host.to_string())
        .map_err(|e| ImapError::Other(format!("server name {host:?}: {e}")))?;
    Ok(Stream::Tls(Box::new(
        tls_connector().connect(name, tcp).await?,
    )))
}

/// Connects, upgrades as configured, and logs in.
async fn login(account: &ImapAccount) -> Result<Session<Stream>, ImapError> {
    let tcp = tokio::time::timeout(
        CONNECT_TIMEOUT,
        TcpStream::connect((account.host.as_str(), account.port)),
    )
    .await
    .map_err(|_| ImapError::Other(format!("{}:{}: timed out", account.host, account.port)))??;
    let client = match account.security.as_str() {
        "tls" => {
            let mut c = Client::new(tls(&account.host, tcp).await?);
            c.read_response().await?;
            c
        }
        "starttls" => {
            let mut c = Client::new(Stream::Plain(tcp));
            c.read_response().await?;
            c.run_command_and_check_ok("STARTTLS", None).await?;
            let Stream::Plain(tcp) = c.into_inner() else {
                unreachable!("the connection is plain until STARTTLS")
            };
            Client::new(tls(&account.host, tcp).await?)
        }
        _ => {
            let mut c = Client::new(Stream::Plain(tcp));
            c.read_response().await?;
            c
        }
    };
    client
        .login(&account.username, &account.password)
        .await
        .map_err(|(e, _)| ImapError::Imap(e))
}

/// Polls one mailbox until `shutdown`; reconnects with backoff after errors, noting each
/// outcome on the mailbox for the admin page.
pub async fn run(
    db: Db,
    account: ImapAccount,
    idle_for: Duration,
    shutdown: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_secs(1);
    loop {
        if *shutdown.borrow() {
            return;
        }
        // Progress may have moved on (another node, or a previous session): reload it.
        let current = match mailboxes::imap_accounts(&db).await {
            Ok(list) => list
                .into_iter()
                .find(|a| a.mailbox_id == account.mailbox_id),
            Err(e) => {
                tracing::warn!(error = %e, "loading the IMAP account failed");
                Some(account.clone())
            }
        };
        let Some(current) = current else {
            return;
        };
        match poll_session(&db, current, idle_for, shutdown.clone()).await {
            Ok(()) => return,
            Err(e) => {
                let message = e.to_string();
                tracing::warn!(mailbox = account.mailbox_id, host = %account.host, error = %message, "IMAP session ended");
                let _ = mailboxes::set_imap_status(
                    &db,
                    account.mailbox_id,
                    &format!("error: {message}"),
                )
                .await;
            }
        }
        let mut stop = shutdown.clone();
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {},
            _ = stop.changed() => return,
        }
        backoff = (backoff * 2).min(Duration::from_secs(60));
    }
}

/// One logged-in session: fetch, then wait for news, until an error or `shutdown`.
async fn poll_session(
    db: &Db,
    mut account: ImapAccount,
    idle_for: Duration,
    mut shutdown: watch::Receiver<bool>,
) -> Result<(), ImapError> {
    let mut session = login(&account).await?;
    let capabilities = session.capabilities().await?;
    let can_idle = capabilities.has_str("IDLE");
    let can_move = capabilities.has_str("MOVE");
    let can_uid_expunge = capabilities.has_str("UIDPLUS");
    if let Some(folder) = &account.move_to {
        // Usually there already; a failure here shows at the first move.
        if let Err(e) = session.create(folder).await {
            tracing::debug!(mailbox = account.mailbox_id, folder, error = %e, "creating the move-to folder");
        }
    }
    let selected = session.select(&account.folder).await?;
    let uidvalidity = selected.uid_validity.unwrap_or(0);
    if account.uidvalidity != Some(uidvalidity) {
        if account.uidvalidity.is_some() {
            tracing::warn!(mailbox = account.mailbox_id, old = ?account.uidvalidity, new = uidvalidity,
                "UIDVALIDITY changed: the folder was rebuilt; reading it again (known messages are recognised by Message-ID)");
        }
        account.uidvalidity = Some(uidvalidity);
        account.last_uid = 0;
    }
    // UID → spool id of messages accepted but not yet flagged \Seen.
    let mut unflagged: HashMap<u32, i64> = HashMap::new();
    loop {
        let fetched =
            fetch_new(db, &mut session, &mut account, uidvalidity, &mut unflagged).await?;
        let done = Done {
            move_to: account.move_to.as_deref(),
            can_move,
            can_uid_expunge,
        };
        flag_processed(db, &mut session, &mut unflagged, &done).await?;
        mailboxes::set_imap_status(
            db,
            account.mailbox_id,
            &format!("ok: last UID {}, {fetched} new", account.last_uid),
        )
        .await?;
        if *shutdown.borrow() {
            let _ = session.logout().await;
            return Ok(());
        }
        // While messages wait to be flagged, look again soon.
        let wait = if unflagged.is_empty() {
            idle_for
        } else {
            Duration::from_secs(1)
        };
        if can_idle {
            let mut idle = session.idle();
            idle.init().await?;
            let (wait_for_news, interrupt) = idle.wait_with_timeout(wait);
            let stopped = tokio::select! {
                r = wait_for_news => { r?; false },
                _ = shutdown.changed() => true,
            };
            drop(interrupt);
            session = idle.done().await?;
            if stopped {
                let _ = session.logout().await;
                return Ok(());
            }
        } else {
            tokio::select! {
                _ = tokio::time::sleep(wait) => {},
                _ = shutdown.changed() => {
                    let _ = session.logout().await;
                    return Ok(());
                }
            }
            session.noop().await?;
        }
    }
}

/// Fetches every message above the last UID, in chunks, accepting each chunk with its
/// progress in one transaction. Returns how many were accepted.
async fn fetch_new(
    db: &Db,
    session: &mut Session<Stream>,
    account: &mut ImapAccount,
    uidvalidity: u32,
    unflagged: &mut HashMap<u32, i64>,
) -> Result<usize, ImapError> {
    let mut uids: Vec<u32> = session
        .uid_search(format!("UID {}:*", account.last_uid.saturating_add(1)))
        .await?
        .into_iter()
        // `n:*` always matches the last message, even when its UID is below n.
        .filter(|uid| *uid > account.last_uid)
        .collect();
    uids.sort_unstable();
    let mut accepted = 0;
    for chunk in uids.chunks(FETCH_CHUNK) {
        let set = chunk
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let fetched: Vec<_> = session
            .uid_fetch(&set, "(UID BODY.PEEK[])")
            .await?
            .try_collect()
            .await?;
        let mut batch: Vec<(u32, NewSpooled)> = fetched
            .iter()
            .filter_map(|f| {
                let uid = f.uid?;
                let raw = f.body()?.to_vec();
                Some((
                    uid,
                    NewSpooled {
                        raw,
                        source: Source::Imap,
                        source_key: Some(format!(
                            "imap:{}:{uidvalidity}:{uid}",
                            account.mailbox_id
                        )),
                        mailbox_id: Some(account.mailbox_id),
                        envelope_from: None,
                    },
                ))
            })
            .collect();
        batch.sort_by_key(|(uid, _)| *uid);
        let Some(last) = chunk.last().copied() else {
            continue;
        };
        let (uids_in_batch, messages): (Vec<u32>, Vec<NewSpooled>) = batch.into_iter().unzip();
        let ids = spool::accept(
            db,
            &messages,
            Some(ImapProgress {
                mailbox_id: account.mailbox_id,
                uidvalidity,
                last_uid: last,
            }),
        )
        .await?;
        account.last_uid = last;
        accepted += ids.len();
        unflagged.extend(uids_in_batch.into_iter().zip(ids));
    }
    Ok(accepted)
}

/// Moves the messages `set` (UIDs) to `folder`.
async fn move_messages(
    session: &mut Session<Stream>,
    set: &str,
    folder: &str,
    how: &Done<'_>,
) -> Result<(), ImapError> {
    if how.can_move {
        session.uid_mv(set, folder).await?;
        return Ok(());
    }
    session.uid_copy(set, folder).await?;
    let _: Vec<_> = session
        .uid_store(set, "+FLAGS.SILENT (\\Deleted)")
        .await?
        .try_collect()
        .await?;
    if how.can_uid_expunge {
        let _: Vec<_> = session.uid_expunge(set).await?.try_collect().await?;
    } else {
        let _: Vec<_> = session.expunge().await?.try_collect().await?;
    }
    Ok(())
}

/// What becomes of a message in the mailbox once its ticket is committed.
struct Done<'a> {
    /// Moved to this folder; `None`: flagged `\Seen` where it is.
    move_to: Option<&'a str>,
    /// The server has MOVE (RFC 6851); without it: COPY, flag `\Deleted`, expunge.
    can_move: bool,
    /// The server can expunge just those UIDs (UIDPLUS); without it, EXPUNGE.
    can_uid_expunge: bool,
}

/// Flags `\Seen` the messages whose tickets are committed, then moves them if the mailbox
/// says so.
async fn flag_processed(
    db: &Db,
    session: &mut Session<Stream>,
    unflagged: &mut HashMap<u32, i64>,
    done_with: &Done<'_>,
) -> Result<(), ImapError> {
    if unflagged.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = unflagged.values().copied().collect();
    let done = spool::processed_among(db, &ids).await?;
    let uids: Vec<u32> = unflagged
        .iter()
        .filter(|(_, id)| done.contains(id))
        .map(|(uid, _)| *uid)
        .collect();
    for chunk in uids.chunks(500) {
        let set = chunk
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let _: Vec<_> = session
            .uid_store(&set, "+FLAGS.SILENT (\\Seen)")
            .await?
            .try_collect()
            .await?;
        if let Some(folder) = done_with.move_to {
            move_messages(session, &set, folder, done_with).await?;
        }
    }
    for uid in uids {
        unflagged.remove(&uid);
    }
    Ok(())
}
