-- Mailboxes a team sends from (SMTP), and the delivery state of outbound email replies.
CREATE TABLE mailboxes (
    id             INTEGER PRIMARY KEY,
    team_id        BIGINT  REFERENCES teams(id),
    address        TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    smtp_host      TEXT    NOT NULL,
    smtp_port      BIGINT  NOT NULL,
    -- none | starttls | tls
    smtp_security  TEXT    NOT NULL,
    smtp_username  TEXT,
    smtp_password  TEXT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);

-- queued | sent | failed, for public replies that go out by email.
ALTER TABLE messages ADD COLUMN delivery_state TEXT;
ALTER TABLE messages ADD COLUMN delivery_error TEXT;
