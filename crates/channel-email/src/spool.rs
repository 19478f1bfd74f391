//! The inbound mail spool. A message is *accepted* when its raw bytes and a spool row are
//! committed — only then does a listener answer 250 or a poller move past its UID — so a crash
//! at any moment loses nothing accepted. One node at a time (a lease) turns waiting rows into
//! ticket messages, many per transaction, each row marked in the transaction that stores its
//! message: exactly once. Here too: bounces marked on the message they report on, a per-sender
//! rate limit (held messages are kept, not dropped) and the auto-acknowledgement.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use ferrodesk_core::{Channel, EmailAddress};
use serde_json::{Value, json};
use sqlx::Row;

use ferrodesk_desk::ingest::ingest_in;
use ferrodesk_store::blobs::store_blobs;
use ferrodesk_store::events::{self, Actor, NewEvent};
use ferrodesk_store::mail::{
    BounceReport, InboundEmail, IngestKind, IngestOutcome, store_attachments,
};
use ferrodesk_store::sql::Sql;
use ferrodesk_store::{Db, Page, PageRequest, StoreError, Tx, from_micros, now, to_micros};

/// Where a message came in. Live sources are rate-limited per sender; an import is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Imap,
    Smtp,
    Lmtp,
    /// `ferrodesk mail ingest`: an archive being imported.
    Import,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Imap => "imap",
            Source::Smtp => "smtp",
            Source::Lmtp => "lmtp",
            Source::Import => "cli",
        }
    }

    fn is_live(source: &str) -> bool {
        matches!(source, "imap" | "smtp" | "lmtp")
    }
}

/// A message to accept.
#[derive(Debug, Clone)]
pub struct NewSpooled {
    pub raw: Vec<u8>,
    pub source: Source,
    /// Set where the source may hand over the same message twice (IMAP: mailbox/UIDVALIDITY/UID);
    /// a second accept with the same key is a no-op.
    pub source_key: Option<String>,
    pub mailbox_id: Option<i64>,
    pub envelope_from: Option<String>,
}

/// Where an IMAP poller has got to, saved with the messages it accepted.
#[derive(Debug, Clone, Copy)]
pub struct ImapProgress {
    pub mailbox_id: i64,
    pub uidvalidity: u32,
    pub last_uid: u32,
}

