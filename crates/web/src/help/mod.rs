//! The public help center at `/help`: server-rendered pages in English and Russian (categories,
//! articles, FAQ), search as you type (through `/api/v1/kb/search`), "Was this helpful?" votes,
//! canonical SEO URLs (`/help/{locale}/articles/{id}-{slug}`) and `/help/sitemap.xml`.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use ferrodesk_core::kb::{ArticleKind, Locale};
use ferrodesk_kb::{self as kb, Article, ArticleFilter, Category, NewVote};
use ferrodesk_store::{PageRequest, StoreError};

use crate::shell::AppState;
use crate::shell::links::{article_href, origin};
use ferrodesk_kb::markdown;

/// Interface text per language.
pub struct Texts {
    pub lang: &'static str,
    pub title: &'static str,
    pub search_placeholder: &'static str,
    pub categories: &'static str,
    pub articles: &'static str,
    pub faq: &'static str,
    pub no_articles: &'static str,
    pub helpful: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub comment: &'static str,
    pub send: &'static str,
    pub thanks: &'static str,
    pub other_language: &'static str,
    pub not_found: &'static str,
    pub updated: &'static str,
}

const EN: Texts = Texts {
    lang: "en",
    title: "Help center",
    search_placeholder: "Search for answers…",
    categories: "Categories",
    articles: "Articles",
    faq: "Frequently asked questions",
    no_articles: "No articles here yet.",
    helpful: "Was this helpful?",
    yes: "Yes",
    no: "No",
    comment: "Anything we should add? (optional)",
    send: "Send",
    thanks: "Thank you for your feedback!",
    other_language: "Русский",
    not_found: "This page does not exist.",
    updated: "Updated",
};

const RU: Texts = Texts {
    lang: "ru",
    title: "Центр помощи",
    search_placeholder: "Поиск ответов…",
    categories: "Разделы",
    articles: "Статьи",
    faq: "Частые вопросы",
    no_articles: "Здесь пока нет статей.",
    helpful: "Статья была полезной?",
    yes: "Да",
    no: "Нет",
    comment: "Чего не хватило? (необязательно)",
    send: "Отправить",
    thanks: "Спасибо за отзыв!",
    other_language: "English",
    not_found: "Такой страницы нет.",
    updated: "Обновлено",
};

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::En => &EN,
        Locale::Ru => &RU,
    }
}

fn other(locale: Locale) -> Locale {
    match locale {
        Locale::En => Locale::Ru,
        Locale::Ru => Locale::En,
    }
}

pub struct Link {
    pub href: String,
    pub title: String,
}

pub struct Faq {
    pub question: String,
    pub answer_html: String,
}

#[derive(Template)]
#[template(path = "help/home.html")]
struct HomePage {
    t: &'static Texts,
    switch_href: String,
    categories: Vec<(Link, Vec<Link>)>,
    recent: Vec<Link>,
}

#[derive(Template)]
#[template(path = "help/category.html")]
struct CategoryPage {
    t: &'static Texts,
    switch_href: String,
    name: String,
    description: Option<String>,
    children: Vec<Link>,
    articles: Vec<Link>,
    faqs: Vec<Faq>,
}

#[derive(Template)]
#[template(path = "help/article.html")]
struct ArticlePage {
    t: &'static Texts,
    switch_href: String,
    id: i64,
    title: String,
    body_html: String,
    updated: String,
    vote_href: String,
    voted: bool,
}

#[derive(Template)]
#[template(path = "help/not_found.html")]
struct NotFoundPage {
    t: &'static Texts,
    switch_href: String,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/help", get(|| async { Redirect::temporary("/help/en") }))
        .route("/help/sitemap.xml", get(sitemap))
        .route("/help/assets/help.css", get(css))
        .route("/help/assets/help.js", get(js))
        .route("/help/{locale}", get(home))
        .route("/help/{locale}/categories/{key}", get(category))
        .route("/help/{locale}/articles/{key}", get(article))
        .route("/help/{locale}/articles/{key}/vote", post(vote))
}

fn page(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "help center page failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn not_found(locale: Locale) -> Response {
    let t = texts(locale);
    let mut res = page(NotFoundPage {
        t,
        switch_href: format!("/help/{}", other(locale)),
    });
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

fn failed(e: StoreError) -> Response {
    tracing::error!(error = %e, "help center failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn category_href(locale: Locale, c: &Category) -> String {
    format!("/help/{locale}/categories/{}-{}", c.id, c.slug)
}

/// `{id}-{slug}` → id.
fn id_of(key: &str) -> Option<i64> {
    key.split('-').next()?.parse().ok()
}

async fn public_articles(
    s: &AppState,
    filter: ArticleFilter,
    limit: i64,
) -> Result<Vec<Article>, StoreError> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(limit.min(200));
    loop {
        let p = kb::list_articles(&s.db, &filter, page).await?;
        out.extend(p.items);
        match p.next_cursor.and_then(|c| c.parse().ok()) {
            Some(c) if (out.len() as i64) < limit => page.cursor_id = Some(c),
            _ => return Ok(out),
        }
    }
}

async fn home(State(s): State<AppState>, Path(locale): Path<String>) -> Response {
    let Ok(locale) = locale.parse::<Locale>() else {
        return not_found(Locale::En);
    };
    let categories = match kb::list_categories(&s.db).await {
        Ok(c) => c,
        Err(e) => return failed(e),
    };
    let tree = categories
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| {
            let children = categories
                .iter()
                .filter(|k| k.parent_id == Some(c.id))
                .map(|k| Link {
                    href: category_href(locale, k),
                    title: k.name.clone(),
                })
                .collect();
            (
                Link {
                    href: category_href(locale, c),
                    title: c.name.clone(),
                },
                children,
            )
        })
        .collect();
    let recent = match public_articles(
        &s,
        ArticleFilter {
            locale: Some(locale),
            public_only: true,
            ..Default::default()
        },
        10,
    )
    .await
    {
        Ok(a) => a,
        Err(e) => return failed(e),
    };
    page(HomePage {
        t: texts(locale),
        switch_href: format!("/help/{}", other(locale)),
        categories: tree,
        recent: recent
            .iter()
            .map(|a| Link {
                href: article_href(a),
                title: a.title.clone(),
            })
            .collect(),
    })
}

