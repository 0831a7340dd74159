//! On-the-fly compression of pages and JSON answers. Only HTML and JSON over [`MIN_BYTES`] are
//! compressed: smaller answers fit in a packet or two anyway and would only pay for the work;
//! images are compressed already; static files and SVG pictures come precompressed with tags of
//! their own; `/metrics` is for a scraper on the local network.

use axum::http::{HeaderMap, header};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};

/// About one TCP segment of payload less the headers: below it compressing saves no round trip.
pub const MIN_BYTES: u64 = 1024;

/// brotli or gzip at level 4: a page is compressed on every request, so speed matters more than
/// the last few percent; brotli's fastest levels (0-1) came out larger than gzip's.
pub fn layer() -> CompressionLayer<impl Predicate> {
    let worth_it = SizeAbove::new(MIN_BYTES).and(
        |_: http::StatusCode, _: http::Version, headers: &HeaderMap, _: &http::Extensions| {
            is_html_or_json(headers)
        },
    );
    // Only the brotli and gzip features are built, so only they are offered.
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(4))
        .compress_when(worth_it)
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
