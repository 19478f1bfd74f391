//! The knowledge base: nested categories, articles (and FAQ entries) with locale variants
//! linked as translations, drafts and scheduled publishing, tags, revisions, helpful votes.
//! Every change appends `kb_*` events in its transaction; the search index follows them.

pub mod markdown;

use ferrodesk_core::kb::{self as rules, ArticleKind, ArticleStatus, Locale};
use ferrodesk_core::{Visibility, text};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use ferrodesk_store::events::{self, Actor, FieldChanges, NewEvent};
use ferrodesk_store::patch::double_option;
use ferrodesk_store::sql::Sql;
use ferrodesk_store::{Db, Page, PageRequest, StoreError, Tx, from_micros, now, to_micros};

pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_COMMENT_CHARS: usize = 2000;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub position: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    pub name: String,
    /// Nests this category under another.
    pub parent_id: Option<i64>,
    pub description: Option<String>,
    /// Order among siblings (ascending); default 0.
    pub position: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Article {
    pub id: i64,
    /// The translation group: the id of the article this one translates (its own id for the
    /// first of the group).
    pub translation_of: i64,
    pub category_id: Option<i64>,
    pub kind: ArticleKind,
    pub locale: Locale,
    pub title: String,
    /// For URLs: `/help/{locale}/articles/{id}-{slug}`.
    pub slug: String,
    /// Markdown.
    pub body: String,
    /// The body rendered to sanitised HTML (filled by the web layer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    #[schema(value_type = String)]
    pub visibility: Visibility,
    pub status: ArticleStatus,
    /// Published articles go live at this time (scheduled publishing); absent: at once.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub publish_at: Option<Timestamp>,
    /// Published and past `publish_at`.
    pub live: bool,
    pub revision: i64,
    pub author_id: Option<i64>,
    pub tags: Vec<String>,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticle {
    pub title: String,
    /// Markdown.
    pub body: String,
    pub locale: Locale,
    pub category_id: Option<i64>,
    /// `public` or `internal` (agents only).
    #[schema(value_type = String)]
    pub visibility: Visibility,
    pub status: ArticleStatus,
    #[serde(default)]
    pub tags: Vec<String>,
    /// `article` (default) or `faq`.
    pub kind: Option<ArticleKind>,
    /// Schedules publishing (RFC 3339).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub publish_at: Option<Timestamp>,
    /// Makes this a translation of another article (into another locale).
    pub translation_of: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticlePatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub locale: Option<Locale>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub category_id: Option<Option<i64>>,
    #[schema(value_type = Option<String>)]
    pub visibility: Option<Visibility>,
    pub status: Option<ArticleStatus>,
    pub tags: Option<Vec<String>>,
    pub kind: Option<ArticleKind>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub publish_at: Option<Option<Timestamp>>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Revision {
    pub id: i64,
    pub article_id: i64,
    /// The revision number this text had.
    pub revision: i64,
    pub title: String,
    pub body: String,
    pub author_id: Option<i64>,
    /// When this text was replaced.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVote {
    pub helpful: bool,
    pub comment: Option<String>,
}

/// Which articles a list shows.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub category_id: Option<i64>,
    pub locale: Option<Locale>,
    pub status: Option<ArticleStatus>,
    pub kind: Option<ArticleKind>,
    pub tag: Option<String>,
    /// Only public, live articles (the help center and anonymous callers).
    pub public_only: bool,
}

const CATEGORY_COLUMNS: &str =
    "id, parent_id, name, slug, description, position, created_at, updated_at";

fn category_from_row(row: &AnyRow) -> Result<Category, StoreError> {
    Ok(Category {
        id: row.try_get("id")?,
        parent_id: row.try_get("parent_id")?,
        name: row.try_get("name")?,
        slug: row.try_get("slug")?,
        description: row.try_get("description")?,
        position: row.try_get("position")?,
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

const COLUMNS: &str = "id, translation_of, category_id, kind, locale, title, slug, body, visibility, status, \
    publish_at, revision, author_id, helpful_yes, helpful_no, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Article, StoreError> {
    let id: i64 = row.try_get("id")?;
    let status: ArticleStatus = row.try_get::<String, _>("status")?.parse()?;
    let publish_at: Option<i64> = row.try_get("publish_at")?;
    Ok(Article {
        id,
        translation_of: row
            .try_get::<Option<i64>, _>("translation_of")?
            .unwrap_or(id),
        category_id: row.try_get("category_id")?,
        kind: row.try_get::<String, _>("kind")?.parse()?,
        locale: row.try_get::<String, _>("locale")?.parse()?,
        title: row.try_get("title")?,
        slug: row.try_get("slug")?,
        body: row.try_get("body")?,
        body_html: None,
        visibility: row.try_get::<String, _>("visibility")?.parse()?,
        status,
        publish_at: publish_at.map(from_micros),
        live: rules::is_live(status, publish_at, to_micros(now())),
        revision: row.try_get("revision")?,
        author_id: row.try_get("author_id")?,
        tags: Vec::new(),
        helpful_yes: row.try_get("helpful_yes")?,
        helpful_no: row.try_get("helpful_no")?,
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

async fn load_tags<'e, E>(exec: E, articles: &mut [Article]) -> Result<(), StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut tags = ferrodesk_store::sql::tags_by_owner(
        exec,
        "kb_article_tags",
        "article_id",
        articles.iter().map(|a| a.id),
    )
    .await?;
    for a in articles {
        a.tags = tags.remove(&a.id).unwrap_or_default();
    }
    Ok(())
}

async fn insert_tags(tx: &mut Tx, article_id: i64, tags: &[String]) -> Result<(), StoreError> {
    ferrodesk_store::sql::insert_tags(tx, "kb_article_tags", "article_id", article_id, tags).await
}

async fn check_category(tx: &mut Tx, id: Option<i64>, field: &str) -> Result<(), StoreError> {
    ferrodesk_store::sql::require_row(
        tx,
        "kb_categories",
        id,
        "category_not_found",
        field,
        "category",
    )
    .await
}

pub async fn create_category(
    db: &Db,
    actor: Actor,
    new: NewCategory,
) -> Result<Category, StoreError> {
    let name = text::required("name", &new.name, text::MAX_NAME_CHARS)?;
    let description = text::optional("description", new.description.as_deref(), 2000)?;
    let at = now();
    let mut tx = db.begin().await?;
    check_category(&mut tx, new.parent_id, "parent_id").await?;
    let row = sqlx::query(&format!(
        "INSERT INTO kb_categories (parent_id, name, slug, description, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {CATEGORY_COLUMNS}"
    ))
    .bind(new.parent_id)
    .bind(&name)
    .bind(rules::slug(&name))
    .bind(&description)
    .bind(new.position.unwrap_or(0))
    .bind(to_micros(at))
    .fetch_one(&mut *tx)
    .await?;
    let category = category_from_row(&row)?;
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "kb_category",
            category.id,
            "kb_category.created",
            json!({"name": name, "parent_id": new.parent_id}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(category)
}

/// All categories, parents before children, by position (a help center has tens of them).
pub async fn list_categories(db: &Db) -> Result<Vec<Category>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM kb_categories ORDER BY position, id"
    ))
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(category_from_row).collect()
}

pub async fn get_category(db: &Db, id: i64) -> Result<Category, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM kb_categories WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StoreError::not_found("kb_category", id))?;
    category_from_row(&row)
}

