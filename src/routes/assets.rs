//! Static files embedded in the binary (read from `static/` on disk in debug builds). URLs carry
//! a hash of the content, so files can be cached for a year and still change on upgrade.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;

use crate::state::AppState;

#[derive(Embed)]
#[folder = "static/"]
struct Static;

const HTMX: &str = "vendor/htmx-2.0.11.min.js";

/// Cache-busting URLs of the files the layout links to.
pub struct AssetUrls {
    pub css: String,
    pub htmx: String,
    pub logo: String,
    pub generator: String,
    pub share: String,
}

pub static URLS: LazyLock<AssetUrls> = LazyLock::new(|| AssetUrls {
    css: versioned("app.css"),
    htmx: versioned(HTMX),
    logo: versioned("logo.svg"),
    generator: versioned("generator.js"),
    share: versioned("share.js"),
});

fn versioned(path: &str) -> String {
    let hash = Static::get(path)
        .map(|file| file.metadata.sha256_hash())
        .map(|hash| {
            hash[..6]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        })
        .unwrap_or_default();
    format!("/static/{path}?v={hash}")
}

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{*path}", get(serve))
}

async fn serve(Path(path): Path<String>) -> Response {
    let Some(file) = Static::get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = file.metadata.mimetype();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(mime)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        file.data,
    )
        .into_response()
}
