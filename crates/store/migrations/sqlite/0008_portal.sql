-- Customer portal accounts: a password per customer, their own sessions, and one-time tokens
-- (sign-in links, password resets, confirming an anonymous request's email address).
CREATE TABLE customer_accounts (
    customer_id    BIGINT  PRIMARY KEY REFERENCES customers(id),
    password_hash  TEXT,
    -- 'own': only their requests; 'organization': also their organisation's.
    sees           TEXT    NOT NULL DEFAULT 'own',
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);

CREATE TABLE customer_sessions (
    id_hash      TEXT    PRIMARY KEY,
    customer_id  BIGINT  NOT NULL REFERENCES customers(id),
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX customer_sessions_customer ON customer_sessions (customer_id);

CREATE TABLE portal_tokens (
    token_hash   TEXT    PRIMARY KEY,
    -- 'signin', 'reset' or 'confirm'
    purpose      TEXT    NOT NULL,
    email        TEXT    NOT NULL,
    -- For 'confirm': the request (JSON) that opens once the address is confirmed.
    payload      TEXT,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    used_at      BIGINT
);

-- The agent workspace counts active tickets per assignee and team.
CREATE INDEX tickets_status_assignee ON tickets (status, assignee_id, team_id);
CREATE INDEX tickets_status_team ON tickets (status, team_id);
-- "SLA at risk" looks up tickets by their nearest deadlines.
CREATE INDEX tickets_first_response_due ON tickets (first_response_due_at);
CREATE INDEX tickets_next_response_due ON tickets (next_response_due_at);
CREATE INDEX tickets_resolution_due ON tickets (resolution_due_at);
