//! `/api/v1/kb`: knowledge-base categories and articles. Anyone reads public, published
//! articles; agents (any role) read everything and write; supervisors and admins delete.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ferrodesk_core::kb::{ArticleKind, ArticleStatus, Locale};
use ferrodesk_kb::{
    self as kb, Article, ArticleFile, ArticleFilter, ArticlePatch, Category, CategoryPatch,
    DeflectionReport, NewArticle, NewArticleFile, NewCategory, NewDeflectionEvent, NewVote,
    Revision,
};
use ferrodesk_store::{Actor, Page, PageRequest};

use crate::api::PageQuery;
use crate::shell::AppState;
use crate::shell::error::{ApiError, ApiResult, ErrorBody};
use crate::shell::extract::{ApiJson, ApiPath, ApiQuery, Auth, MaybeAuth};
use ferrodesk_kb::markdown;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleQuery {
    pub category_id: Option<i64>,
    pub locale: Option<Locale>,
    /// Agents only; anonymous callers see published articles.
    pub status: Option<ArticleStatus>,
    pub kind: Option<ArticleKind>,
    pub tag: Option<String>,
    /// 1–200, default 25.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn rendered(mut a: Article) -> Article {
    a.body_html = Some(markdown::to_html(&a.body));
    a
}

/// The category tree, flat: parents before children, by position.
#[utoipa::path(get, path = "/api/v1/kb/categories", tag = "kb", security((), ("bearer" = [])),
    responses((status = 200, body = Vec<Category>)))]
pub async fn list_categories(State(s): State<AppState>) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(kb::list_categories(&s.db).await?))
}

#[utoipa::path(post, path = "/api/v1/kb/categories", tag = "kb", request_body = NewCategory,
    responses((status = 201, body = Category), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create_category(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewCategory>,
) -> ApiResult<(StatusCode, Json<Category>)> {
    let c = kb::create_category(&s.db, Actor::agent(auth.0.agent_id), new).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Rename, move or reorder a category (any agent).
#[utoipa::path(patch, path = "/api/v1/kb/categories/{id}", tag = "kb", params(("id" = i64, Path, description = "the id")), request_body = CategoryPatch,
    responses((status = 200, body = Category), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_category(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<CategoryPatch>,
) -> ApiResult<Json<Category>> {
    Ok(Json(
        kb::update_category(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?,
    ))
}

/// Articles, newest first. Anonymous callers get public, published ones only.
#[utoipa::path(get, path = "/api/v1/kb/articles", tag = "kb", params(ArticleQuery), security((), ("bearer" = [])),
    responses((status = 200, body = Page<Article>), (status = 400, body = ErrorBody)))]
pub async fn list_articles(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiQuery(q): ApiQuery<ArticleQuery>,
) -> ApiResult<Json<Page<Article>>> {
    let page = PageRequest::parse(q.limit, q.cursor.as_deref())?;
    let public_only = viewer.is_none();
    let filter = ArticleFilter {
        category_id: q.category_id,
        locale: q.locale,
        status: if public_only { None } else { q.status },
        kind: q.kind,
        tag: q.tag,
        public_only,
    };
    let mut page = kb::list_articles(&s.db, &filter, page).await?;
    page.items = page.items.into_iter().map(rendered).collect();
    Ok(Json(page))
}

/// Write an article (any agent). `translation_of` links it to the same article in another
/// locale.
#[utoipa::path(post, path = "/api/v1/kb/articles", tag = "kb", request_body = NewArticle,
    responses((status = 201, body = Article), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create_article(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(new): ApiJson<NewArticle>,
) -> ApiResult<(StatusCode, Json<Article>)> {
    let a = kb::create_article(&s.db, Actor::agent(auth.0.agent_id), new).await?;
    if let Some(index) = &s.search {
        index.wake();
    }
    Ok((StatusCode::CREATED, Json(rendered(a))))
}

/// One article with its body as HTML. Drafts and internal articles answer 404 to anonymous
/// callers.
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}", tag = "kb", params(("id" = i64, Path, description = "the id")), security((), ("bearer" = [])),
    responses((status = 200, body = Article), (status = 404, body = ErrorBody)))]