/// Accepts `batch` durably in one transaction; returns the spool id of each message (the
/// existing one for a repeated `source_key`). A few multi-row statements for the whole batch,
/// not two per message: on SQLite every statement is a round trip to the driver's thread.
pub async fn accept(
    db: &Db,
    batch: &[NewSpooled],
    progress: Option<ImapProgress>,
) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.begin_durable().await?;
    let at = to_micros(now());
    let mut ids = Vec::with_capacity(batch.len());
    for chunk in batch.chunks(ACCEPT_CHUNK) {
        let raws: Vec<&[u8]> = chunk.iter().map(|m| m.raw.as_slice()).collect();
        let raw_ids = store_blobs(&mut tx, "raw_messages", &raws).await?;
        ids.extend(insert_spool_rows(&mut tx, chunk, &raw_ids, at).await?);
    }
    if let Some(p) = progress {
        sqlx::query("UPDATE mailboxes SET imap_uidvalidity = $1, imap_last_uid = $2 WHERE id = $3")
            .bind(i64::from(p.uidvalidity))
            .bind(i64::from(p.last_uid))
            .bind(p.mailbox_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    db.mail_spooled().notify_one();
    Ok(ids)
}

/// Rows per multi-row statement when accepting (a spool row has 6 parameters).
const ACCEPT_CHUNK: usize = ferrodesk_store::sql::rows_per_statement(6);

/// Inserts one spool row per message; returns their ids in `chunk`'s order. A repeated
/// `source_key` inserts nothing and yields the existing row's id.
async fn insert_spool_rows(
    tx: &mut Tx,
    chunk: &[NewSpooled],
    raw_ids: &[i64],
    at: i64,
) -> Result<Vec<i64>, StoreError> {
    let mut sql = Sql::new(
        "INSERT INTO mail_spool (raw_message_id, mailbox_id, source, source_key, envelope_from, received_at, state) VALUES ",
    );
    for (i, (m, raw_id)) in chunk.iter().zip(raw_ids).enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(*raw_id)
            .push(", ")
            .bind(m.mailbox_id)
            .push(", ")
            .bind(m.source.as_str())
            .push(", ")
            .bind(m.source_key.clone())
            .push(", ")
            .bind(m.envelope_from.clone())
            .push(", ")
            .bind(at)
            .push(", 'pending')");
    }
    sql.push(" ON CONFLICT (source_key) DO NOTHING RETURNING id, source_key");
    let (text, args) = sql.into_parts();
    let inserted: Vec<(i64, Option<String>)> = sqlx::query_as_with(&text, args)
        .fetch_all(&mut **tx)
        .await?;
    // Rows with a key are matched by it. Rows without one are always inserted, and one
    // statement's rows get ascending ids in the order of its VALUES (SQLite holds the write
    // lock; a PostgreSQL sequence hands out values as the rows are inserted, in order).
    let mut by_key: HashMap<String, i64> = HashMap::new();
    let mut keyless = Vec::new();
    for (id, key) in inserted {
        match key {
            Some(key) => {
                by_key.insert(key, id);
            }
            None => keyless.push(id),
        }
    }
    keyless.sort_unstable();
    let missing: Vec<String> = chunk
        .iter()
        .filter_map(|m| m.source_key.clone())
        .filter(|k| !by_key.contains_key(k))
        .collect();
    if !missing.is_empty() {
        let mut sql = Sql::new("SELECT id, source_key FROM mail_spool WHERE source_key IN ");
        sql.bind_list(missing);
        let (text, args) = sql.into_parts();
        let existing: Vec<(i64, String)> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut **tx)
            .await?;
        by_key.extend(existing.into_iter().map(|(id, key)| (key, id)));
    }
    let mut keyless = keyless.into_iter();
    chunk
        .iter()
        .map(|m| match &m.source_key {
            Some(key) => by_key.get(key).copied(),
            None => keyless.next(),
        })
        .map(|id| id.ok_or_else(|| StoreError::Schema("a spool row was not inserted".to_string())))
        .collect()
}

/// Takes (or renews) the right to drain the spool for `ttl`. Draining is ordered (a reply must
/// find the ticket its original made), so one node does it at a time.
pub async fn take_lease(db: &Db, owner: &str, ttl: Duration) -> Result<bool, StoreError> {
    let at = now();
    let until = at + jiff::SignedDuration::try_from(ttl).unwrap_or(jiff::SignedDuration::ZERO);
    let done = sqlx::query(
        "UPDATE mail_spool_lease SET owner = $1, until = $2 WHERE id = 1 AND (until < $3 OR owner = $1)",
    )
    .bind(owner)
    .bind(to_micros(until))
    .bind(to_micros(at))
    .execute(db.writer())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release_lease(db: &Db, owner: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE mail_spool_lease SET until = 0 WHERE id = 1 AND owner = $1")
        .bind(owner)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// A waiting message.
#[derive(Debug, Clone)]
pub struct Spooled {
    pub id: i64,
    pub raw_message_id: i64,
    pub raw: Vec<u8>,
    pub source: String,
    pub mailbox_id: Option<i64>,
}

/// The oldest waiting messages, up to `limit`.
pub async fn pending(db: &Db, limit: i64) -> Result<Vec<Spooled>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.id, s.raw_message_id, r.content, s.source, s.mailbox_id FROM mail_spool s \
         JOIN raw_messages r ON r.id = s.raw_message_id WHERE s.state = 'pending' ORDER BY s.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Spooled {
                id: r.try_get("id")?,
                raw_message_id: r.try_get("raw_message_id")?,
                raw: r.try_get("content")?,
                source: r.try_get("source")?,
                mailbox_id: r.try_get("mailbox_id")?,
            })
        })
        .collect()
}

/// How many messages one sender may send in a window before further ones are held.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub per_sender: u32,
    pub window: Duration,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_sender: 30,
            window: Duration::from_secs(10 * 60),
        }
    }
}

