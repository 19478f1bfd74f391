//! Knowledge-base pages (`/admin/kb`, linked from the workspace header; no admin navigation,
//! since every agent uses them): articles (list with filters, an editor with a live
//! Markdown preview, translations, files) and categories, and the deflection rate. Any agent
//! may write articles (as through the API); deleting one takes a supervisor or an admin, and
//! the deflection report is shown to them.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use ferrodesk_core::Visibility;
use ferrodesk_core::kb::{ArticleKind, ArticleStatus, Locale};
use ferrodesk_kb::{
    self as kb, Article, ArticleFile, ArticleFilter, ArticlePatch, Category, CategoryPatch,
    DeflectionReport, NewArticle, NewCategory,
};
use ferrodesk_store::{Actor, PageRequest, StoreError};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::{Flash, back, flash_texts};
use crate::shell::AppState;
use crate::shell::forms::Opt;
use crate::shell::i18n::Tr;
use crate::shell::{AgentSession, Chrome, UiError, error_key, render, see_other, urlencode};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/kb", get(list_page))
        .route("/admin/kb/preview", post(preview))
        .route("/admin/kb/categories", post(category_create))
        .route("/admin/kb/categories/{id}", post(category_update))
        .route(
            "/admin/kb/articles/new",
            get(new_article_page).post(article_create),
        )
        .route(
            "/admin/kb/articles/{id}",
            get(edit_article_page).post(article_update),
        )
        .route("/admin/kb/articles/{id}/delete", post(article_delete))
}

/// Categories as options, children indented under their parents.
fn category_opts(all: &[Category], selected: Option<i64>, except: Option<i64>) -> Vec<Opt> {
    let depth = |c: &Category| {
        let mut d = 0;
        let mut at = c.parent_id;
        while let Some(p) = at {
            d += 1;
            at = all.iter().find(|x| x.id == p).and_then(|x| x.parent_id);
            if d > all.len() {
                break;
            }
        }
        d
    };
    // Depth-first order: parents before their children.
    fn walk(all: &[Category], parent: Option<i64>, out: &mut Vec<i64>, guard: usize) {
        if guard > all.len() {
            return;
        }
        for c in all.iter().filter(|c| c.parent_id == parent) {
            out.push(c.id);
            walk(all, Some(c.id), out, guard + 1);
        }
    }
    let mut order = Vec::with_capacity(all.len());
    walk(all, None, &mut order, 0);
    order
        .iter()
        .filter_map(|id| all.iter().find(|c| c.id == *id))
        .filter(|c| Some(c.id) != except)
        .map(|c| {
            Opt::new(
                c.id.to_string(),
                format!("{}{}", "— ".repeat(depth(c)), c.name),
                selected == Some(c.id),
            )
        })
        .collect()
}

fn locale_opts(current: Option<Locale>) -> Vec<Opt> {
    Locale::ALL
        .iter()
        .map(|l| Opt::new(l.as_str(), locale_name(*l), current == Some(*l)))
        .collect()
}

fn locale_name(l: Locale) -> &'static str {
    match l {
        Locale::En => "English",
        Locale::Ru => "Русский",
    }
}

fn status_label(tr: Tr, s: ArticleStatus) -> String {
    tr.t(&format!("kb-status-{}", s.as_str()))
}

fn visibility_label(tr: Tr, v: Visibility) -> String {
    tr.t(&format!("kb-visibility-{}", v.as_str()))
}

fn kind_label(tr: Tr, k: ArticleKind) -> String {
    tr.t(&format!("kb-kind-{}", k.as_str()))
}

// ---------------------------------------------------------------------------------------------
// The list: articles, categories, deflection.

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub locale: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub cursor: Option<String>,
    pub error: Option<String>,
    pub detail: Option<String>,
    pub done: Option<String>,
}

pub struct ArticleRow {
    pub href: String,
    pub title: String,
    pub locale: &'static str,
    pub status: &'static str,
    pub status_label: String,
    pub visibility_label: String,
    pub kind_label: String,
    pub category: String,
    pub updated: String,
    pub scheduled: bool,
}

