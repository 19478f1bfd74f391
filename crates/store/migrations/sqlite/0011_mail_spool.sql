-- Accepted inbound mail, durable before the sender is told "accepted" (SMTP/LMTP 250, IMAP
-- flag): the raw message is in raw_messages, the row says where it came from. A worker turns
-- waiting rows into ticket messages in batches and marks each row in the same transaction.
CREATE TABLE mail_spool (
    id              INTEGER PRIMARY KEY,
    raw_message_id  BIGINT  NOT NULL REFERENCES raw_messages(id),
    mailbox_id      BIGINT  REFERENCES mailboxes(id) ON DELETE SET NULL,
    -- imap | smtp | lmtp | cli | api
    source          TEXT    NOT NULL,
    -- Where the source can deliver the same message twice (IMAP: mailbox/uidvalidity/uid).
    source_key      TEXT    UNIQUE,
    envelope_from   TEXT,
    received_at     BIGINT  NOT NULL,
    -- pending | done | held (rate-limited: kept, not made a ticket until released) | bounce
    state           TEXT    NOT NULL,
    sender          TEXT,
    note            TEXT,
    ticket_id       BIGINT  REFERENCES tickets(id),
    message_id      BIGINT  REFERENCES messages(id),
    processed_at    BIGINT
);
CREATE INDEX mail_spool_state ON mail_spool (state, id);
CREATE INDEX mail_spool_sender ON mail_spool (sender, received_at);

-- One node drains the spool at a time (order matters for threading).
CREATE TABLE mail_spool_lease (
    id          BIGINT  PRIMARY KEY,
    owner       TEXT    NOT NULL,
    until       BIGINT  NOT NULL
);
INSERT INTO mail_spool_lease (id, owner, until) VALUES (1, '', 0);

-- Mailboxes read by IMAP (optional: a mailbox may only send, or receive through the listener).
ALTER TABLE mailboxes ADD COLUMN imap_host TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_port BIGINT;
-- none | starttls | tls
ALTER TABLE mailboxes ADD COLUMN imap_security TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_username TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_password TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_folder TEXT NOT NULL DEFAULT 'INBOX';
ALTER TABLE mailboxes ADD COLUMN imap_uidvalidity BIGINT;
ALTER TABLE mailboxes ADD COLUMN imap_last_uid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN imap_status TEXT;
-- 1 = acknowledge new tickets from this mailbox with the team's template.
ALTER TABLE mailboxes ADD COLUMN auto_ack BIGINT NOT NULL DEFAULT 0;

-- Auto-acknowledgement templates per team, JSON: {"en":{"subject","body"},"ru":{…}}.
ALTER TABLE teams ADD COLUMN auto_ack TEXT;