pub async fn get_article(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Article>> {
    Ok(Json(rendered(
        kb::get_article(&s.db, id, viewer.is_none()).await?,
    )))
}

/// Edit an article (any agent); a new title or body keeps the old text as a revision.
#[utoipa::path(patch, path = "/api/v1/kb/articles/{id}", tag = "kb", params(("id" = i64, Path, description = "the id")), request_body = ArticlePatch,
    responses((status = 200, body = Article), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_article(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<ArticlePatch>,
) -> ApiResult<Json<Article>> {
    let a = kb::update_article(&s.db, Actor::agent(auth.0.agent_id), id, patch).await?;
    if let Some(index) = &s.search {
        index.wake();
    }
    Ok(Json(rendered(a)))
}

/// Delete an article (supervisors and admins).
#[utoipa::path(delete, path = "/api/v1/kb/articles/{id}", tag = "kb", params(("id" = i64, Path, description = "the id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_article(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require_supervisor()?;
    kb::delete_article(&s.db, Actor::agent(auth.0.agent_id), id).await?;
    if let Some(index) = &s.search {
        index.wake();
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Earlier texts of an article, newest first.
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}/revisions", tag = "kb", params(("id" = i64, Path, description = "the id"), PageQuery),
    responses((status = 200, body = Page<Revision>), (status = 404, body = ErrorBody)))]
pub async fn revisions(
    State(s): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Revision>>> {
    Ok(Json(kb::revisions(&s.db, id, q.page()?).await?))
}

/// The article's versions in other languages (public ones for anonymous callers).
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}/translations", tag = "kb", params(("id" = i64, Path, description = "the id")), security((), ("bearer" = [])),
    responses((status = 200, body = Vec<Article>), (status = 404, body = ErrorBody)))]
pub async fn translations(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Article>>> {
    let public_only = viewer.is_none();
    let article = kb::get_article(&s.db, id, public_only).await?;
    Ok(Json(kb::translations(&s.db, &article, public_only).await?))
}

/// "Was this helpful?" — anyone may answer, with an optional comment.
#[utoipa::path(post, path = "/api/v1/kb/articles/{id}/votes", tag = "kb", params(("id" = i64, Path, description = "the id")), request_body = NewVote, security(()),
    responses((status = 201, body = Article), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn vote(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(v): ApiJson<NewVote>,
) -> ApiResult<(StatusCode, Json<Article>)> {
    let a = kb::vote(&s.db, id, v).await?;
    Ok((StatusCode::CREATED, Json(rendered(a))))
}

/// A step of a self-service session in the portal or web form (suggested articles shown, one
/// opened, the request submitted). Anyone may send it.
#[utoipa::path(post, path = "/api/v1/kb/deflections", tag = "kb", request_body = NewDeflectionEvent, security(()),
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn record_deflection(
    State(s): State<AppState>,
    ApiJson(e): ApiJson<NewDeflectionEvent>,
) -> ApiResult<StatusCode> {
    kb::record_deflection(&s.db, e).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Sessions started on or after (RFC 3339); default: 30 days ago.
    #[param(value_type = Option<String>)]
    pub from: Option<jiff::Timestamp>,
    /// Sessions started before (RFC 3339); default: now.
    #[param(value_type = Option<String>)]
    pub to: Option<jiff::Timestamp>,
}

/// How many self-service sessions ended with the customer answered by an article instead of a
/// request (supervisors and admins).
#[utoipa::path(get, path = "/api/v1/kb/deflections/report", tag = "kb", params(ReportQuery),
    responses((status = 200, body = DeflectionReport), (status = 403, body = ErrorBody)))]
