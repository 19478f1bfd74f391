-- Times are UTC instants in microseconds since the Unix epoch (BIGINT on both backends).

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    domain      TEXT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    email            TEXT    UNIQUE,
    phone            TEXT,
    organization_id  BIGINT  REFERENCES organizations(id) ON DELETE SET NULL,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX customers_organization ON customers (organization_id, id);

CREATE TABLE agents (
    id              INTEGER PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    password_hash   TEXT,
    locale          TEXT    NOT NULL DEFAULT 'en',
    time_zone       TEXT    NOT NULL DEFAULT 'UTC',
    deactivated_at  BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    tier        BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE team_members (
    team_id   BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    agent_id  BIGINT NOT NULL REFERENCES agents(id),
    PRIMARY KEY (team_id, agent_id)
);
CREATE INDEX team_members_agent ON team_members (agent_id, team_id);

CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY,
    number             BIGINT  NOT NULL UNIQUE,
    subject            TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    priority           TEXT    NOT NULL,
    category           TEXT,
    channel            TEXT    NOT NULL,
    customer_id        BIGINT  NOT NULL REFERENCES customers(id),
    team_id            BIGINT  REFERENCES teams(id),
    assignee_id        BIGINT  REFERENCES agents(id),
    merged_into_id     BIGINT  REFERENCES tickets(id),
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    first_response_at  BIGINT,
    solved_at          BIGINT,
    closed_at          BIGINT
);
CREATE INDEX tickets_status      ON tickets (status, id);
CREATE INDEX tickets_priority    ON tickets (priority, id);
CREATE INDEX tickets_team        ON tickets (team_id, id);
CREATE INDEX tickets_assignee    ON tickets (assignee_id, id);
CREATE INDEX tickets_customer    ON tickets (customer_id, id);

CREATE TABLE ticket_tags (
    ticket_id  BIGINT NOT NULL REFERENCES tickets(id),
    tag        TEXT   NOT NULL,
    PRIMARY KEY (ticket_id, tag)
);
CREATE INDEX ticket_tags_tag ON ticket_tags (tag, ticket_id);

CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    ticket_id    BIGINT  NOT NULL REFERENCES tickets(id),
    author_type  TEXT    NOT NULL,
    author_id    BIGINT,
    visibility   TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    body_text    TEXT    NOT NULL,
    body_html    TEXT,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);

-- The append-only log: every change to state appends here in the same transaction.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at  BIGINT  NOT NULL,
    actor_type   TEXT    NOT NULL,
    actor_id     BIGINT,
    entity_type  TEXT    NOT NULL,
    entity_id    BIGINT  NOT NULL,
    kind         TEXT    NOT NULL,
    data         TEXT    NOT NULL
);
CREATE INDEX events_entity ON events (entity_type, entity_id, id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    agent_id      BIGINT  NOT NULL REFERENCES agents(id),
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    created_at    BIGINT  NOT NULL,
    revoked_at    BIGINT
);

CREATE TABLE sessions (
    id_hash     TEXT    PRIMARY KEY,
    agent_id    BIGINT  NOT NULL REFERENCES agents(id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_agent ON sessions (agent_id);
