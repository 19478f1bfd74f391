-- Files attached to knowledge-base articles (images shown in the body, downloads). The bytes
-- live once in `attachments` (content-addressed by SHA-256, shared with mail); this table
-- names them per article.
CREATE TABLE kb_article_files (
    id             INTEGER PRIMARY KEY,
    article_id     BIGINT  NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    attachment_id  BIGINT  NOT NULL REFERENCES attachments(id),
    filename       TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    size           BIGINT  NOT NULL,
    author_id      BIGINT,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX kb_article_files_article ON kb_article_files (article_id, id);
