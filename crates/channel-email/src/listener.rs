//! The SMTP/LMTP listener: Ferrodesk accepts mail directly (behind Postfix or any MTA) for the
//! addresses of its mailboxes. `250` is answered only after the message is committed to the
//! spool; a storage failure answers `451` so the sender keeps the message and retries.

use std::net::SocketAddr;
use std::time::Duration;

use crate::spool::{self, NewSpooled, Source};
use ferrodesk_store::Db;
use ferrodesk_store::mail::MAX_MESSAGE_BYTES;
use ferrodesk_store::mailboxes;
use smtp_proto::request::receiver::{DataReceiver, RequestReceiver};
use smtp_proto::{Error as SmtpError, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};

/// Speak LMTP (RFC 2033: LHLO, one reply per recipient) or SMTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Smtp,
    Lmtp,
}

const IDLE_TIMEOUT: Duration = Duration::from_secs(300);
const MAX_RECIPIENTS: usize = 100;
const HOSTNAME: &str = "ferrodesk";

/// Accepts connections until `shutdown`; each connection is served on its own task.
pub async fn run(
    db: Db,
    listener: TcpListener,
    protocol: Protocol,
    mut shutdown: watch::Receiver<bool>,
) {
    let committer = GroupCommit::start(db.clone());
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let db = db.clone();
                    let committer = committer.clone();
                    tokio::spawn(async move {
                        if let Err(e) = serve_connection(db, committer, stream, peer, protocol).await {
                            tracing::debug!(%peer, error = %e, "mail connection ended");
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a mail connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            _ = shutdown.changed() => return,
        }
    }
}

/// The recipients this server takes mail for: the mailboxes' addresses (lower-case) and
/// their ids.
async fn recipients(db: &Db) -> Vec<(String, i64)> {
    match mailboxes::list(db).await {
        Ok(list) => list
            .into_iter()
            .map(|m| (m.address.to_lowercase(), m.id))
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "loading mailboxes for the listener failed");
            Vec::new()
        }
    }
}

struct Envelope {
    from: Option<String>,
    to: Vec<(String, i64)>,
}

