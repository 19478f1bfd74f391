-- Business time a ticket's SLA clocks spent paused, to rebuild deadlines when a policy changes.
ALTER TABLE tickets ADD COLUMN sla_paused_secs BIGINT NOT NULL DEFAULT 0;
