-- Routing (team strategies, agent availability, capacity, skills) and rules (triggers, macros,
-- automations).

ALTER TABLE teams ADD COLUMN assignment TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE agents ADD COLUMN availability TEXT NOT NULL DEFAULT 'available';
ALTER TABLE agents ADD COLUMN capacity BIGINT;
ALTER TABLE agents ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';
ALTER TABLE agents ADD COLUMN last_assigned_at BIGINT;
-- Counting an agent's open tickets by priority for least-loaded routing.
CREATE INDEX tickets_assignee_status ON tickets (assignee_id, status, priority);

CREATE TABLE triggers (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    -- Triggers for the same event run in ascending position.
    position     BIGINT  NOT NULL,
    event        TEXT    NOT NULL,
    conditions   TEXT    NOT NULL,
    actions      TEXT    NOT NULL,
    disabled_at  BIGINT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);

CREATE TABLE macros (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    actions     TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE automations (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    position     BIGINT  NOT NULL,
    conditions   TEXT    NOT NULL,
    actions      TEXT    NOT NULL,
    disabled_at  BIGINT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
