//! `GET /api/v1/search` (agents: tickets in their scope, customers, organisations, all
//! articles) and `GET /api/v1/kb/search` (anyone: public, published articles — the help
//! center's search-as-you-type).

use axum::Json;
use axum::extract::State;
use ferrodesk_core::ParseError;
use ferrodesk_search::{Hit, SearchRequest, Who};
use ferrodesk_store::StoreError;

use crate::shell::AppState;
use crate::shell::error::{ApiResult, ErrorBody};
use crate::shell::extract::{ApiQuery, Auth};
use crate::shell::search::{run, similar_request, suggestions_request, ticket_text};

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
const MAX_QUERY_CHARS: usize = 500;

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub items: Vec<Hit>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words (any may match; more and rarer matches rank higher), `"quoted phrases"` (must
    /// match). Short queries tolerate one typo per word.
    pub q: Option<String>,
    /// `ticket`, `article`, `customer` or `organization`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<usize>,
    /// Ticket status (`open`, …) or article status (`draft`, `published`).
    pub status: Option<String>,
    pub team_id: Option<i64>,
    /// Created on or after: a date (`2026-11-01`) or an RFC 3339 time.
    pub from: Option<String>,
    /// Created before this time, or up to the end of this date.
    pub to: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PublicSearchQuery {
    pub q: Option<String>,
    /// `en` or `ru`; default: all languages.
    pub locale: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<usize>,
}

fn limit(limit: Option<usize>) -> Result<usize, StoreError> {
    let l = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&l) {
        return Err(StoreError::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}; got {l}"),
        ));
    }
    Ok(l)
}

fn query_text(q: Option<String>) -> Result<String, StoreError> {
    let q = q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(StoreError::invalid(
            "q",
            format!("at most {MAX_QUERY_CHARS} characters are searched"),
        ));
    }
    Ok(q)
}

/// A date or time bound in microseconds; a date `to` means the end of that day.
fn time_bound(
    field: &'static str,
    value: Option<&str>,
    end_of_day: bool,
) -> Result<Option<i64>, StoreError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(Some(t.as_microsecond()));
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        let d = if end_of_day {
            d.tomorrow().unwrap_or(d)
        } else {
            d
        };
        let t = d
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_err(|e| StoreError::Invalid(ParseError::new(field, e.to_string())))?;
        return Ok(Some(t.timestamp().as_microsecond()));
    }
    Err(StoreError::invalid(
        field,
        format!("{v:?} is neither a date like 2026-11-01 nor an RFC 3339 time"),
    ))
}

fn check_kind(kind: Option<String>) -> Result<Option<String>, StoreError> {
    match kind.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(k @ ("ticket" | "article" | "customer" | "organization")) => Ok(Some(k.to_string())),
        Some(other) => Err(StoreError::invalid(
            "type",
            format!(
                "unknown type {other:?}; expected one of: ticket, article, customer, organization"
            ),
        )),
    }
}

/// Search tickets (those you may see), customers, organisations and knowledge-base articles.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn search(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    let req = SearchRequest {
        q: query_text(q.q)?,
        kind: check_kind(q.kind)?,
        status: q.status.filter(|s| !s.trim().is_empty()),
        team_id: q.team_id,
        from: time_bound("from", q.from.as_deref(), false)?,
        to: time_bound("to", q.to.as_deref(), true)?,
        locale: None,
        limit: limit(q.limit)?,
        exclude: None,
    };
    let items = run(&s, Who::Agent(auth.0), req).await?;
    Ok(Json(SearchResults { items }))
}

/// Search the help center: public, published articles, for anyone.
#[utoipa::path(get, path = "/api/v1/kb/search", tag = "kb", params(PublicSearchQuery), security(()),
    responses((status = 200, body = SearchResults), (status = 422, body = ErrorBody)))]
pub async fn public_search(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<PublicSearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    let locale = match q.locale.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => Some(
            l.parse::<ferrodesk_core::kb::Locale>()
                .map_err(StoreError::from)?
                .as_str()
                .to_string(),
        ),
    };
    let req = SearchRequest {
        q: query_text(q.q)?,
        locale,
        limit: limit(q.limit)?,
        ..Default::default()
    };
    let items = run(&s, Who::Public, req).await?;
    Ok(Json(SearchResults { items }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// 1–100, default 5.
    pub limit: Option<usize>,
}

/// Knowledge-base articles most relevant to a ticket (subject and first messages), for the
/// agent writing the reply.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/suggestions", tag = "search", params(("id" = i64, Path, description = "the id"), SuggestQuery),
    responses((status = 200, body = SearchResults), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn suggestions(
    State(s): State<AppState>,
    auth: Auth,
    crate::shell::extract::ApiPath(id): crate::shell::extract::ApiPath<i64>,
    ApiQuery(q): ApiQuery<SuggestQuery>,
) -> ApiResult<Json<SearchResults>> {
    let text = ticket_text(&s, &auth.0, id).await?;
    let req = suggestions_request(text, limit(Some(q.limit.unwrap_or(5)))?);
    let items = run(&s, Who::Agent(auth.0), req).await?;
    Ok(Json(SearchResults { items }))
}

/// Other tickets (that you may see) most like this one.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/similar", tag = "search", params(("id" = i64, Path, description = "the id"), SuggestQuery),
    responses((status = 200, body = SearchResults), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn similar(
    State(s): State<AppState>,
    auth: Auth,
    crate::shell::extract::ApiPath(id): crate::shell::extract::ApiPath<i64>,
    ApiQuery(q): ApiQuery<SuggestQuery>,
) -> ApiResult<Json<SearchResults>> {
    let text = ticket_text(&s, &auth.0, id).await?;
    let req = similar_request(text, id, limit(Some(q.limit.unwrap_or(5)))?);
    let items = run(&s, Who::Agent(auth.0), req).await?;
    Ok(Json(SearchResults { items }))
}