pub struct CategoryRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub position: i64,
    pub parents: Vec<Opt>,
}

pub struct DeflectionView {
    pub sessions: i64,
    pub opened: i64,
    pub submitted: i64,
    pub deflected: i64,
    pub rate: String,
}

#[derive(Template)]
#[template(path = "admin/kb.html")]
pub struct ListPage {
    pub c: Chrome,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub rows: Vec<ArticleRow>,
    pub next_href: Option<String>,
    pub locales: Vec<Opt>,
    pub statuses: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub category_rows: Vec<CategoryRow>,
    pub new_parents: Vec<Opt>,
    pub deflection: Option<DeflectionView>,
}

fn deflection_view(r: &DeflectionReport) -> DeflectionView {
    DeflectionView {
        sessions: r.sessions,
        opened: r.opened_article,
        submitted: r.submitted,
        deflected: r.deflected,
        rate: format!("{:.0}%", r.deflection_rate * 100.0),
    }
}

pub async fn list_page(
    State(s): State<AppState>,
    me: AgentSession,
    Query(q): Query<ListQuery>,
) -> Response {
    let tr = me.tr();
    let result = async {
        let locale =
            crate::shell::forms::non_empty(&q.locale).and_then(|l| l.parse::<Locale>().ok());
        let status =
            crate::shell::forms::non_empty(&q.status).and_then(|v| v.parse::<ArticleStatus>().ok());
        let category =
            crate::shell::forms::non_empty(&q.category).and_then(|v| v.parse::<i64>().ok());
        let page = PageRequest::parse(Some(50), q.cursor.as_deref())?;
        let filter = ArticleFilter {
            category_id: category,
            locale,
            status,
            ..Default::default()
        };
        let articles = kb::list_articles(&s.db, &filter, page).await?;
        let categories = kb::list_categories(&s.db).await?;
        let names: HashMap<i64, &str> =
            categories.iter().map(|c| (c.id, c.name.as_str())).collect();
        let deflection = if me.viewer.role.sees_all_tickets() {
            let now = ferrodesk_store::now();
            let report = kb::deflection_report(
                &s.db,
                (now - jiff::SignedDuration::from_hours(24 * 30)).as_microsecond(),
                now.as_microsecond() + 1_000_000,
            )
            .await?;
            Some(deflection_view(&report))
        } else {
            None
        };
        let next_href = articles.next_cursor.as_ref().map(|c| {
            format!(
                "/admin/kb?locale={}&status={}&category={}&cursor={}",
                locale.map(|l| l.as_str()).unwrap_or(""),
                status.map(|s| s.as_str()).unwrap_or(""),
                category.map(|c| c.to_string()).unwrap_or_default(),
                urlencode(c)
            )
        });
        let flash = Flash {
            error: q.error.clone(),
            detail: q.detail.clone(),
            done: q.done.clone(),
        };
        let (error, notice) = flash_texts(tr, &flash);
        Ok::<_, StoreError>(ListPage {
            c: me.chrome(tr.t("kb-title")),
            error,
            notice,
            rows: articles
                .items
                .iter()
                .map(|a| ArticleRow {
                    href: format!("/admin/kb/articles/{}", a.id),
                    title: a.title.clone(),
                    locale: a.locale.as_str(),
                    status: a.status.as_str(),
                    status_label: status_label(tr, a.status),
                    visibility_label: visibility_label(tr, a.visibility),
                    kind_label: kind_label(tr, a.kind),
                    category: a
                        .category_id
                        .and_then(|c| names.get(&c).map(|n| n.to_string()))
                        .unwrap_or_default(),
                    updated: crate::shell::fmt_time(a.updated_at, &me.tz),
                    scheduled: a.status == ArticleStatus::Published && !a.live,
                })
                .collect(),
            next_href,
            locales: locale_opts(locale),
            statuses: ArticleStatus::ALL
                .iter()
                .map(|v| Opt::new(v.as_str(), status_label(tr, *v), status == Some(*v)))
                .collect(),
            categories: category_opts(&categories, category, None),
            category_rows: categories
                .iter()
                .map(|c| CategoryRow {
                    id: c.id,
                    name: c.name.clone(),
                    description: c.description.clone().unwrap_or_default(),
                    position: c.position,
                    parents: category_opts(&categories, c.parent_id, Some(c.id)),
                })
                .collect(),
            new_parents: category_opts(&categories, None, None),
            deflection,
        })
    }
    .await;
    match result {
        Ok(p) => render(&p),
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct CategoryForm {
    pub name: String,
    pub parent: Option<String>,
    pub description: Option<String>,
    pub position: Option<String>,
}

fn parse_position(v: &Option<String>) -> Result<Option<i64>, StoreError> {
    match crate::shell::forms::non_empty(v) {
        None => Ok(None),
        Some(p) => p
            .parse::<i64>()
            .map(Some)
            .map_err(|_| StoreError::invalid("position", "must be a whole number")),
    }
}

pub async fn category_create(
    State(s): State<AppState>,
    me: AgentSession,
    Form(f): Form<CategoryForm>,
) -> Response {
    let result = async {
        let new = NewCategory {
            name: f.name.clone(),
            parent_id: crate::shell::forms::non_empty(&f.parent).and_then(|p| p.parse().ok()),
            description: crate::shell::forms::non_empty(&f.description).map(str::to_owned),
            position: parse_position(&f.position)?,
        };
        kb::create_category(&s.db, Actor::agent(me.agent.id), new)
            .await
            .map(drop)
    }
    .await;
    back("/admin/kb", result)
}

pub async fn category_update(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Form(f): Form<CategoryForm>,
) -> Response {
    let result = async {
        let patch = CategoryPatch {
            name: Some(f.name.clone()),
            parent_id: Some(crate::shell::forms::non_empty(&f.parent).and_then(|p| p.parse().ok())),
            description: Some(crate::shell::forms::non_empty(&f.description).map(str::to_owned)),
            position: parse_position(&f.position)?,
        };
        kb::update_category(&s.db, Actor::agent(me.agent.id), id, patch)
            .await
            .map(drop)
    }
    .await;
    back("/admin/kb", result)
}

// ---------------------------------------------------------------------------------------------
// The editor.

/// An earlier text of the article.
pub struct RevisionView {
    pub revision: i64,
    pub replaced_at: String,
    pub title: String,
    pub body: String,
}

/// Earlier texts shown in the editor (the API pages through all of them).
const REVISIONS_SHOWN: i64 = 10;

pub struct TranslationLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "admin/kb_article.html")]
pub struct EditorPage {
    pub c: Chrome,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// `None` for a new article.
    pub id: Option<i64>,
    pub action: String,
    pub title: String,
    pub body: String,
    /// The body rendered, so the preview shows before the first keystroke.
    pub preview: String,
    pub locales: Vec<Opt>,
    pub locale_label: String,
    pub categories: Vec<Opt>,
    pub visibilities: Vec<Opt>,
    pub statuses: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub tags: String,
    pub publish_at: String,
    pub time_zone: String,
    pub translation_of: String,
    pub translations: Vec<TranslationLink>,
    pub missing: Vec<TranslationLink>,
    pub files: Vec<ArticleFile>,
    pub revisions: Vec<RevisionView>,
    pub public_url: Option<String>,
    pub revision: i64,
    pub helpful: String,
    pub can_delete: bool,
}