fn parse_title(title: &str) -> Result<String, StoreError> {
    Ok(text::required("title", title, MAX_TITLE_CHARS)?)
}

/// Writes an article (agents of any role may).
pub async fn create_article(db: &Db, actor: Actor, new: NewArticle) -> Result<Article, StoreError> {
    let title = parse_title(&new.title)?;
    let body = text::body(&new.body)?;
    let tags = text::tags(&new.tags)?;
    let at = now();
    let mut tx = db.begin().await?;
    check_category(&mut tx, new.category_id, "category_id").await?;
    let group = match new.translation_of {
        None => None,
        Some(of) => {
            let row: Option<(Option<i64>, String)> =
                sqlx::query_as("SELECT translation_of, locale FROM kb_articles WHERE id = $1")
                    .bind(of)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((group, _)) = row else {
                return Err(StoreError::unprocessable(
                    "article_not_found",
                    format!("translation_of: no article has id {of}"),
                ));
            };
            let group = group.unwrap_or(of);
            let taken: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM kb_articles WHERE (id = $1 OR translation_of = $1) AND locale = $2",
            )
            .bind(group)
            .bind(new.locale.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(existing) = taken {
                return Err(StoreError::conflict(
                    "translation_exists",
                    format!(
                        "article {existing} is already the {} translation of this article",
                        new.locale
                    ),
                ));
            }
            Some(group)
        }
    };
    let kind = new.kind.unwrap_or(ArticleKind::Article);
    let row = sqlx::query(&format!(
        "INSERT INTO kb_articles (translation_of, category_id, kind, locale, title, slug, body, visibility, status, \
         publish_at, revision, author_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) RETURNING {COLUMNS}"
    ))
    .bind(group)
    .bind(new.category_id)
    .bind(kind.as_str())
    .bind(new.locale.as_str())
    .bind(&title)
    .bind(rules::slug(&title))
    .bind(&body)
    .bind(new.visibility.as_str())
    .bind(new.status.as_str())
    .bind(new.publish_at.map(to_micros))
    .bind(actor.id)
    .bind(to_micros(at))
    .fetch_one(&mut *tx)
    .await?;
    let mut article = from_row(&row)?;
    insert_tags(&mut tx, article.id, &tags).await?;
    article.tags = tags;
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "kb_article",
            article.id,
            "kb_article.created",
            json!({"title": title, "locale": new.locale, "status": new.status, "visibility": new.visibility.as_str()}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(article)
}

/// One article; with `public_only`, a draft, internal or not-yet-live article is "not found".
pub async fn get_article(db: &Db, id: i64, public_only: bool) -> Result<Article, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM kb_articles WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::not_found("kb_article", id))?;
    let mut article = from_row(&row)?;
    if public_only && !(article.live && article.visibility == Visibility::Public) {
        return Err(StoreError::not_found("kb_article", id));
    }
    load_tags(db.reader(), std::slice::from_mut(&mut article)).await?;
    Ok(article)
}

