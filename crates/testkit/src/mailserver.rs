//! Helpers for the tests that run against real mail servers (`scripts/mailserver.sh`: Postfix
//! delivering over LMTP to Dovecot, on 127.0.0.1). They are found through
//! `FERRODESK_TEST_MAIL=imap=HOST:PORT,smtp=HOST:PORT,listener=HOST:PORT,…`; without it the
//! tests skip, saying so.

use std::net::SocketAddr;

use async_imap::Client;
use futures_util::TryStreamExt;
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::net::TcpStream;

/// Every test user's password.
pub const PASSWORD: &str = "secret";

#[derive(Debug, Clone)]
pub struct MailServer {
    pub imap: SocketAddr,
    /// IMAP over TLS, with a certificate for 127.0.0.1 signed by the CA in `ca`.
    pub imaps: Option<SocketAddr>,
    /// The PEM file of the CA that signed the servers' certificate.
    pub ca: Option<std::path::PathBuf>,
    pub smtp: SocketAddr,
    /// Where Postfix relays mail for `direct.example.test` (LMTP): a test's own listener.
    pub listener: SocketAddr,
}

impl MailServer {
    /// The servers, or `None` (with a note on stderr) when they are not configured.
    pub fn from_env(test: &str) -> Option<Self> {
        let Ok(spec) = std::env::var("FERRODESK_TEST_MAIL") else {
            eprintln!(
                "SKIPPED {test}: FERRODESK_TEST_MAIL is not set (start the servers with scripts/mailserver.sh)"
            );
            return None;
        };
        let get = |key: &str| -> SocketAddr {
            spec.split(',')
                .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
                .unwrap_or_else(|| panic!("FERRODESK_TEST_MAIL has no {key}="))
                .parse()
                .unwrap_or_else(|e| panic!("FERRODESK_TEST_MAIL {key}: {e}"))
        };
        let field = |key: &str| {
            spec.split(',')
                .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
                .map(str::to_owned)
        };
        Some(Self {
            imaps: field("imaps").map(|a| a.parse().expect("FERRODESK_TEST_MAIL imaps")),
            ca: field("ca").map(std::path::PathBuf::from),
            imap: get("imap"),
            smtp: get("smtp"),
            listener: get("listener"),
        })
    }

    async fn session(&self, user: &str) -> async_imap::Session<TcpStream> {
        let tcp = TcpStream::connect(self.imap)
            .await
            .expect("connect to IMAP");
        let mut client = Client::new(tcp);
        client.read_response().await.expect("IMAP greeting");
        client
            .login(user, PASSWORD)
            .await
            .map_err(|(e, _)| e)
            .expect("IMAP login")
    }

    /// Deletes every message in `user`'s INBOX.
    pub async fn clear(&self, user: &str) {
        let mut s = self.session(user).await;
        let mailbox = s.select("INBOX").await.expect("select INBOX");
        if mailbox.exists > 0 {
            let _: Vec<_> = s
                .store("1:*", "+FLAGS.SILENT (\\Deleted)")
                .await
                .expect("flag deleted")
                .try_collect()
                .await
                .expect("flag deleted");
            let _: Vec<_> = s
                .expunge()
                .await
                .expect("expunge")
                .try_collect()
                .await
                .expect("expunge");
        }
        let _ = s.logout().await;
    }

    /// Appends messages straight into `user`'s INBOX (as if delivered).
    pub async fn append(&self, user: &str, messages: &[Vec<u8>]) {
        let mut s = self.session(user).await;
        for m in messages {
            s.append("INBOX", None, None, m).await.expect("append");
        }
        let _ = s.logout().await;
    }

    /// Every message in `user`'s INBOX, raw, oldest first, with whether it is `\Seen`.
    pub async fn messages(&self, user: &str) -> Vec<(Vec<u8>, bool)> {
        self.messages_in(user, "INBOX").await
    }

    /// Every message in `user`'s `folder`, raw, oldest first, with whether it is `\Seen`.
    pub async fn messages_in(&self, user: &str, folder: &str) -> Vec<(Vec<u8>, bool)> {
        let mut s = self.session(user).await;
        let mailbox = s.select(folder).await.expect("select the folder");
        let mut out = Vec::new();
        if mailbox.exists > 0 {
            let fetched: Vec<_> = s
                .fetch("1:*", "(FLAGS BODY.PEEK[])")
                .await
                .expect("fetch")
                .try_collect()
                .await
                .expect("fetch");
            for f in &fetched {
                let seen = f
                    .flags()
                    .any(|flag| matches!(flag, async_imap::types::Flag::Seen));
                out.push((f.body().unwrap_or_default().to_vec(), seen));
            }
        }
        let _ = s.logout().await;
        out
    }

    /// Submits `raw` to Postfix by SMTP.
    pub async fn send(&self, from: &str, to: &str, raw: &[u8]) {
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(self.smtp.ip().to_string())
                .port(self.smtp.port())
                .build();
        let envelope = Envelope::new(
            Some(from.parse().expect("from address")),
            vec![to.parse().expect("to address")],
        )
        .expect("envelope");
        transport
            .send_raw(&envelope, raw)
            .await
            .expect("Postfix accepts the message");
    }
}
