//! Outgoing mail for the portal's one-time links. SMTP sending is being built separately; until
//! it is plugged in, [`LogMailer`] logs the message at debug level (the link holds a secret, so
//! it is never logged at info).

/// One message to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub trait Mailer: Send + Sync {
    fn send(&self, mail: Mail);
}

/// Logs mail instead of sending it.
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send(&self, mail: Mail) {
        tracing::info!(to = %mail.to, subject = %mail.subject, "portal mail queued (logging mailer; no SMTP configured)");
        tracing::debug!(to = %mail.to, body = %mail.body, "portal mail body");
    }
}

/// Keeps mail in memory (tests).
#[derive(Default)]
pub struct MemoryMailer {
    pub sent: std::sync::Mutex<Vec<Mail>>,
}

impl Mailer for MemoryMailer {
    fn send(&self, mail: Mail) {
        self.sent.lock().expect("mailer lock").push(mail);
    }
}