pub async fn deflection_report(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Json<DeflectionReport>> {
    auth.require_supervisor()?;
    let now = ferrodesk_store::now();
    let to = q.to.unwrap_or(now + jiff::SignedDuration::from_secs(1));
    let from = q
        .from
        .unwrap_or(now - jiff::SignedDuration::from_hours(24 * 30));
    Ok(Json(
        kb::deflection_report(&s.db, from.as_microsecond(), to.as_microsecond()).await?,
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (kept for downloads; its extension helps guess the media type).
    pub filename: String,
}

/// A file's raw bytes (described as binary, not as an array of numbers).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBody(pub Vec<u8>);

fn file_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        format!("a file may have at most {} bytes", kb::MAX_FILE_BYTES),
    )
}

/// Attach a file to an article (any agent): an image to show in the body (`![](url)`) or a
/// download. The request body is the file's raw bytes (at most 10 MiB), its `Content-Type`
/// header the file's media type (guessed from the name when absent). Identical content is
/// stored once. Files of public, published articles are served to anyone at `url`; the
/// others to agents only.
#[utoipa::path(post, path = "/api/v1/kb/articles/{id}/attachments", tag = "kb", params(("id" = i64, Path, description = "the id"), UploadQuery),
    request_body(content = FileBody, content_type = "application/octet-stream", description = "the file's bytes; `Content-Type` is kept as the file's media type"),
    responses((status = 201, body = ArticleFile), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_file(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<ArticleFile>)> {
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            file_too_large()
        } else {
            ApiError::new(r.status(), "invalid_body", r.body_text())
        }
    })?;
    if bytes.len() > kb::MAX_FILE_BYTES {
        return Err(file_too_large());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let file = kb::add_file(
        &s.db,
        Actor::agent(auth.0.agent_id),
        id,
        NewArticleFile {
            filename: &q.filename,
            content_type,
            content: &bytes,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(file)))
}

/// An article's files, oldest first (at most 100; an article carries no more).
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}/attachments", tag = "kb", params(("id" = i64, Path, description = "the id")),
    responses((status = 200, body = Vec<ArticleFile>), (status = 404, body = ErrorBody)))]
pub async fn list_files(
    State(s): State<AppState>,
    _auth: Auth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<ArticleFile>>> {
    kb::get_article(&s.db, id, false).await?;
    Ok(Json(kb::list_files(&s.db, id).await?))
}

/// Detach a file from an article (any agent).
#[utoipa::path(delete, path = "/api/v1/kb/articles/{id}/attachments/{file_id}", tag = "kb", params(("id" = i64, Path, description = "the id"), ("file_id" = i64, Path, description = "the file's id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_file(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath((id, file_id)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    kb::delete_file(&s.db, Actor::agent(auth.0.agent_id), id, file_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether a file is shown in the browser (previewable images, PDF, plain text); anything
/// else downloads.
fn shown_inline(content_type: &str) -> bool {
    crate::shell::upload::is_previewable(content_type)
        || matches!(content_type, "application/pdf" | "text/plain")
}

/// `GET /kb/files/{id}/{name}`: a file of an article. Public, live articles' files are served
/// to anyone; the others need an agent (session or token) and answer 404 otherwise. The name
/// in the URL is decoration; the id decides.
pub async fn serve_file(
    State(s): State<AppState>,
    auth: Result<MaybeAuth, ApiError>,
    axum::extract::Path((id, _name)): axum::extract::Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "file_not_found",
            "no such file (or it belongs to an article only agents may see)",
        )
        .into_response()
    };
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let found = match kb::file_content(&s.db, id).await {
        Ok(f) => f,
        Err(ferrodesk_store::StoreError::NotFound { .. }) => return not_found(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    // Bad or expired credentials count as none: public files stay public.
    let agent = auth.ok().and_then(|MaybeAuth(v)| v);
    if !found.public && agent.is_none() {
        return not_found();
    }
    let etag = format!("\"{}\"", found.file.sha256);
    let cache = if found.public {
        "public, max-age=3600"
    } else {
        "private, max-age=300"
    };
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, cache.to_string()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; sandbox".to_string(),
        ),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    let disposition = if shown_inline(&found.file.content_type) {
        "inline"
    } else {
        "attachment"
    };
    let encoded = crate::shell::upload::rfc5987(&found.file.filename);
    (
        common,
        [
            (header::CONTENT_TYPE, found.file.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename*=UTF-8''{encoded}"),
            ),
        ],
        found.content,
    )
        .into_response()
}