/// What became of a spooled message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Processed {
    Stored(IngestOutcome),
    /// Over the sender's rate limit: kept in the spool, no ticket, no auto-reply.
    Held,
    /// A bounce matched to the message it reports on (now marked failed).
    Bounce {
        message_id: i64,
    },
}

/// One spooled message with what the parser found in it.
pub struct ToProcess {
    pub spooled: Spooled,
    pub mail: InboundEmail,
}

/// Turns spooled messages into ticket messages, all in one transaction when possible; a batch
/// that fails is retried one message at a time, and a message that still fails is stored as a
/// flagged ticket message with the error (its raw source kept), so nothing is ever dropped.
pub async fn process(
    db: &Db,
    items: Vec<ToProcess>,
    limit: RateLimit,
) -> Result<Vec<Processed>, StoreError> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let context = Context::load(db, &items, limit).await?;
    let mut items = items;
    for item in &mut items {
        if item.mail.team_id.is_none() {
            item.mail.team_id = item
                .spooled
                .mailbox_id
                .and_then(|id| context.mailboxes.get(&id))
                .and_then(|m| m.team_id);
        }
    }
    match process_in_one(db, &items, &context).await {
        Ok(done) => return Ok(done),
        Err(e) if is_taken(&e) => return Ok(Vec::new()),
        Err(e) => {
            tracing::warn!(error = %e, count = items.len(), "spool batch failed; processing one by one")
        }
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let one = std::slice::from_ref(&item);
        match process_in_one(db, one, &context).await {
            Ok(mut done) => out.append(&mut done),
            Err(e) if is_taken(&e) => {}
            Err(e) => {
                tracing::warn!(spool_id = item.spooled.id, error = %e, "spooled message failed; storing it flagged");
                let fallback = ToProcess {
                    spooled: item.spooled.clone(),
                    mail: InboundEmail {
                        subject: item.mail.subject.clone(),
                        from_email: item.mail.from_email.clone(),
                        from_name: item.mail.from_name.clone(),
                        body_text: item.mail.body_text.clone(),
                        team_id: item.mail.team_id,
                        problems: vec![format!("storing this message failed: {e}")],
                        ..Default::default()
                    },
                };
                out.append(&mut process_in_one(db, &[fallback], &context).await?);
            }
        }
    }
    Ok(out)
}

/// What a batch needs to know besides the messages: mailboxes, acknowledgement templates and
/// how much each sender has sent lately.
struct Context {
    mailboxes: HashMap<i64, MailboxInfo>,
    own_addresses: HashSet<String>,
    templates: HashMap<i64, Value>,
    recent_by_sender: HashMap<String, u32>,
    limit: RateLimit,
}

struct MailboxInfo {
    team_id: Option<i64>,
    auto_ack: bool,
}

fn sender_of(mail: &InboundEmail) -> Option<String> {
    mail.from_email.as_deref().map(|s| s.trim().to_lowercase())
}

impl Context {
    async fn load(db: &Db, items: &[ToProcess], limit: RateLimit) -> Result<Self, StoreError> {
        let mut mailboxes = HashMap::new();
        let mut own_addresses = HashSet::new();
        for r in sqlx::query("SELECT id, team_id, address, auto_ack FROM mailboxes")
            .fetch_all(db.reader())
            .await?
        {
            own_addresses.insert(r.try_get::<String, _>("address")?.to_lowercase());
            mailboxes.insert(
                r.try_get("id")?,
                MailboxInfo {
                    team_id: r.try_get("team_id")?,
                    auto_ack: r.try_get::<i64, _>("auto_ack")? != 0,
                },
            );
        }
        let mut templates = HashMap::new();
        for r in sqlx::query("SELECT id, auto_ack FROM teams WHERE auto_ack IS NOT NULL")
            .fetch_all(db.reader())
            .await?
        {
            let text: String = r.try_get("auto_ack")?;
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                templates.insert(r.try_get("id")?, v);
            }
        }
        let senders: HashSet<String> = items
            .iter()
            .filter(|i| Source::is_live(&i.spooled.source))
            .filter_map(|i| sender_of(&i.mail))
            .collect();
        let mut recent_by_sender = HashMap::new();
        if !senders.is_empty() {
            let since = now()
                - jiff::SignedDuration::try_from(limit.window)
                    .unwrap_or(jiff::SignedDuration::ZERO);
            let mut sql = Sql::new(
                "SELECT sender, COUNT(*) AS n FROM mail_spool WHERE state IN ('done', 'held') AND received_at > ",
            );
            sql.bind(to_micros(since));
            sql.push(" AND sender IN ");
            sql.bind_list(senders);
            sql.push(" GROUP BY sender");
            let (text, args) = sql.into_parts();
            for r in sqlx::query_with(&text, args).fetch_all(db.reader()).await? {
                let n: i64 = r.try_get("n")?;
                recent_by_sender.insert(r.try_get("sender")?, n.max(0) as u32);
            }
        }
        Ok(Self {
            mailboxes,
            own_addresses,
            templates,
            recent_by_sender,
            limit,
        })
    }
}

