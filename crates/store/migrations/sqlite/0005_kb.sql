-- Knowledge base: nested categories, articles with locale variants linked as translations,
-- drafts and scheduled publishing, tags, revision history, helpful votes, deflections.

CREATE TABLE kb_categories (
    id           INTEGER PRIMARY KEY,
    parent_id    BIGINT  REFERENCES kb_categories(id),
    name         TEXT    NOT NULL,
    slug         TEXT    NOT NULL,
    description  TEXT,
    position     BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX kb_categories_parent ON kb_categories (parent_id, position);

CREATE TABLE kb_articles (
    id              INTEGER PRIMARY KEY,
    -- Translations of one article share the group: the id of the first of them.
    translation_of  BIGINT  REFERENCES kb_articles(id),
    category_id     BIGINT  REFERENCES kb_categories(id),
    -- `article` or `faq` (a question with its answer, listed on the category's FAQ page).
    kind            TEXT    NOT NULL DEFAULT 'article',
    locale          TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    slug            TEXT    NOT NULL,
    -- Markdown.
    body            TEXT    NOT NULL,
    -- `public` or `internal` (agents only).
    visibility      TEXT    NOT NULL,
    -- `draft` or `published`; a published article shows once `publish_at` (if set) has passed.
    status          TEXT    NOT NULL,
    publish_at      BIGINT,
    revision        BIGINT  NOT NULL,
    author_id       BIGINT  REFERENCES agents(id),
    helpful_yes     BIGINT  NOT NULL DEFAULT 0,
    helpful_no      BIGINT  NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX kb_articles_category ON kb_articles (category_id, id);
CREATE INDEX kb_articles_translation ON kb_articles (translation_of, locale);

CREATE TABLE kb_article_tags (
    article_id  BIGINT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    tag         TEXT   NOT NULL,
    PRIMARY KEY (article_id, tag)
);

-- Each edit keeps the text it replaced.
CREATE TABLE kb_revisions (
    id          INTEGER PRIMARY KEY,
    article_id  BIGINT  NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    revision    BIGINT  NOT NULL,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    author_id   BIGINT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX kb_revisions_article ON kb_revisions (article_id, revision);

-- "Was this helpful?": `yes` or `no`, with an optional comment.
CREATE TABLE kb_votes (
    id          INTEGER PRIMARY KEY,
    article_id  BIGINT  NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    vote        TEXT    NOT NULL,
    comment     TEXT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX kb_votes_article ON kb_votes (article_id, id);

-- Self-service sessions of the portal and the web form (matching articles shown while the
-- customer types): deflected when an article was opened and no request followed.
CREATE TABLE kb_deflections (
    id               INTEGER PRIMARY KEY,
    session          TEXT    NOT NULL UNIQUE,
    started_at       BIGINT  NOT NULL,
    last_seen_at     BIGINT  NOT NULL,
    articles_opened  BIGINT  NOT NULL DEFAULT 0,
    submitted_at     BIGINT
);
CREATE INDEX kb_deflections_started ON kb_deflections (started_at);
