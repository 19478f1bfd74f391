//! Outgoing mail for the portal's one-time links (sign-in, reset, confirm). [`SmtpMailer`] sends
//! them from the default mailbox; [`LogMailer`] only logs (the link holds a secret, so its body is
//! never logged at info).

use futures_util::future::BoxFuture;

/// One message to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub trait Mailer: Send + Sync {
    fn send(&self, mail: Mail);
    /// Whether mail can go out at all (a mailbox to send from), so a page can tell the truth
    /// instead of promising an email that will never arrive.
    fn can_send(&self) -> BoxFuture<'_, bool>;
}

/// Logs mail instead of sending it.
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send(&self, mail: Mail) {
        tracing::info!(to = %mail.to, subject = %mail.subject, "portal mail queued (logging mailer; no SMTP configured)");
        tracing::debug!(to = %mail.to, body = %mail.body, "portal mail body");
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
    fn send(&self, mail: Mail) {
        if !self.is_offline() {
            self.sent.lock().expect("mailer lock").push(mail);
        }
    }

    fn can_send(&self) -> BoxFuture<'_, bool> {
        let online = !self.is_offline();
        Box::pin(async move { online })
    }
}

/// Sends through the default mailbox by SMTP, off the request, retrying a few times.
pub struct SmtpMailer {
    db: ferrodesk_store::Db,
}

impl SmtpMailer {
    pub fn new(db: ferrodesk_store::Db) -> Self {
        Self { db }
    }
}

impl Mailer for SmtpMailer {
    fn send(&self, mail: Mail) {
        let db = self.db.clone();
        tokio::spawn(async move {
            let mut wait = std::time::Duration::from_secs(2);
            for attempt in 1..=4 {
                match crate::outbound::send_notice(&db, &mail.to, &mail.subject, &mail.body).await {
                    Ok(()) => {
                        tracing::info!(to = %mail.to, subject = %mail.subject, "portal mail sent");
                        return;
                    }
                    Err(e) if e.starts_with("no mailbox") => {
                        tracing::warn!(to = %mail.to, "portal mail not sent: no mailbox is configured (add one under /admin/mailboxes)");
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(to = %mail.to, attempt, error = %e, "sending portal mail failed");
                        tokio::time::sleep(wait).await;
                        wait *= 4;
                    }
                }
            }
        });
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
