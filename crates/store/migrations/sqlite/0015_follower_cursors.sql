-- Where each cluster-wide follower of the event log stands (followers whose output is shared by
-- every node, such as rollups). A follower whose output is per node keeps its cursor with that
-- output instead (the search index keeps its own in its commits).
CREATE TABLE follower_cursors (
    name          TEXT    PRIMARY KEY,
    last_event_id BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