/// Articles newest first, filtered and cursor-paginated.
pub async fn list_articles(
    db: &Db,
    filter: &ArticleFilter,
    page: PageRequest,
) -> Result<Page<Article>, StoreError> {
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM kb_articles a WHERE a.id < "));
    sql.bind(page.cursor_id.unwrap_or(i64::MAX));
    push_filter(&mut sql, filter);
    sql.push(" ORDER BY a.id DESC LIMIT ").bind(page.limit + 1);
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let mut page = page.finish(items, |a| a.id);
    load_tags(db.reader(), &mut page.items).await?;
    Ok(page)
}

fn push_filter(sql: &mut Sql, filter: &ArticleFilter) {
    if let Some(c) = filter.category_id {
        sql.push(" AND a.category_id = ").bind(c);
    }
    if let Some(l) = filter.locale {
        sql.push(" AND a.locale = ").bind(l.as_str());
    }
    if let Some(s) = filter.status {
        sql.push(" AND a.status = ").bind(s.as_str());
    }
    if let Some(k) = filter.kind {
        sql.push(" AND a.kind = ").bind(k.as_str());
    }
    if let Some(tag) = &filter.tag {
        sql.push(
            " AND EXISTS (SELECT 1 FROM kb_article_tags g WHERE g.article_id = a.id AND g.tag = ",
        )
        .bind(tag.trim().to_lowercase())
        .push(")");
    }
    if filter.public_only {
        sql.push(" AND a.visibility = 'public' AND a.status = 'published' AND (a.publish_at IS NULL OR a.publish_at <= ")
            .bind(to_micros(now()))
            .push(")");
    }
}

