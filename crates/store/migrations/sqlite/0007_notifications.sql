-- In-app notifications for agents (SLA escalations to supervisors, rule notifications).
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    agent_id    BIGINT  NOT NULL REFERENCES agents(id),
    ticket_id   BIGINT  REFERENCES tickets(id),
    kind        TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_agent ON notifications (agent_id, id);
