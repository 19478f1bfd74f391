-- Cluster-wide work that must happen at a given time, once: claimed with a lease, retried with
-- backoff, finished in the same transaction as its effect.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,
    -- One live job per key: scheduling the same key again moves it.
    key           TEXT    NOT NULL UNIQUE,
    payload       TEXT    NOT NULL,
    run_at        BIGINT  NOT NULL,
    attempts      BIGINT  NOT NULL DEFAULT 0,
    locked_until  BIGINT,
    last_error    TEXT,
    created_at    BIGINT  NOT NULL,
    done_at       BIGINT
);
CREATE INDEX jobs_due ON jobs (done_at, run_at);

-- SLA warnings and breach actions.
ALTER TABLE sla_policies ADD COLUMN warn_before_min BIGINT;
ALTER TABLE sla_policies ADD COLUMN breach_actions TEXT NOT NULL DEFAULT '{}';
-- Which alerts already fired for a ticket's current deadlines (JSON).
ALTER TABLE tickets ADD COLUMN sla_fired TEXT NOT NULL DEFAULT '{}';

UPDATE sla_policies SET breach_actions = '{"raise_priority":true,"notify_supervisor":true}';
UPDATE sla_policies SET warn_before_min = 60 WHERE first_response_min >= 240;
UPDATE sla_policies SET warn_before_min = 2 WHERE first_response_min = 5;