async fn serve_connection(
    db: Db,
    committer: GroupCommit,
    mut stream: TcpStream,
    peer: SocketAddr,
    protocol: Protocol,
) -> std::io::Result<()> {
    let (name, greeting) = match protocol {
        Protocol::Smtp => ("SMTP", "ESMTP"),
        Protocol::Lmtp => ("LMTP", "LMTP"),
    };
    stream
        .write_all(format!("220 {HOSTNAME} {greeting} Ferrodesk ready\r\n").as_bytes())
        .await?;
    let known = recipients(&db).await;
    let mut receiver = RequestReceiver::default();
    let mut envelope: Option<Envelope> = None;
    let mut greeted = false;
    let mut buf = vec![0u8; 64 * 1024];
    let mut pending: Vec<u8> = Vec::new();
    loop {
        // Bytes left after a message's DATA (pipelined commands) are handled before reading.
        if pending.is_empty() {
            let n = match tokio::time::timeout(IDLE_TIMEOUT, stream.read(&mut buf)).await {
                Ok(r) => r?,
                Err(_) => {
                    stream.write_all(b"421 4.4.2 idle too long\r\n").await?;
                    return Ok(());
                }
            };
            if n == 0 {
                return Ok(());
            }
            pending.extend_from_slice(&buf[..n]);
        }
        let input = std::mem::take(&mut pending);
        let mut bytes = input.iter();
        let mut replies = String::new();
        loop {
            let request = match receiver.ingest(&mut bytes) {
                Ok(r) => r,
                Err(SmtpError::NeedsMoreData { .. }) => break,
                Err(SmtpError::UnknownCommand) => {
                    replies.push_str("500 5.5.1 unknown command\r\n");
                    continue;
                }
                Err(SmtpError::ResponseTooLong) => {
                    replies.push_str("500 5.5.2 line too long\r\n");
                    continue;
                }
                Err(e) => {
                    replies.push_str(&format!("501 5.5.4 {e:?}\r\n"));
                    continue;
                }
            };
            match request {
                Request::Ehlo { host } | Request::Helo { host } if protocol == Protocol::Smtp => {
                    greeted = true;
                    envelope = None;
                    replies.push_str(&format!(
                        "250-{HOSTNAME} greets {host}\r\n250-SIZE {MAX_MESSAGE_BYTES}\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"
                    ));
                }
                Request::Lhlo { host } if protocol == Protocol::Lmtp => {
                    greeted = true;
                    envelope = None;
                    replies.push_str(&format!(
                        "250-{HOSTNAME} greets {host}\r\n250-SIZE {MAX_MESSAGE_BYTES}\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"
                    ));
                }
                Request::Ehlo { .. } | Request::Helo { .. } | Request::Lhlo { .. } => {
                    replies.push_str(&format!("500 5.5.1 this is an {name} server\r\n"));
                }
                Request::Mail { from } => {
                    if !greeted {
                        replies.push_str("503 5.5.1 say hello first\r\n");
                    } else if from.size > MAX_MESSAGE_BYTES {
                        replies.push_str("552 5.3.4 message too big\r\n");
                    } else {
                        let address = from.address.to_string();
                        envelope = Some(Envelope {
                            from: (!address.is_empty()).then_some(address),
                            to: Vec::new(),
                        });
                        replies.push_str("250 2.1.0 ok\r\n");
                    }
                }
                Request::Rcpt { to } => match envelope.as_mut() {
                    None => replies.push_str("503 5.5.1 MAIL first\r\n"),
                    Some(env) if env.to.len() >= MAX_RECIPIENTS => {
                        replies.push_str("452 4.5.3 too many recipients\r\n")
                    }
                    Some(env) => {
                        let address = to.address.to_lowercase();
                        match known.iter().find(|(a, _)| *a == address) {
                            Some((a, id)) => {
                                env.to.push((a.clone(), *id));
                                replies.push_str("250 2.1.5 ok\r\n");
                            }
                            None => replies.push_str(&format!(
                                "550 5.1.1 <{address}>: no such mailbox here\r\n"
                            )),
                        }
                    }
                },
                Request::Data => match envelope.take() {
                    Some(env) if !env.to.is_empty() => {
                        stream.write_all(replies.as_bytes()).await?;
                        replies.clear();
                        stream
                            .write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n")
                            .await?;
                        let rest: Vec<u8> = bytes.as_slice().to_vec();
                        let (message, after) = read_data(&mut stream, rest).await?;
                        let outcome = match message {
                            Some(raw) => store(&committer, raw, &env, protocol, peer).await,
                            None => Err("552 5.3.4 message too big".to_string()),
                        };
                        let line = match &outcome {
                            Ok(id) => format!("250 2.0.0 accepted as {id}\r\n"),
                            Err(e) => format!("{e}\r\n"),
                        };
                        let count = if protocol == Protocol::Lmtp {
                            env.to.len()
                        } else {
                            1
                        };
                        for _ in 0..count {
                            stream.write_all(line.as_bytes()).await?;
                        }
                        pending = after;
                        break;
                    }
                    Some(_) => replies.push_str("554 5.5.1 no valid recipients\r\n"),
                    None => replies.push_str("503 5.5.1 MAIL first\r\n"),
                },
                Request::Rset => {
                    envelope = None;
                    replies.push_str("250 2.0.0 ok\r\n");
                }
                Request::Noop { .. } => replies.push_str("250 2.0.0 ok\r\n"),
                Request::Vrfy { .. } => replies.push_str("252 2.5.0 cannot verify\r\n"),
                Request::Quit => {
                    replies.push_str("221 2.0.0 bye\r\n");
                    stream.write_all(replies.as_bytes()).await?;
                    return Ok(());
                }
                Request::StartTls => replies.push_str("454 4.7.0 TLS not available\r\n"),
                _ => replies.push_str("502 5.5.1 not implemented\r\n"),
            }
        }
        if !replies.is_empty() {
            stream.write_all(replies.as_bytes()).await?;
        }
    }
}

