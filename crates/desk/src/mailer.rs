//! Outgoing mail for the portal's one-time links (sign-in, reset, confirm). [`SmtpMailer`] queues
//! them on the jobs table, sent from the default mailbox with retries that survive a restart;
//! [`LogMailer`] only logs (the link holds a secret, so its body is never logged at info).

use futures_util::future::BoxFuture;

/// One message to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub trait Mailer: Send + Sync {
    /// Hands the mail over for sending; it is durable once this resolves.
    fn send(&self, mail: Mail) -> BoxFuture<'_, ()>;
    /// Whether mail can go out at all (a mailbox to send from), so a page can tell the truth
    /// instead of promising an email that will never arrive.
    fn can_send(&self) -> BoxFuture<'_, bool>;
}

/// Logs mail instead of sending it.
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send(&self, mail: Mail) -> BoxFuture<'_, ()> {
        tracing::info!(to = %mail.to, subject = %mail.subject, "portal mail queued (logging mailer; no SMTP configured)");
        tracing::debug!(to = %mail.to, body = %mail.body, "portal mail body");
        Box::pin(async {})
    }

    fn can_send(&self) -> BoxFuture<'_, bool> {
        Box::pin(async { false })
    }
}

/// Keeps mail in memory (tests). `offline` stands for an instance with no mailbox: nothing
/// is kept and [`Mailer::can_send`] says so.
#[derive(Default)]
pub struct MemoryMailer {
    pub sent: std::sync::Mutex<Vec<Mail>>,
    pub offline: std::sync::atomic::AtomicBool,
}

impl MemoryMailer {
    fn is_offline(&self) -> bool {
        self.offline.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Mailer for MemoryMailer {
    fn send(&self, mail: Mail) -> BoxFuture<'_, ()> {
        if !self.is_offline() {
            self.sent.lock().expect("mailer lock").push(mail);
        }
        Box::pin(async {})
    }

    fn can_send(&self) -> BoxFuture<'_, bool> {
        let online = !self.is_offline();
        Box::pin(async move { online })
    }
}

/// Sends through the default mailbox by SMTP: each mail is a job (`email.notice`), so a failed
/// attempt is retried with backoff by whichever node is up, restarts included.
pub struct SmtpMailer {
    db: ferrodesk_store::Db,
}

impl SmtpMailer {
    pub fn new(db: ferrodesk_store::Db) -> Self {
        Self { db }
    }
}

impl Mailer for SmtpMailer {
    fn send(&self, mail: Mail) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            if let Err(e) =
                crate::outbound::queue_notice(&self.db, &mail.to, &mail.subject, &mail.body).await
            {
                tracing::error!(to = %mail.to, error = %e, "portal mail could not be queued");
            }
        })
    }

    fn can_send(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            matches!(
                ferrodesk_store::mailboxes::has_sender(&self.db).await,
                Ok(true)
            )
        })
    }
}
