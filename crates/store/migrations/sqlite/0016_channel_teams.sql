-- The team each channel's new tickets go to when nothing else names one (the mailbox's team,
-- the creating agent's). A channel without a row sends them to the first line-1 team.
CREATE TABLE channel_teams (
    channel    TEXT    PRIMARY KEY,
    team_id    BIGINT  NOT NULL REFERENCES teams(id),
    updated_at BIGINT  NOT NULL
);