/// Reads the DATA section (dot-unstuffed) starting with `rest`; returns the message (`None`
/// when it exceeds the size limit, after reading it to the end) and the bytes after it.
async fn read_data(
    stream: &mut TcpStream,
    rest: Vec<u8>,
) -> std::io::Result<(Option<Vec<u8>>, Vec<u8>)> {
    let mut receiver = DataReceiver::new();
    let mut message = Vec::new();
    let mut too_big = false;
    let mut chunk = rest;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let mut bytes = chunk.iter();
        let done = receiver.ingest(&mut bytes, &mut message);
        if message.len() > MAX_MESSAGE_BYTES {
            too_big = true;
            message.clear();
        }
        if done {
            let after = bytes.as_slice().to_vec();
            return Ok(((!too_big).then_some(message), after));
        }
        let n = tokio::time::timeout(IDLE_TIMEOUT, stream.read(&mut buf))
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "DATA timed out"))??;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed during DATA",
            ));
        }
        chunk = buf[..n].to_vec();
    }
}

/// Commits the message to the spool; only then may the sender be told it was accepted.
async fn store(
    committer: &GroupCommit,
    mut raw: Vec<u8>,
    env: &Envelope,
    protocol: Protocol,
    peer: SocketAddr,
) -> Result<i64, String> {
    let (source, with) = match protocol {
        Protocol::Smtp => (Source::Smtp, "SMTP"),
        Protocol::Lmtp => (Source::Lmtp, "LMTP"),
    };
    let received = format!(
        "Received: from [{}] by {HOSTNAME} with {with} for <{}>; {}\r\n",
        peer.ip(),
        env.to[0].0,
        jiff::Timestamp::now().strftime("%a, %d %b %Y %H:%M:%S +0000")
    );
    raw.splice(0..0, received.into_bytes());
    let accepted = committer
        .accept(NewSpooled {
            raw,
            source,
            source_key: None,
            mailbox_id: Some(env.to[0].1),
            envelope_from: env.from.clone(),
        })
        .await;
    match accepted {
        Ok(id) => Ok(id),
        Err(e) => {
            tracing::warn!(error = %e, "could not store an incoming message; answering 451");
            Err("451 4.3.0 temporary failure storing the message; try again later".into())
        }
    }
}

type Pending = (NewSpooled, oneshot::Sender<Result<i64, String>>);

/// Group commit: messages that arrive on several connections at once are accepted in one
/// transaction, and each sender is answered once that transaction is committed.
#[derive(Clone)]
struct GroupCommit {
    queue: mpsc::Sender<Pending>,
}

/// The most messages one accept transaction takes.
const GROUP: usize = 100;

impl GroupCommit {
    fn start(db: Db) -> Self {
        let (queue, mut incoming) = mpsc::channel::<Pending>(GROUP * 4);
        tokio::spawn(async move {
            while let Some(first) = incoming.recv().await {
                let mut group = vec![first];
                while group.len() < GROUP {
                    match incoming.try_recv() {
                        Ok(more) => group.push(more),
                        Err(_) => break,
                    }
                }
                let (messages, replies): (Vec<NewSpooled>, Vec<_>) = group.into_iter().unzip();
                match spool::accept(&db, &messages, None).await {
                    Ok(ids) => {
                        for (reply, id) in replies.into_iter().zip(ids) {
                            let _ = reply.send(Ok(id));
                        }
                    }
                    Err(e) => {
                        let e = e.to_string();
                        for reply in replies {
                            let _ = reply.send(Err(e.clone()));
                        }
                    }
                }
            }
        });
        Self { queue }
    }

    async fn accept(&self, message: NewSpooled) -> Result<i64, String> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((message, reply))
            .await
            .map_err(|_| "the spool writer stopped".to_string())?;
        answer
            .await
            .map_err(|_| "the spool writer stopped".to_string())?
    }
}