const TAKEN: &str = "spool_taken";

fn is_taken(e: &StoreError) -> bool {
    matches!(e, StoreError::Conflict { code, .. } if *code == TAKEN)
}

async fn process_in_one(
    db: &Db,
    items: &[ToProcess],
    context: &Context,
) -> Result<Vec<Processed>, StoreError> {
    let mut tx = db.begin().await?;
    // Claim the rows first: should another node have processed them (its lease outlived by a
    // pause), nothing is stored twice — this transaction stops here.
    let mut claim = Sql::new("UPDATE mail_spool SET processed_at = ");
    claim.bind(to_micros(now()));
    claim.push(" WHERE state = 'pending' AND id IN ");
    claim.bind_list(items.iter().map(|i| i.spooled.id));
    let (text, args) = claim.into_parts();
    let claimed = sqlx::query_with(&text, args).execute(&mut *tx).await?;
    if claimed.rows_affected() != items.len() as u64 {
        return Err(StoreError::conflict(
            TAKEN,
            "another node processed these messages",
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    let mut scheduled = false;
    let mut sent_in_batch: HashMap<String, u32> = HashMap::new();
    let mut finished: Vec<Finished> = Vec::with_capacity(items.len());
    // Which Message-IDs are stored already, for the whole batch at once; an ID seen earlier
    // in this batch is looked up again by the message that repeats it.
    let ids: HashSet<&str> = items
        .iter()
        .filter_map(|i| i.mail.message_id.as_deref())
        .collect();
    let mut known: HashSet<String> = HashSet::new();
    if !ids.is_empty() {
        let mut sql = Sql::new("SELECT email_message_id FROM messages WHERE email_message_id IN ");
        sql.bind_list(ids.iter().map(|s| ferrodesk_store::mail::clean(s)));
        let (text, args) = sql.into_parts();
        known = sqlx::query_scalar_with(&text, args)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    }
    let senders: Vec<EmailAddress> = items
        .iter()
        .filter_map(|i| i.mail.from_email.as_deref())
        .filter_map(|e| EmailAddress::parse(e).ok())
        .collect();
    ferrodesk_store::customers::preload(&mut tx, &senders).await?;
    let mut in_batch: HashSet<&str> = HashSet::new();
    let mut attachments = Vec::new();
    let mut acks: Vec<Ack<'_>> = Vec::new();
    for item in items {
        let spool_id = item.spooled.id;
        let sender = sender_of(&item.mail);
        if let Some(report) = &item.mail.bounce
            && let Some(message_id) = mark_bounced(&mut tx, report).await?
        {
            finished.push(Finished::new(
                spool_id,
                "bounce",
                sender.clone(),
                None,
                Some(message_id),
                None,
            ));
            out.push(Processed::Bounce { message_id });
            continue;
        }
        if Source::is_live(&item.spooled.source)
            && let Some(sender) = &sender
        {
            let sent = sent_in_batch.entry(sender.clone()).or_default();
            *sent += 1;
            let recent = context.recent_by_sender.get(sender).copied().unwrap_or(0) + *sent;
            if recent > context.limit.per_sender {
                let note = format!(
                    "held: {recent} messages from {sender} within {} minutes (limit {})",
                    context.limit.window.as_secs() / 60,
                    context.limit.per_sender
                );
                finished.push(Finished::new(
                    spool_id,
                    "held",
                    Some(sender.clone()),
                    None,
                    None,
                    Some(note),
                ));
                out.push(Processed::Held);
                continue;
            }
        }
        let mailbox = item
            .spooled
            .mailbox_id
            .and_then(|id| context.mailboxes.get(&id));
        let mail = &item.mail;
        let check = match item.mail.message_id.as_deref() {
            Some(id) => known.contains(&ferrodesk_store::mail::clean(id)) || !in_batch.insert(id),
            None => false,
        };
        let (outcome, more) = ingest_in(
            db,
            &mut tx,
            mail,
            item.spooled.raw_message_id,
            check,
            &mut attachments,
        )
        .await?;
        scheduled |= more;
        let from_ourselves = sender
            .as_deref()
            .is_some_and(|s| context.own_addresses.contains(s));
        let wants_ack = mailbox.is_some_and(|m| m.auto_ack)
            && matches!(outcome.kind, IngestKind::NewTicket | IngestKind::FollowUp)
            && !mail.automatic
            && mail.bounce.is_none()
            && !outcome.flagged
            && !from_ourselves;
        if wants_ack {
            let template = mail.team_id.and_then(|t| context.templates.get(&t));
            acks.push(Ack {
                ticket_id: outcome.ticket_id,
                locale: ack_locale(mail),
                template,
            });
        }
        finished.push(Finished::new(
            spool_id,
            "done",
            sender,
            Some(outcome.ticket_id),
            Some(outcome.message_id),
            None,
        ));
        out.push(Processed::Stored(outcome));
    }
    store_attachments(&mut tx, &attachments).await?;
    scheduled |= acknowledge(&mut tx, &acks).await?;
    finish(&mut tx, &finished).await?;
    tx.commit().await?;
    if scheduled {
        db.jobs_scheduled().notify_one();
    }
    Ok(out)
}

/// What became of one spooled row, written for the whole batch with one statement.
struct Finished {
    spool_id: i64,
    state: &'static str,
    sender: Option<String>,
    ticket_id: Option<i64>,
    message_id: Option<i64>,
    note: Option<String>,
}

impl Finished {
    fn new(
        spool_id: i64,
        state: &'static str,
        sender: Option<String>,
        ticket_id: Option<i64>,
        message_id: Option<i64>,
        note: Option<String>,
    ) -> Self {
        Self {
            spool_id,
            state,
            sender,
            ticket_id,
            message_id,
            note,
        }
    }
}

/// Rows per statement when marking rows done (6 parameters each).
const FINISH_CHUNK: usize = ferrodesk_store::sql::rows_per_statement(6);

async fn finish(tx: &mut Tx, rows: &[Finished]) -> Result<(), StoreError> {
    for chunk in rows.chunks(FINISH_CHUNK) {
        // VALUES columns are column1… on both SQLite and PostgreSQL.
        let mut sql = Sql::new(
            "UPDATE mail_spool SET state = v.column2, sender = v.column3, ticket_id = v.column4, \
             message_id = v.column5, note = v.column6 FROM (VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(r.spool_id)
                .push(", ")
                .bind(r.state)
                .push(", ")
                .bind(r.sender.clone())
                .push(", ")
                .bind(r.ticket_id)
                .push(", ")
                .bind(r.message_id)
                .push(", ")
                .bind(r.note.clone())
                .push(")");
        }
        sql.push(") AS v WHERE mail_spool.id = v.column1");
        let (text, args) = sql.into_parts();
        sqlx::query_with(&text, args).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Marks the outbound message a bounce reports on as failed; `None` when no message of ours
/// matches (the bounce is then stored like any other automatic message).
async fn mark_bounced(tx: &mut Tx, report: &BounceReport) -> Result<Option<i64>, StoreError> {
    let Some(original) = &report.original_message_id else {
        return Ok(None);
    };
    let found: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, ticket_id FROM messages WHERE email_message_id = $1 AND author_type <> 'customer'",
    )
    .bind(original.clone())
    .fetch_optional(&mut **tx)
    .await?;
    let Some((message_id, ticket_id)) = found else {
        return Ok(None);
    };
    let reason = match (&report.status, &report.recipient) {
        (Some(status), Some(to)) => format!("{to}: {status} {}", report.reason),
        (Some(status), None) => format!("{status} {}", report.reason),
        (None, Some(to)) => format!("{to}: {}", report.reason),
        (None, None) => report.reason.clone(),
    };
    sqlx::query("UPDATE messages SET delivery_state = 'failed', delivery_error = $1 WHERE id = $2")
        .bind(reason.clone())
        .bind(message_id)
        .execute(&mut **tx)
        .await?;
    events::append(
        tx,
        Actor::system(),
        now(),
        &[NewEvent::new(
            "ticket",
            ticket_id,
            "email.bounced",
            json!({"message_id": message_id, "error": reason, "recipient": report.recipient, "status": report.status}),
        )],
    )
    .await?;
    Ok(Some(message_id))
}

const DEFAULT_ACK_EN: &str = "Hello {name},\n\nthank you for writing to us. Your request has been registered as ticket #{number}: \"{subject}\".\nWe will answer as soon as we can. To add anything, simply reply to this email.\n\n{team}";
const DEFAULT_ACK_RU: &str = "Здравствуйте, {name}!\n\nСпасибо за обращение. Ваш запрос зарегистрирован под номером #{number}: «{subject}».\nМы ответим как можно скорее. Чтобы что-то добавить, просто ответьте на это письмо.\n\n{team}";

/// Russian when the customer wrote in Cyrillic, English otherwise.
fn ack_locale(mail: &InboundEmail) -> &'static str {
    let cyrillic = |s: &str| {
        s.chars()
            .take(2000)
            .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    };
    if mail.subject.as_deref().is_some_and(cyrillic) || cyrillic(&mail.body_text) {
        "ru"
    } else {
        "en"
    }
}

/// An acknowledgement to send for a message of this batch.
struct Ack<'a> {
    ticket_id: i64,
    locale: &'static str,
    template: Option<&'a Value>,
}

/// Writes the batch's acknowledgements (a public system message each, queued for sending):
/// one statement to read their tickets and one to insert the messages, however many there
/// are. Returns whether any was queued (the caller wakes the job worker).
async fn acknowledge(tx: &mut Tx, acks: &[Ack<'_>]) -> Result<bool, StoreError> {
    if acks.is_empty() {
        return Ok(false);
    }
    let mut tickets: HashMap<i64, (i64, String, String, Option<String>)> = HashMap::new();
    let ids: HashSet<i64> = acks.iter().map(|a| a.ticket_id).collect();
    for chunk in ids
        .into_iter()
        .collect::<Vec<_>>()
        .chunks(ferrodesk_store::sql::MAX_BINDS)
    {
        let mut sql = Sql::new(
            "SELECT t.id, t.number, t.subject, c.name, tm.name AS team FROM tickets t JOIN customers c ON c.id = t.customer_id \
             LEFT JOIN teams tm ON tm.id = t.team_id WHERE t.id IN ",
        );
        sql.bind_list(chunk.iter().copied());
        let (text, args) = sql.into_parts();
        for row in sqlx::query_with(&text, args).fetch_all(&mut **tx).await? {
            tickets.insert(
                row.try_get("id")?,
                (
                    row.try_get("number")?,
                    row.try_get("subject")?,
                    row.try_get("name")?,
                    row.try_get("team")?,
                ),
            );
        }
    }
    let at = now();
    let mut inserted: Vec<(i64, i64)> = Vec::with_capacity(acks.len());
    for chunk in acks.chunks(ferrodesk_store::sql::rows_per_statement(4)) {
        let mut sql = Sql::new(
            "INSERT INTO messages (ticket_id, author_type, author_id, visibility, channel, body_text, created_at, delivery_state) VALUES ",
        );
        for (i, ack) in chunk.iter().enumerate() {
            let Some((number, subject, name, team)) = tickets.get(&ack.ticket_id) else {
                return Err(StoreError::not_found("ticket", ack.ticket_id));
            };
            let text = ack
                .template
                .and_then(|t| t.get(ack.locale))
                .and_then(Value::as_str)
                .unwrap_or(if ack.locale == "ru" {
                    DEFAULT_ACK_RU
                } else {
                    DEFAULT_ACK_EN
                });
            let body = text
                .replace("{name}", name)
                .replace("{number}", &number.to_string())
                .replace("{subject}", subject)
                .replace("{team}", team.as_deref().unwrap_or_default());
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(ack.ticket_id)
                .push(", 'system', NULL, 'public', ")
                .bind(Channel::Email.as_str())
                .push(", ")
                .bind(body)
                .push(", ")
                .bind(to_micros(at))
                .push(", 'queued')");
        }
        sql.push(" RETURNING id, ticket_id");
        let (text, args) = sql.into_parts();
        for row in sqlx::query_with(&text, args).fetch_all(&mut **tx).await? {
            inserted.push((row.try_get("id")?, row.try_get("ticket_id")?));
        }
    }
    let mut log = Vec::with_capacity(inserted.len());
    for (message_id, ticket_id) in inserted {
        ferrodesk_desk::outbound::schedule_send(tx, message_id).await?;
        log.push(NewEvent::new(
            "ticket",
            ticket_id,
            "message.created",
            json!({"message_id": message_id, "internal": false, "author_type": "system", "author_id": null, "auto_ack": true}),
        ));
    }
    events::append(tx, Actor::system(), at, &log).await?;
    Ok(true)
}

/// A held or otherwise spooled message, as admins see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SpoolEntry {
    pub id: i64,
    pub source: String,
    pub state: String,
    pub sender: Option<String>,
    pub note: Option<String>,
    pub ticket_id: Option<i64>,
    #[schema(value_type = String, format = DateTime)]
    pub received_at: jiff::Timestamp,
}

/// Messages in `state` (e.g. `held`), newest first.
pub async fn list(db: &Db, state: &str, page: PageRequest) -> Result<Page<SpoolEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, source, state, sender, note, ticket_id, received_at FROM mail_spool \
         WHERE state = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(state)
    .bind(page.cursor_id.unwrap_or(i64::MAX))
    .bind(page.limit + 1)
    .fetch_all(db.reader())
    .await?;
    let entries = rows
        .iter()
        .map(|r| {
            Ok(SpoolEntry {
                id: r.try_get("id")?,
                source: r.try_get("source")?,
                state: r.try_get("state")?,
                sender: r.try_get("sender")?,
                note: r.try_get("note")?,
                ticket_id: r.try_get("ticket_id")?,
                received_at: from_micros(r.try_get("received_at")?),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(page.finish(entries, |e| e.id))
}

/// Releases a held message: it is processed again, this time past the rate limit (the
/// source becomes `released`, which is not limited).
pub async fn release(db: &Db, spool_id: i64) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE mail_spool SET state = 'pending', source = 'released', note = NULL, processed_at = NULL WHERE id = $1 AND state = 'held'",
    )
    .bind(spool_id)
    .execute(db.writer())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("held_message", spool_id));
    }
    db.mail_spooled().notify_one();
    Ok(())
}

/// The processing state of spooled messages (for a poller that flags messages only once their
/// tickets are committed): ids of those no longer pending.
pub async fn processed_among(db: &Db, ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let mut sql = Sql::new("SELECT id FROM mail_spool WHERE state <> 'pending' AND id IN ");
    sql.bind_list(ids.iter().copied());
    let (text, args) = sql.into_parts();
    Ok(sqlx::query_scalar_with(&text, args)
        .fetch_all(db.reader())
        .await?
        .into_iter()
        .collect())
}

/// How many messages wait.
pub async fn pending_count(db: &Db) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM mail_spool WHERE state = 'pending'")
            .fetch_one(db.reader())
            .await?,
    )
}
