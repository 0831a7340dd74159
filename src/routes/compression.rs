//! On-the-fly compression of pages and JSON answers. Only HTML and JSON over [`MIN_BYTES`] are
//! compressed: smaller answers fit in a packet or two anyway and would only pay for the work;
//! images are compressed already; static files and SVG pictures come precompressed with tags of
//! their own; `/metrics` is for a scraper on the local network.
//!
//! Our own rather than tower-http's: these answers are whole in memory, and compressing them in
//! one call lets brotli size its window to the answer (tower-http's streaming encoder zeroed
//! 8 MiB per answer, which made a compressed history page cost three times a plain one).

use axum::body::HttpBody as _;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::middleware::Next;
use axum::response::Response;

use super::{fallback, negotiate};
use crate::error::AppError;
use crate::support::coding::{Coding, Effort};

/// About one TCP segment of payload less the headers: below it compressing saves no round trip.
pub const MIN_BYTES: u64 = 1024;

/// Pages and JSON are built in memory; nothing we render comes near this.
const MAX_BYTES: usize = 16 * 1024 * 1024;

pub async fn compress(request: Request, next: Next) -> Response {
    let coding = negotiate::coding(request.headers(), |_| true);
    let head = request.method() == Method::HEAD;
    let uri: Uri = request.uri().clone();
    let response = next.run(request).await;
    if !worth_it(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    if coding == Coding::Identity || head {
        return Response::from_parts(parts, body);
    }
    let plain = match to_bytes(body, MAX_BYTES).await {
        Ok(plain) => plain,
        Err(e) => {
            let error = AppError::Internal(anyhow::anyhow!("reading an answer to compress: {e}"));
            return fallback::error_for(&uri, error);
        }
    };
    // Under a millisecond for the largest page: done in place, not worth a thread hop.
    let coded = match coding.compress(&plain, Effort::EveryAnswer) {
        Ok(coded) => coded,
        Err(e) => {
            tracing::warn!(error = %e, "compressing an answer failed; sent as it is");
            return Response::from_parts(parts, Body::from(plain));
        }
    };
    parts.headers.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static(coding.token()),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(coded))
}

/// HTML or JSON of a known size over [`MIN_BYTES`], not coded already.
fn worth_it(response: &Response) -> bool {
    let headers = response.headers();
    !headers.contains_key(header::CONTENT_ENCODING)
        && is_html_or_json(headers)
        && response
            .body()
            .size_hint()
            .exact()
            .is_some_and(|size| size >= MIN_BYTES)
}

fn is_html_or_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "text/html" || essence == "application/json"
}
