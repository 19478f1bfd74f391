//! Ferrodesk's email channel at work: mail is accepted into the spool (by the IMAP poller,
//! the SMTP/LMTP listener or an import), and the spool worker turns it into tickets. Parsing
//! is `ferrodesk_mail`; the spool is [`spool`]; turning a message into a ticket is
//! `ferrodesk_desk::ingest`.

pub mod imap;
pub mod inbound;
pub mod listener;
pub mod spool;
pub mod worker;

use std::net::SocketAddr;
use std::time::Duration;

use crate::spool::RateLimit;
use ferrodesk_store::Db;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use listener::Protocol;

/// How this node runs the email channel.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Accept mail directly on this address (SMTP or LMTP).
    pub listen: Option<(SocketAddr, Protocol)>,
    /// Poll the mailboxes that have IMAP configured.
    pub poll_imap: bool,
    /// The longest wait between looks at an IMAP folder (IDLE wakes earlier).
    pub imap_interval: Duration,
    pub rate_limit: RateLimit,
    /// This node's name, for the spool lease.
    pub node: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: None,
            poll_imap: true,
            imap_interval: Duration::from_secs(60),
            rate_limit: RateLimit::default(),
            node: default_node_name(),
        }
    }
}

/// `host:pid`, unique enough among the nodes sharing one database.
pub fn default_node_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "node".into());
    format!("{host}:{}", std::process::id())
}

/// The running channel: stop it with [`Running::stop`].
pub struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// Where the listener listens (useful when bound to port 0).
    pub listening_on: Option<SocketAddr>,
}

impl Running {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Starts the spool worker, the listener (if configured) and one poller per IMAP mailbox
/// configured now. (A mailbox added later starts polling at the next start.)
pub async fn start(db: Db, settings: Settings) -> std::io::Result<Running> {
    let (stop, shutdown) = watch::channel(false);
    let mut tasks = vec![tokio::spawn(worker::run(
        db.clone(),
        settings.node.clone(),
        settings.rate_limit,
        shutdown.clone(),
    ))];
    let mut listening_on = None;
    if let Some((addr, protocol)) = settings.listen {
        let listener = TcpListener::bind(addr).await?;
        listening_on = Some(listener.local_addr()?);
        tracing::info!(addr = %listening_on.expect("bound"), ?protocol, "accepting mail");
        tasks.push(tokio::spawn(listener::run(
            db.clone(),
            listener,
            protocol,
            shutdown.clone(),
        )));
    }
    if settings.poll_imap {
        let accounts = ferrodesk_store::mailboxes::imap_accounts(&db)
            .await
            .map_err(std::io::Error::other)?;
        for account in accounts {
            tracing::info!(mailbox = account.mailbox_id, host = %account.host, folder = %account.folder, "polling IMAP");
            tasks.push(tokio::spawn(imap::run(
                db.clone(),
                account,
                settings.imap_interval,
                shutdown.clone(),
            )));
        }
    }
    Ok(Running {
        stop,
        tasks,
        listening_on,
    })
}