async fn category(
    State(s): State<AppState>,
    Path((locale, key)): Path<(String, String)>,
) -> Response {
    let Ok(locale) = locale.parse::<Locale>() else {
        return not_found(Locale::En);
    };
    let Some(id) = id_of(&key) else {
        return not_found(locale);
    };
    let c = match kb::get_category(&s.db, id).await {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => return not_found(locale),
        Err(e) => return failed(e),
    };
    let canonical = category_href(locale, &c);
    if !canonical.ends_with(&format!("/{key}")) {
        return Redirect::permanent(&canonical).into_response();
    }
    let all = match kb::list_categories(&s.db).await {
        Ok(all) => all,
        Err(e) => return failed(e),
    };
    let articles = match public_articles(
        &s,
        ArticleFilter {
            category_id: Some(id),
            locale: Some(locale),
            public_only: true,
            ..Default::default()
        },
        500,
    )
    .await
    {
        Ok(a) => a,
        Err(e) => return failed(e),
    };
    let (faqs, articles): (Vec<Article>, Vec<Article>) = articles
        .into_iter()
        .partition(|a| a.kind == ArticleKind::Faq);
    page(CategoryPage {
        t: texts(locale),
        switch_href: category_href(other(locale), &c),
        name: c.name.clone(),
        description: c.description.clone(),
        children: all
            .iter()
            .filter(|k| k.parent_id == Some(c.id))
            .map(|k| Link {
                href: category_href(locale, k),
                title: k.name.clone(),
            })
            .collect(),
        articles: articles
            .iter()
            .map(|a| Link {
                href: article_href(a),
                title: a.title.clone(),
            })
            .collect(),
        faqs: faqs
            .iter()
            .map(|a| Faq {
                question: a.title.clone(),
                answer_html: markdown::to_html(&a.body),
            })
            .collect(),
    })
}

async fn load_article(s: &AppState, locale: Locale, key: &str) -> Result<Article, Response> {
    let Some(id) = id_of(key) else {
        return Err(not_found(locale));
    };
    match kb::get_article(&s.db, id, true).await {
        Ok(a) => Ok(a),
        Err(StoreError::NotFound { .. }) => Err(not_found(locale)),
        Err(e) => Err(failed(e)),
    }
}

async fn article(
    State(s): State<AppState>,
    Path((locale, key)): Path<(String, String)>,
) -> Response {
    show_article(s, locale, key, false).await
}

async fn show_article(s: AppState, locale: String, key: String, voted: bool) -> Response {
    let Ok(locale) = locale.parse::<Locale>() else {
        return not_found(Locale::En);
    };
    let a = match load_article(&s, locale, &key).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    let canonical = article_href(&a);
    if !voted && !canonical.ends_with(&format!("/{}/articles/{key}", locale)) {
        return Redirect::permanent(&canonical).into_response();
    }
    let switch_href = match kb::translations(&s.db, &a, true).await {
        Ok(variants) => variants
            .iter()
            .find(|v| v.locale == other(a.locale))
            .map(article_href)
            .unwrap_or_else(|| format!("/help/{}", other(a.locale))),
        Err(e) => return failed(e),
    };
    page(ArticlePage {
        t: texts(a.locale),
        switch_href,
        id: a.id,
        title: a.title.clone(),
        body_html: markdown::to_html(&a.body),
        updated: a.updated_at.strftime("%Y-%m-%d").to_string(),
        vote_href: format!("{canonical}/vote"),
        voted,
    })
}

#[derive(serde::Deserialize)]
struct VoteForm {
    helpful: String,
    comment: Option<String>,
}

async fn vote(
    State(s): State<AppState>,
    Path((locale, key)): Path<(String, String)>,
    Form(form): Form<VoteForm>,
) -> Response {
    let Some(id) = id_of(&key) else {
        return not_found(Locale::En);
    };
    let v = NewVote {
        helpful: form.helpful == "yes",
        comment: form.comment,
    };
    match kb::vote(&s.db, id, v).await {
        Ok(_) => {}
        Err(StoreError::NotFound { .. }) => {
            return not_found(locale.parse().unwrap_or(Locale::En));
        }
        Err(StoreError::Invalid(_)) => {
            return (StatusCode::UNPROCESSABLE_ENTITY, "the comment is too long").into_response();
        }
        Err(e) => return failed(e),
    }
    show_article(s, locale, key, true).await
}

async fn sitemap(State(s): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let origin = origin(&s, &headers);
    let articles = match public_articles(
        &s,
        ArticleFilter {
            public_only: true,
            ..Default::default()
        },
        50_000,
    )
    .await
    {
        Ok(a) => a,
        Err(e) => return failed(e),
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for locale in Locale::ALL {
        xml.push_str(&format!("  <url><loc>{origin}/help/{locale}</loc></url>\n"));
    }
    for a in &articles {
        xml.push_str(&format!(
            "  <url><loc>{origin}{}</loc><lastmod>{}</lastmod></url>\n",
            article_href(a),
            a.updated_at.strftime("%Y-%m-%d")
        ));
    }
    xml.push_str("</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/help.css"),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/help.js"),
    )
        .into_response()
}
