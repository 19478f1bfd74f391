-- Business-hours calendars, SLA policies, and each ticket's running deadlines.

CREATE TABLE calendars (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    -- JSON: {"tz", "hours": {"mon": [["09:00","17:00"]], …}, "holidays": […], "working_days": […]}
    definition  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE sla_policies (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    -- Policies are tried in ascending position; the first whose conditions match applies.
    position            BIGINT  NOT NULL,
    conditions          TEXT    NOT NULL,
    first_response_min  BIGINT,
    next_response_min   BIGINT,
    resolution_min      BIGINT,
    -- NULL: the clock runs around the clock.
    calendar_id         BIGINT  REFERENCES calendars(id),
    pause_statuses      TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);

ALTER TABLE tickets ADD COLUMN sla_policy_id BIGINT REFERENCES sla_policies(id);
ALTER TABLE tickets ADD COLUMN first_response_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN next_response_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN resolution_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN sla_paused_since BIGINT;

-- The default policy set of a new instance (the admin changes all of it).
INSERT INTO calendars (name, definition, created_at, updated_at) VALUES (
    'Business hours',
    '{"tz":"UTC","hours":{"mon":[["09:00","18:00"]],"tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],"thu":[["09:00","18:00"]],"fri":[["09:00","18:00"]]},"holidays":[]}',
    0, 0);

INSERT INTO sla_policies (name, position, conditions, first_response_min, next_response_min, resolution_min, calendar_id, pause_statuses, created_at, updated_at) VALUES
    ('Phone: answered at once in business hours', 10, '{"channels":["phone"]}', 0, NULL, NULL, (SELECT id FROM calendars WHERE name = 'Business hours'), '["pending","on_hold"]', 0, 0),
    ('Chat: first response within 5 minutes', 20, '{"channels":["chat"]}', 5, 5, NULL, (SELECT id FROM calendars WHERE name = 'Business hours'), '["pending","on_hold"]', 0, 0),
    ('Email: within 24 business hours', 30, '{"channels":["email"]}', 1440, 1440, NULL, (SELECT id FROM calendars WHERE name = 'Business hours'), '["pending","on_hold"]', 0, 0),
    ('Social networks: within 12 hours', 40, '{"channels":["social"]}', 720, 720, NULL, NULL, '["pending","on_hold"]', 0, 0),
    ('Web form and API: within 24 business hours', 50, '{"channels":["web","api"]}', 1440, 1440, NULL, (SELECT id FROM calendars WHERE name = 'Business hours'), '["pending","on_hold"]', 0, 0);