/// What the form holds, whether it came from an article or from a failed submission.
struct Draft {
    title: String,
    body: String,
    locale: Option<Locale>,
    category: Option<i64>,
    visibility: Visibility,
    status: ArticleStatus,
    kind: ArticleKind,
    tags: String,
    publish_at: String,
    translation_of: Option<i64>,
}

fn local_input(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

fn draft_of(a: &Article, tz: &TimeZone) -> Draft {
    Draft {
        title: a.title.clone(),
        body: a.body.clone(),
        locale: Some(a.locale),
        category: a.category_id,
        visibility: a.visibility,
        status: a.status,
        kind: a.kind,
        tags: a.tags.join(", "),
        publish_at: a.publish_at.map(|t| local_input(t, tz)).unwrap_or_default(),
        translation_of: None,
    }
}

fn editor(
    me: &AgentSession,
    d: &Draft,
    categories: &[Category],
    article: Option<&Article>,
) -> EditorPage {
    let tr = me.tr();
    EditorPage {
        c: me.chrome(match article {
            Some(a) => a.title.clone(),
            None => tr.t("kb-new-article"),
        }),
        error: None,
        notice: None,
        id: article.map(|a| a.id),
        action: match article {
            Some(a) => format!("/admin/kb/articles/{}", a.id),
            None => "/admin/kb/articles/new".into(),
        },
        title: d.title.clone(),
        body: d.body.clone(),
        preview: ferrodesk_kb::markdown::to_html(&d.body),
        locales: locale_opts(
            d.locale
                .or(Some(if me.lang == crate::shell::i18n::Lang::Ru {
                    Locale::Ru
                } else {
                    Locale::En
                })),
        ),
        locale_label: d.locale.map(locale_name).unwrap_or_default().to_string(),
        categories: category_opts(categories, d.category, None),
        visibilities: [Visibility::Public, Visibility::Internal]
            .iter()
            .map(|v| Opt::new(v.as_str(), visibility_label(tr, *v), d.visibility == *v))
            .collect(),
        statuses: ArticleStatus::ALL
            .iter()
            .map(|v| Opt::new(v.as_str(), status_label(tr, *v), d.status == *v))
            .collect(),
        kinds: ArticleKind::ALL
            .iter()
            .map(|v| Opt::new(v.as_str(), kind_label(tr, *v), d.kind == *v))
            .collect(),
        tags: d.tags.clone(),
        publish_at: d.publish_at.clone(),
        time_zone: me.agent.time_zone.clone(),
        translation_of: d.translation_of.map(|t| t.to_string()).unwrap_or_default(),
        translations: Vec::new(),
        missing: Vec::new(),
        files: Vec::new(),
        revisions: Vec::new(),
        public_url: article
            .filter(|a| a.live && a.visibility == Visibility::Public)
            .map(crate::shell::links::article_href),
        revision: article.map(|a| a.revision).unwrap_or(0),
        helpful: article
            .map(|a| {
                format!(
                    "{}: {} · {}: {}",
                    tr.t("kb-helpful"),
                    a.helpful_yes,
                    tr.t("kb-not-helpful"),
                    a.helpful_no
                )
            })
            .unwrap_or_default(),
        can_delete: article.is_some() && me.viewer.role.sees_all_tickets(),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    pub translation_of: Option<i64>,
    pub locale: Option<String>,
}

pub async fn new_article_page(
    State(s): State<AppState>,
    me: AgentSession,
    Query(q): Query<NewQuery>,
) -> Response {
    let result = async {
        let categories = kb::list_categories(&s.db).await?;
        let source = match q.translation_of {
            Some(id) => Some(kb::get_article(&s.db, id, false).await?),
            None => None,
        };
        let mut d = Draft {
            title: String::new(),
            body: String::new(),
            locale: crate::shell::forms::non_empty(&q.locale).and_then(|l| l.parse().ok()),
            category: None,
            visibility: Visibility::Public,
            status: ArticleStatus::Draft,
            kind: ArticleKind::Article,
            tags: String::new(),
            publish_at: String::new(),
            translation_of: None,
        };
        if let Some(src) = &source {
            // A translation starts from the original's settings (and its text, to translate).
            d.title = src.title.clone();
            d.body = src.body.clone();
            d.category = src.category_id;
            d.visibility = src.visibility;
            d.kind = src.kind;
            d.tags = src.tags.join(", ");
            d.translation_of = Some(src.id);
            // Into another language than the original's, unless one was asked for.
            if d.locale.is_none() {
                d.locale = Locale::ALL.iter().copied().find(|l| *l != src.locale);
            }
        }
        Ok::<_, StoreError>(editor(&me, &d, &categories, None))
    }
    .await;
    match result {
        Ok(p) => render(&p),
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

pub async fn edit_article_page(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Query(f): Query<Flash>,
) -> Response {
    let tr = me.tr();
    let result = async {
        let article = kb::get_article(&s.db, id, false).await?;
        let categories = kb::list_categories(&s.db).await?;
        let translations = kb::translations(&s.db, &article, false).await?;
        let files = kb::list_files(&s.db, id).await?;
        let revisions = kb::revisions(&s.db, id, PageRequest::first(REVISIONS_SHOWN)).await?;
        let mut page = editor(
            &me,
            &draft_of(&article, &me.tz),
            &categories,
            Some(&article),
        );
        let (error, notice) = flash_texts(tr, &f);
        page.error = error;
        page.notice = notice;
        page.translations = translations
            .iter()
            .map(|t| TranslationLink {
                href: format!("/admin/kb/articles/{}", t.id),
                label: format!("{} — {}", locale_name(t.locale), t.title),
                current: t.id == id,
            })
            .collect();
        page.missing = Locale::ALL
            .iter()
            .filter(|l| !translations.iter().any(|t| t.locale == **l))
            .map(|l| TranslationLink {
                href: format!(
                    "/admin/kb/articles/new?translation_of={id}&locale={}",
                    l.as_str()
                ),
                label: tr.a("kb-add-translation", "language", locale_name(*l)),
                current: false,
            })
            .collect();
        page.files = files;
        page.revisions = revisions
            .items
            .into_iter()
            .map(|r| RevisionView {
                revision: r.revision,
                replaced_at: crate::shell::fmt_time(r.created_at, &me.tz),
                title: r.title,
                body: r.body,
            })
            .collect();
        Ok::<_, StoreError>(page)
    }
    .await;
    match result {
        Ok(p) => render(&p),
        Err(e) => UiError::from_store(e, me.lang).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct ArticleForm {
    pub title: String,
    pub body: String,
    pub locale: Option<String>,
    pub category: Option<String>,
    pub visibility: String,
    pub status: String,
    pub kind: Option<String>,
    pub tags: Option<String>,
    pub publish_at: Option<String>,
    pub translation_of: Option<String>,
}

struct Parsed {
    locale: Option<Locale>,
    category: Option<i64>,
    visibility: Visibility,
    status: ArticleStatus,
    kind: ArticleKind,
    tags: Vec<String>,
    publish_at: Option<Timestamp>,
    translation_of: Option<i64>,
}

/// `datetime-local` input in the agent's zone → an instant.
fn parse_local(v: &str, tz: &TimeZone) -> Result<Timestamp, StoreError> {
    let dt: jiff::civil::DateTime = v
        .parse()
        .map_err(|_| StoreError::invalid("publish_at", "expected a date and time"))?;
    dt.to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| StoreError::invalid("publish_at", e.to_string()))
}

fn parse_form(f: &ArticleForm, tz: &TimeZone) -> Result<Parsed, StoreError> {
    Ok(Parsed {
        locale: crate::shell::forms::non_empty(&f.locale)
            .map(str::parse::<Locale>)
            .transpose()?,
        category: crate::shell::forms::non_empty(&f.category)
            .map(|c| {
                c.parse::<i64>()
                    .map_err(|_| StoreError::invalid("category_id", "unknown category"))
            })
            .transpose()?,
        visibility: f.visibility.trim().parse()?,
        status: f.status.trim().parse()?,
        kind: crate::shell::forms::non_empty(&f.kind)
            .map(str::parse::<ArticleKind>)
            .transpose()?
            .unwrap_or(ArticleKind::Article),
        tags: f
            .tags
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        publish_at: crate::shell::forms::non_empty(&f.publish_at)
            .map(|v| parse_local(v, tz))
            .transpose()?,
        translation_of: crate::shell::forms::non_empty(&f.translation_of)
            .and_then(|t| t.parse().ok()),
    })
}

/// The form again, with what was typed and what was wrong.
async fn form_again(
    s: &AppState,
    me: &AgentSession,
    f: ArticleForm,
    article: Option<&Article>,
    e: StoreError,
) -> Response {
    let api = crate::shell::ApiError::from(e);
    let categories = kb::list_categories(&s.db).await.unwrap_or_default();
    let d = Draft {
        title: f.title,
        body: f.body,
        locale: crate::shell::forms::non_empty(&f.locale)
            .and_then(|l| l.parse().ok())
            .or(article.map(|a| a.locale)),
        category: crate::shell::forms::non_empty(&f.category).and_then(|c| c.parse().ok()),
        visibility: f.visibility.trim().parse().unwrap_or(Visibility::Public),
        status: f.status.trim().parse().unwrap_or(ArticleStatus::Draft),
        kind: crate::shell::forms::non_empty(&f.kind)
            .and_then(|k| k.parse().ok())
            .unwrap_or(ArticleKind::Article),
        tags: f.tags.unwrap_or_default(),
        publish_at: f.publish_at.unwrap_or_default(),
        translation_of: crate::shell::forms::non_empty(&f.translation_of)
            .and_then(|t| t.parse().ok()),
    };
    let mut page = editor(me, &d, &categories, article);
    let tr = me.tr();
    let mut msg = tr.t(&error_key(api.code));
    msg.push_str(" — ");
    msg.push_str(&api.message);
    page.error = Some(msg);
    (api.status, render(&page)).into_response()
}

pub async fn article_create(
    State(s): State<AppState>,
    me: AgentSession,
    Form(f): Form<ArticleForm>,
) -> Response {
    let result = async {
        let p = parse_form(&f, &me.tz)?;
        let new = NewArticle {
            title: f.title.clone(),
            body: f.body.clone(),
            locale: p
                .locale
                .ok_or_else(|| StoreError::invalid("locale", "choose a language"))?,
            category_id: p.category,
            visibility: p.visibility,
            status: p.status,
            tags: p.tags,
            kind: Some(p.kind),
            publish_at: p.publish_at,
            translation_of: p.translation_of,
        };
        kb::create_article(&s.db, Actor::agent(me.agent.id), new).await
    }
    .await;
    match result {
        Ok(a) => {
            if let Some(index) = &s.search {
                index.wake();
            }
            see_other(&format!("/admin/kb/articles/{}?done=1", a.id))
        }
        Err(e) => form_again(&s, &me, f, None, e).await,
    }
}

pub async fn article_update(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
    Form(f): Form<ArticleForm>,
) -> Response {
    let current = match kb::get_article(&s.db, id, false).await {
        Ok(a) => a,
        Err(e) => return UiError::from_store(e, me.lang).into_response(),
    };
    let result = async {
        let p = parse_form(&f, &me.tz)?;
        let patch = ArticlePatch {
            title: Some(f.title.clone()),
            body: Some(f.body.clone()),
            // The language is fixed once written: translations are per language.
            locale: None,
            category_id: Some(p.category),
            visibility: Some(p.visibility),
            status: Some(p.status),
            tags: Some(p.tags),
            kind: Some(p.kind),
            publish_at: Some(p.publish_at),
        };
        kb::update_article(&s.db, Actor::agent(me.agent.id), id, patch).await
    }
    .await;
    match result {
        Ok(_) => {
            if let Some(index) = &s.search {
                index.wake();
            }
            see_other(&format!("/admin/kb/articles/{id}?done=1"))
        }
        Err(e) => form_again(&s, &me, f, Some(&current), e).await,
    }
}

pub async fn article_delete(
    State(s): State<AppState>,
    me: AgentSession,
    Path(id): Path<i64>,
) -> Response {
    if let Some(r) = super::unless_supervisor(&me) {
        return r;
    }
    let result = kb::delete_article(&s.db, Actor::agent(me.agent.id), id).await;
    if result.is_ok()
        && let Some(index) = &s.search
    {
        index.wake();
    }
    back("/admin/kb", result)
}

#[derive(serde::Deserialize)]
pub struct PreviewForm {
    #[serde(default)]
    pub body: String,
}

/// The Markdown body rendered as the help center will show it (raw HTML shown as text, unsafe
/// links dropped), for the editor's live preview.
pub async fn preview(_me: AgentSession, Form(f): Form<PreviewForm>) -> Response {
    if f.body.len() > ferrodesk_core::text::MAX_BODY_BYTES {
        return (
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            Html(String::new()),
        )
            .into_response();
    }
    Html(ferrodesk_kb::markdown::to_html(&f.body)).into_response()
}
