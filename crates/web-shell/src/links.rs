//! Links the pages build to one another: this server's origin as the request named it, and the
//! help center's address of an article.

use axum::http::header;
use ferrodesk_kb::Article;

use super::state::AppState;

pub fn article_href(a: &Article) -> String {
    format!("/help/{}/articles/{}-{}", a.locale, a.id, a.slug)
}

/// `http(s)://host` of the request, for the sitemap's absolute URLs.
pub fn origin(s: &AppState, headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if s.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}
