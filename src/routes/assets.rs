//! Static files, embedded in the binary with the brotli and gzip copies `build.rs` made of them
//! at build time; each request gets the coding it accepts best (see [`negotiate`]), with an
//! `ETag` per coding. URLs carry a hash of the content, so files can be cached for a year and
//! still change on upgrade.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::negotiate;
use crate::state::AppState;
use crate::support::coding::Coding;

/// One file of `static/`.
struct Asset {
    path: &'static str,
    mime: &'static str,
    /// The first 6 bytes of the SHA-256 of the file, in hex.
    hash: &'static str,
    identity: &'static [u8],
    /// Absent when compressing saved too little to be worth decoding.
    brotli: Option<&'static [u8]>,
    gzip: Option<&'static [u8]>,
}

/// Sorted by path (see `build.rs`).
static ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/assets.rs"));

impl Asset {
    fn find(path: &str) -> Option<&'static Asset> {
        ASSETS
            .binary_search_by(|asset| asset.path.cmp(path))
            .ok()
            .map(|i| &ASSETS[i])
    }

    fn bytes(&self, coding: Coding) -> Option<&'static [u8]> {
        match coding {
            Coding::Brotli => self.brotli,
            Coding::Gzip => self.gzip,
            Coding::Identity => Some(self.identity),
        }
    }
}

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
    let hash = Asset::find(path).map_or("", |asset| asset.hash);
    format!("/static/{path}?v={hash}")
}

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{*path}", get(serve))
}

async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = Asset::find(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let coding = negotiate::coding(&headers, |coding| asset.bytes(coding).is_some());
    let etag = format!("\"{}{}\"", asset.hash, coding.etag_suffix());
    let mut response = if negotiate::matches_etag(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = asset
            .bytes(coding)
            .unwrap_or(asset.identity)
            .into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
        if coding != Coding::Identity {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(coding.token()),
            );
        }
        response
    };
    let headers = response.headers_mut();
    // Every hash is hex, so the tag is always a valid header value.
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if asset.brotli.is_some() || asset.gzip.is_some() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}