/// The locale variants of an article (itself included), by locale.
pub async fn translations(
    db: &Db,
    article: &Article,
    public_only: bool,
) -> Result<Vec<Article>, StoreError> {
    let mut sql = Sql::new(format!(
        "SELECT {COLUMNS} FROM kb_articles a WHERE (a.id = "
    ));
    sql.bind(article.translation_of)
        .push(" OR a.translation_of = ")
        .bind(article.translation_of)
        .push(")");
    push_filter(
        &mut sql,
        &ArticleFilter {
            public_only,
            ..Default::default()
        },
    );
    sql.push(" ORDER BY a.locale");
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Edits an article; a change of title or body keeps the previous text as a revision.
pub async fn update_article(
    db: &Db,
    actor: Actor,
    id: i64,
    patch: ArticlePatch,
) -> Result<Article, StoreError> {
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM kb_articles WHERE id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::not_found("kb_article", id))?;
    let mut old = from_row(&row)?;
    load_tags(&mut *tx, std::slice::from_mut(&mut old)).await?;
    let mut new = old.clone();
    if let Some(t) = &patch.title {
        new.title = parse_title(t)?;
        new.slug = rules::slug(&new.title);
    }
    if let Some(b) = &patch.body {
        new.body = text::body(b)?;
    }
    if let Some(l) = patch.locale {
        new.locale = l;
    }
    if let Some(c) = patch.category_id {
        check_category(&mut tx, c, "category_id").await?;
        new.category_id = c;
    }
    if let Some(v) = patch.visibility {
        new.visibility = v;
    }
    if let Some(s) = patch.status {
        new.status = s;
    }
    if let Some(k) = patch.kind {
        new.kind = k;
    }
    if let Some(p) = patch.publish_at {
        new.publish_at = p;
    }
    if let Some(tags) = &patch.tags {
        new.tags = text::tags(tags)?;
    }
    let mut changes = FieldChanges::new("kb_article", id, "kb_article.updated");
    changes
        .field("title", &old.title, &new.title)
        .field("locale", &old.locale, &new.locale)
        .field("category_id", &old.category_id, &new.category_id)
        .field(
            "visibility",
            old.visibility.as_str(),
            new.visibility.as_str(),
        )
        .field("status", &old.status, &new.status)
        .field("kind", &old.kind, &new.kind)
        .field(
            "publish_at",
            &old.publish_at.map(to_micros),
            &new.publish_at.map(to_micros),
        )
        .field("tags", &old.tags, &new.tags);
    let text_changed = new.title != old.title || new.body != old.body;
    if text_changed && new.body != old.body {
        changes.push(NewEvent::new(
            "kb_article",
            id,
            "kb_article.updated",
            json!({"field": "body", "revision": old.revision + 1}),
        ));
    }
    if changes.is_empty() {
        return Ok(old);
    }
    let at = now();
    if text_changed {
        sqlx::query(
            "INSERT INTO kb_revisions (article_id, revision, title, body, author_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(old.revision)
        .bind(&old.title)
        .bind(&old.body)
        .bind(old.author_id)
        .bind(to_micros(at))
        .execute(&mut *tx)
        .await?;
        new.revision = old.revision + 1;
        new.author_id = actor.id.or(old.author_id);
    }
    new.updated_at = at;
    new.live = rules::is_live(new.status, new.publish_at.map(to_micros), to_micros(now()));
    sqlx::query(
        "UPDATE kb_articles SET category_id = $1, kind = $2, locale = $3, title = $4, slug = $5, body = $6, \
         visibility = $7, status = $8, publish_at = $9, revision = $10, author_id = $11, updated_at = $12 WHERE id = $13",
    )
    .bind(new.category_id)
    .bind(new.kind.as_str())
    .bind(new.locale.as_str())
    .bind(&new.title)
    .bind(&new.slug)
    .bind(&new.body)
    .bind(new.visibility.as_str())
    .bind(new.status.as_str())
    .bind(new.publish_at.map(to_micros))
    .bind(new.revision)
    .bind(new.author_id)
    .bind(to_micros(at))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if new.tags != old.tags {
        sqlx::query("DELETE FROM kb_article_tags WHERE article_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        insert_tags(&mut tx, id, &new.tags).await?;
    }
    events::append(&mut tx, actor, at, changes.events()).await?;
    tx.commit().await?;
    Ok(new)
}

/// Deletes an article with its revisions, tags and votes; its translations stay (the next
/// of them becomes the group's head).
pub async fn delete_article(db: &Db, actor: Actor, id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let next: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM kb_articles WHERE translation_of = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if let Some(head) = next {
        sqlx::query("UPDATE kb_articles SET translation_of = NULL WHERE id = $1")
            .bind(head)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE kb_articles SET translation_of = $1 WHERE translation_of = $2")
            .bind(head)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    for table in [
        "kb_article_tags",
        "kb_revisions",
        "kb_votes",
        "kb_article_files",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE article_id = $1"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let done = sqlx::query("DELETE FROM kb_articles WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("kb_article", id));
    }
    events::append(
        &mut tx,
        actor,
        now(),
        &[NewEvent::new(
            "kb_article",
            id,
            "kb_article.deleted",
            json!({}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Earlier texts of an article, newest first.
pub async fn revisions(
    db: &Db,
    article_id: i64,
    page: PageRequest,
) -> Result<Page<Revision>, StoreError> {
    get_article(db, article_id, false).await?;
    let rows = sqlx::query(
        "SELECT id, article_id, revision, title, body, author_id, created_at FROM kb_revisions \
         WHERE article_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(article_id)
    .bind(page.cursor_id.unwrap_or(i64::MAX))
    .bind(page.limit + 1)
    .fetch_all(db.reader())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Revision {
                id: r.try_get("id")?,
                article_id: r.try_get("article_id")?,
                revision: r.try_get("revision")?,
                title: r.try_get("title")?,
                body: r.try_get("body")?,
                author_id: r.try_get("author_id")?,
                created_at: from_micros(r.try_get("created_at")?),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(page.finish(items, |r| r.id))
}

/// "Was this helpful?" from a reader of a public, live article.
pub async fn vote(db: &Db, article_id: i64, vote: NewVote) -> Result<Article, StoreError> {
    let comment = text::optional("comment", vote.comment.as_deref(), MAX_COMMENT_CHARS)?;
    get_article(db, article_id, true).await?;
    let at = now();
    let mut tx = db.begin().await?;
    let answer = if vote.helpful { "yes" } else { "no" };
    sqlx::query(
        "INSERT INTO kb_votes (article_id, vote, comment, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(article_id)
    .bind(answer)
    .bind(&comment)
    .bind(to_micros(at))
    .execute(&mut *tx)
    .await?;
    let column = if vote.helpful {
        "helpful_yes"
    } else {
        "helpful_no"
    };
    sqlx::query(&format!(
        "UPDATE kb_articles SET {column} = {column} + 1 WHERE id = $1"
    ))
    .bind(article_id)
    .execute(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        Actor::system(),
        at,
        &[NewEvent::new(
            "kb_article",
            article_id,
            "kb_article.voted",
            json!({"helpful": vote.helpful, "comment": comment.is_some()}),
        )],
    )
    .await?;
    tx.commit().await?;
    get_article(db, article_id, true).await
}

/// Articles for the search index: those with ids in `ids`, or all above `after` (by id,
/// at most `limit`).
pub async fn articles_for_index(
    db: &Db,
    ids: Option<&[i64]>,
    after: i64,
    limit: i64,
) -> Result<Vec<Article>, StoreError> {
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM kb_articles WHERE "));
    match ids {
        Some([]) => return Ok(Vec::new()),
        Some(ids) => {
            sql.push("id IN ").bind_list(ids.iter().copied());
        }
        None => {
            sql.push("id > ")
                .bind(after)
                .push(" ORDER BY id LIMIT ")
                .bind(limit);
        }
    }
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    let mut items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    load_tags(db.reader(), &mut items).await?;
    Ok(items)
}

/// A step of a self-service session in the portal or web form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeflectionAction {
    /// Matching articles were shown while the customer typed.
    Shown,
    /// The customer opened one of them.
    ArticleOpened,
    /// The customer submitted their request after all.
    Submitted,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeflectionEvent {
    /// A random id the page keeps for one visit (8–64 letters, digits, `-`, `_`).
    pub session: String,
    pub action: DeflectionAction,
    pub article_id: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DeflectionReport {
    /// Sessions in which articles were suggested.
    pub sessions: i64,
    /// Sessions in which an article was opened.
    pub opened_article: i64,
    /// Sessions that ended with a submitted request.
    pub submitted: i64,
    /// Sessions that opened an article and left (idle for 30 minutes) without submitting.
    pub deflected: i64,
    /// `deflected / (deflected + submitted)`: of the requests that ended, the share the
    /// knowledge base answered; 0 when none ended.
    pub deflection_rate: f64,
}

/// A session idle this long has left.
pub const SESSION_IDLE_US: i64 = 30 * 60 * 1_000_000;

/// Records a step of a self-service session.
pub async fn record_deflection(db: &Db, e: NewDeflectionEvent) -> Result<(), StoreError> {
    let session = e.session.trim();
    if !(8..=64).contains(&session.len())
        || !session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(StoreError::invalid(
            "session",
            "must be 8–64 letters, digits, '-' or '_'",
        ));
    }
    let at = to_micros(now());
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO kb_deflections (session, started_at, last_seen_at) VALUES ($1, $2, $2) \
         ON CONFLICT (session) DO NOTHING",
    )
    .bind(session)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let (opened, submitted) = match e.action {
        DeflectionAction::Shown => (0, None),
        DeflectionAction::ArticleOpened => (1, None),
        DeflectionAction::Submitted => (0, Some(at)),
    };
    let id: i64 = sqlx::query_scalar(
        "UPDATE kb_deflections SET last_seen_at = $1, articles_opened = articles_opened + $2, \
         submitted_at = COALESCE(submitted_at, $3) WHERE session = $4 RETURNING id",
    )
    .bind(at)
    .bind(opened)
    .bind(submitted)
    .bind(session)
    .fetch_one(&mut *tx)
    .await?;
    let kind = match e.action {
        DeflectionAction::Shown => "kb_deflection.shown",
        DeflectionAction::ArticleOpened => "kb_deflection.article_opened",
        DeflectionAction::Submitted => "kb_deflection.submitted",
    };
    events::append(
        &mut tx,
        Actor::system(),
        from_micros(at),
        &[NewEvent::new(
            "kb_deflection",
            id,
            kind,
            json!({"article_id": e.article_id}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deflection over the sessions that started in `[from, to)` (µs).
pub async fn deflection_report(
    db: &Db,
    from: i64,
    to: i64,
) -> Result<DeflectionReport, StoreError> {
    let idle_before = to_micros(now()) - SESSION_IDLE_US;
    let row = sqlx::query(
        "SELECT COUNT(*) AS sessions, \
         COALESCE(SUM(CASE WHEN articles_opened > 0 THEN 1 ELSE 0 END), 0) AS opened, \
         COALESCE(SUM(CASE WHEN submitted_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS submitted, \
         COALESCE(SUM(CASE WHEN articles_opened > 0 AND submitted_at IS NULL AND last_seen_at < $1 THEN 1 ELSE 0 END), 0) AS deflected \
         FROM kb_deflections WHERE started_at >= $2 AND started_at < $3",
    )
    .bind(idle_before)
    .bind(from)
    .bind(to)
    .fetch_one(db.reader())
    .await?;
    let sessions: i64 = row.try_get("sessions")?;
    let opened_article: i64 = row.try_get("opened")?;
    let submitted: i64 = row.try_get("submitted")?;
    let deflected: i64 = row.try_get("deflected")?;
    let ended = deflected + submitted;
    Ok(DeflectionReport {
        sessions,
        opened_article,
        submitted,
        deflected,
        deflection_rate: if ended == 0 {
            0.0
        } else {
            deflected as f64 / ended as f64
        },
    })
}

/// Articles by id (those that exist), in no particular order; one query for the articles and
/// one for their tags.
pub async fn articles_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Article>, StoreError> {
    articles_for_index(db, Some(ids), 0, 0).await
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub position: Option<i64>,
}

/// Renames, moves (never under itself or its own descendants) or reorders a category.
pub async fn update_category(
    db: &Db,
    actor: Actor,
    id: i64,
    patch: CategoryPatch,
) -> Result<Category, StoreError> {
    let mut tx = db.begin().await?;
    let rows = sqlx::query(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM kb_categories ORDER BY id"
    ))
    .fetch_all(&mut *tx)
    .await?;
    let all = rows
        .iter()
        .map(category_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let old = all
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or(StoreError::not_found("kb_category", id))?;
    let mut new = old.clone();
    if let Some(n) = &patch.name {
        new.name = text::required("name", n, text::MAX_NAME_CHARS)?;
        new.slug = rules::slug(&new.name);
    }
    if let Some(d) = &patch.description {
        new.description = text::optional("description", d.as_deref(), 2000)?;
    }
    if let Some(p) = patch.position {
        new.position = p;
    }
    if let Some(parent) = patch.parent_id {
        // Walk up from the new parent: meeting this category would make a cycle.
        let mut at = parent;
        let mut steps = 0;
        while let Some(p) = at {
            if p == id {
                return Err(StoreError::invalid(
                    "parent_id",
                    "a category cannot be moved under itself or one of its subcategories",
                ));
            }
            let Some(c) = all.iter().find(|c| c.id == p) else {
                return Err(StoreError::unprocessable(
                    "category_not_found",
                    format!("parent_id: no category has id {p}"),
                ));
            };
            at = c.parent_id;
            steps += 1;
            if steps > all.len() {
                break;
            }
        }
        new.parent_id = parent;
    }
    let mut changes = FieldChanges::new("kb_category", id, "kb_category.updated");
    changes
        .field("name", &old.name, &new.name)
        .field("parent_id", &old.parent_id, &new.parent_id)
        .field("description", &old.description, &new.description)
        .field("position", &old.position, &new.position);
    if changes.is_empty() {
        return Ok(old);
    }
    let at = now();
    new.updated_at = at;
    sqlx::query(
        "UPDATE kb_categories SET parent_id = $1, name = $2, slug = $3, description = $4, \
         position = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(new.parent_id)
    .bind(&new.name)
    .bind(&new.slug)
    .bind(&new.description)
    .bind(new.position)
    .bind(to_micros(at))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    events::append(&mut tx, actor, at, changes.events()).await?;
    tx.commit().await?;
    Ok(new)
}

/// The largest file an article may carry.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Files per article.
pub const MAX_FILES_PER_ARTICLE: i64 = 100;
const MAX_FILENAME_CHARS: usize = 200;
/// Where files are served: `{FILE_URL_PREFIX}{id}/{filename}`.
pub const FILE_URL_PREFIX: &str = "/kb/files/";

/// A file attached to an article (an image shown in its body, or a download).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ArticleFile {
    pub id: i64,
    pub article_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// Stable URL of the file (relative to the site). Files of public, published articles
    /// are public; the others need an agent's session or token.
    pub url: String,
    /// SHA-256 of the content (files are stored once per content).
    pub sha256: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

/// A file to attach.
pub struct NewArticleFile<'a> {
    pub filename: &'a str,
    /// The declared media type; guessed from the file name when absent or malformed.
    pub content_type: Option<&'a str>,
    pub content: &'a [u8],
}

/// A file's bytes with what decides who may fetch them.
pub struct FileContent {
    pub file: ArticleFile,
    pub content: Vec<u8>,
    /// The article is public and live: anyone may fetch the file.
    pub public: bool,
}

/// The last path component, without control characters, trimmed.
fn clean_filename(name: &str) -> Result<String, StoreError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    if cleaned.is_empty() {
        return Err(StoreError::invalid("filename", "must not be empty"));
    }
    if cleaned.chars().count() > MAX_FILENAME_CHARS {
        return Err(StoreError::invalid(
            "filename",
            format!("at most {MAX_FILENAME_CHARS} characters"),
        ));
    }
    Ok(cleaned)
}

/// A well-formed `type/subtype` (parameters dropped), or a guess from the extension.
fn media_type(declared: Option<&str>, filename: &str) -> String {
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    if let Some(d) = declared {
        let essence = d
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if let Some((t, s)) = essence.split_once('/')
            && token(t)
            && token(s)
            && essence != "application/x-www-form-urlencoded"
        {
            return essence;
        }
    }
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
    .to_string()
}

fn file_url(id: i64, filename: &str) -> String {
    let mut out = format!("{FILE_URL_PREFIX}{id}/");
    for b in filename.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

const FILE_COLUMNS: &str =
    "f.id, f.article_id, f.filename, f.content_type, f.size, f.created_at, a.sha256";

fn file_from_row(row: &AnyRow) -> Result<ArticleFile, StoreError> {
    let id: i64 = row.try_get("id")?;
    let filename: String = row.try_get("filename")?;
    Ok(ArticleFile {
        id,
        article_id: row.try_get("article_id")?,
        url: file_url(id, &filename),
        filename,
        content_type: row.try_get("content_type")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        created_at: from_micros(row.try_get("created_at")?),
    })
}

/// Attaches a file to an article; the bytes are stored once per content (shared with mail
/// attachments), and `kb_article.file_added` is logged.
pub async fn add_file(
    db: &Db,
    actor: Actor,
    article_id: i64,
    new: NewArticleFile<'_>,
) -> Result<ArticleFile, StoreError> {
    let filename = clean_filename(new.filename)?;
    if new.content.is_empty() {
        return Err(StoreError::invalid("content", "the file is empty"));
    }
    if new.content.len() > MAX_FILE_BYTES {
        return Err(StoreError::invalid(
            "content",
            format!(
                "the file is {} bytes; at most {MAX_FILE_BYTES} are allowed",
                new.content.len()
            ),
        ));
    }
    let content_type = media_type(new.content_type, &filename);
    let at = now();
    let mut tx = db.begin().await?;
    let count: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT (SELECT COUNT(*) FROM kb_article_files WHERE article_id = $1) FROM kb_articles WHERE id = $1{}",
        db.for_update()
    ))
    .bind(article_id)
    .fetch_optional(&mut *tx)
    .await?;
    match count {
        None => return Err(StoreError::not_found("kb_article", article_id)),
        Some(n) if n >= MAX_FILES_PER_ARTICLE => {
            return Err(StoreError::unprocessable(
                "too_many_files",
                format!("an article carries at most {MAX_FILES_PER_ARTICLE} files"),
            ));
        }
        Some(_) => {}
    }
    let attachment_id =
        ferrodesk_store::blobs::store_blob(&mut tx, "attachments", new.content).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO kb_article_files (article_id, attachment_id, filename, content_type, size, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(article_id)
    .bind(attachment_id)
    .bind(&filename)
    .bind(&content_type)
    .bind(new.content.len() as i64)
    .bind(actor.id)
    .bind(to_micros(at))
    .fetch_one(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "kb_article",
            article_id,
            "kb_article.file_added",
            json!({"file_id": id, "filename": filename, "size": new.content.len()}),
        )],
    )
    .await?;
    let row = sqlx::query(&format!(
        "SELECT {FILE_COLUMNS} FROM kb_article_files f JOIN attachments a ON a.id = f.attachment_id WHERE f.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let file = file_from_row(&row)?;
    tx.commit().await?;
    Ok(file)
}

/// An article's files, oldest first (at most [`MAX_FILES_PER_ARTICLE`]).
pub async fn list_files(db: &Db, article_id: i64) -> Result<Vec<ArticleFile>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {FILE_COLUMNS} FROM kb_article_files f JOIN attachments a ON a.id = f.attachment_id \
         WHERE f.article_id = $1 ORDER BY f.id LIMIT $2"
    ))
    .bind(article_id)
    .bind(MAX_FILES_PER_ARTICLE)
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(file_from_row).collect()
}

/// A file with its bytes, and whether its article is public and live.
pub async fn file_content(db: &Db, file_id: i64) -> Result<FileContent, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {FILE_COLUMNS}, a.content, k.visibility, k.status, k.publish_at \
         FROM kb_article_files f JOIN attachments a ON a.id = f.attachment_id \
         JOIN kb_articles k ON k.id = f.article_id WHERE f.id = $1"
    ))
    .bind(file_id)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StoreError::not_found("kb_file", file_id))?;
    let status: ArticleStatus = row.try_get::<String, _>("status")?.parse()?;
    let visibility: Visibility = row.try_get::<String, _>("visibility")?.parse()?;
    let publish_at: Option<i64> = row.try_get("publish_at")?;
    Ok(FileContent {
        file: file_from_row(&row)?,
        content: row.try_get("content")?,
        public: visibility == Visibility::Public
            && rules::is_live(status, publish_at, to_micros(now())),
    })
}

/// Detaches a file from its article (the bytes stay while anything else refers to them).
pub async fn delete_file(
    db: &Db,
    actor: Actor,
    article_id: i64,
    file_id: i64,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query("DELETE FROM kb_article_files WHERE id = $1 AND article_id = $2")
        .bind(file_id)
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("kb_file", file_id));
    }
    events::append(
        &mut tx,
        actor,
        now(),
        &[NewEvent::new(
            "kb_article",
            article_id,
            "kb_article.file_removed",
            json!({"file_id": file_id}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod file_tests {
    use super::*;

    #[test]
    fn filenames_and_media_types() {
        assert_eq!(clean_filename("C:\\x\\..\\shot.png").unwrap(), "shot.png");
        assert_eq!(clean_filename("a/b/.env").unwrap(), "env");
        assert!(clean_filename("dir/").is_err());
        assert_eq!(media_type(Some("image/PNG; q=1"), "x"), "image/png");
        assert_eq!(media_type(Some("bogus"), "a.JPG"), "image/jpeg");
        assert_eq!(media_type(None, "notes"), "application/octet-stream");
        assert_eq!(
            file_url(7, "мой файл.png"),
            "/kb/files/7/%D0%BC%D0%BE%D0%B9%20%D1%84%D0%B0%D0%B9%D0%BB.png"
        );
    }
}
