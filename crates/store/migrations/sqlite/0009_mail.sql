-- The email channel: every raw message kept (content-addressed), attachments stored once,
-- email metadata on messages (threading, idempotency, flags), and links between tickets.
CREATE TABLE raw_messages (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT    NOT NULL UNIQUE,
    size        BIGINT  NOT NULL,
    content     BLOB    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT    NOT NULL UNIQUE,
    size        BIGINT  NOT NULL,
    content     BLOB    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE message_attachments (
    message_id     BIGINT  NOT NULL REFERENCES messages(id),
    attachment_id  BIGINT  NOT NULL REFERENCES attachments(id),
    position       BIGINT  NOT NULL,
    filename       TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    content_id     TEXT,
    disposition    TEXT    NOT NULL,
    PRIMARY KEY (message_id, position)
);

ALTER TABLE messages ADD COLUMN email_message_id TEXT;
ALTER TABLE messages ADD COLUMN raw_message_id BIGINT REFERENCES raw_messages(id);
ALTER TABLE messages ADD COLUMN email_headers TEXT;
-- JSON list: "automatic", "malformed".
ALTER TABLE messages ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
CREATE UNIQUE INDEX messages_email_message_id ON messages (email_message_id);

-- A reply to a closed ticket opens a new one that points back.
ALTER TABLE tickets ADD COLUMN linked_ticket_id BIGINT REFERENCES tickets(id);
