//! Which representation a request asks for: the content coding by `Accept-Encoding` (q-values
//! honoured, identity when nothing offered is acceptable) and whether the client already holds
//! it (`If-None-Match`).

use axum::http::{HeaderMap, header};

use crate::support::coding::Coding;

/// The coding to send, among those `offered` (identity always is): the highest q-value the
/// client gave, ties going to the smaller coding. Without `Accept-Encoding`, identity.
pub fn coding(headers: &HeaderMap, offered: impl Fn(Coding) -> bool) -> Coding {
    let accepted: Vec<(String, u16)> = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(parse_item)
        .collect();
    let weight = |coding: Coding| {
        let named = |token: &str| {
            accepted
                .iter()
                .find(|(t, _)| t == token || (coding == Coding::Gzip && t == "x-gzip"))
                .map(|(_, q)| *q)
        };
        named(coding.token())
            .or_else(|| named("*"))
            // Identity is acceptable unless the client says otherwise (RFC 9110, 12.5.3).
            .unwrap_or(if coding == Coding::Identity { 1 } else { 0 })
    };
    let mut best = (Coding::Identity, 0);
    for coding in Coding::PREFERENCE {
        if coding != Coding::Identity && !offered(coding) {
            continue;
        }
        let q = weight(coding);
        if q > best.1 {
            best = (coding, q);
        }
    }
    best.0
}

/// `gzip;q=0.8` → ("gzip", 800); q-values in thousandths, so they compare exactly.
fn parse_item(item: &str) -> Option<(String, u16)> {
    let mut parts = item.split(';').map(str::trim);
    let token = parts.next().filter(|t| !t.is_empty())?.to_ascii_lowercase();
    let mut q = 1000;
    for param in parts {
        if let Some((name, value)) = param.split_once('=')
            && name.trim().eq_ignore_ascii_case("q")
        {
            let value: f32 = value.trim().parse().ok()?;
            if !(0.0..=1.0).contains(&value) {
                return None;
            }
            q = (value * 1000.0).round() as u16;
        }
    }
    Some((token, q))
}

/// `If-None-Match` names this tag (or `*`), among a list of tags (weak comparison, as the RFC
/// asks for this header).
pub fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag == etag || tag.strip_prefix("W/") == Some(etag))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(name: header::HeaderName, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    fn chosen(accept: &'static str) -> Coding {
        coding(&with(header::ACCEPT_ENCODING, accept), |_| true)
    }

    #[test]
    fn the_best_accepted_coding_wins_by_q_value_then_by_size() {
        assert_eq!(chosen("gzip, deflate, br, zstd"), Coding::Brotli);
        assert_eq!(chosen("gzip"), Coding::Gzip);
        assert_eq!(chosen("x-gzip"), Coding::Gzip);
        assert_eq!(chosen("br;q=0.5, gzip;q=0.9"), Coding::Gzip);
        assert_eq!(chosen("br;q=0, gzip"), Coding::Gzip);
        assert_eq!(chosen("BR ; Q=1"), Coding::Brotli);
        assert_eq!(chosen("*"), Coding::Brotli);
        assert_eq!(chosen("*;q=0.5, br;q=0"), Coding::Gzip);
        assert_eq!(chosen("identity"), Coding::Identity);
        assert_eq!(chosen("deflate"), Coding::Identity);
        assert_eq!(chosen("gzip;q=0.2, identity;q=0.9"), Coding::Identity);
        assert_eq!(coding(&HeaderMap::new(), |_| true), Coding::Identity);
    }

    #[test]
    fn identity_is_the_fallback_when_nothing_offered_is_acceptable() {
        assert_eq!(chosen("identity;q=0"), Coding::Identity);
        assert_eq!(chosen("*;q=0"), Coding::Identity);
        let only_gzip = |c: Coding| c == Coding::Gzip;
        assert_eq!(
            coding(&with(header::ACCEPT_ENCODING, "br"), only_gzip),
            Coding::Identity
        );
        assert_eq!(
            coding(&with(header::ACCEPT_ENCODING, "br, gzip;q=0.5"), only_gzip),
            Coding::Gzip
        );
    }

    #[test]
    fn malformed_items_are_ignored() {
        assert_eq!(chosen("br;q=abc, gzip"), Coding::Gzip);
        assert_eq!(chosen("br;q=2, gzip"), Coding::Gzip);
        assert_eq!(chosen(",,gzip,"), Coding::Gzip);
    }

    #[test]
    fn if_none_match_finds_the_tag_in_a_list() {
        let inm = |v| with(header::IF_NONE_MATCH, v);
        assert!(matches_etag(&inm("\"a\", \"b\""), "\"b\""));
        assert!(matches_etag(&inm("*"), "\"b\""));
        assert!(matches_etag(&inm("W/\"b\""), "\"b\""));
        assert!(!matches_etag(&inm("\"a\""), "\"b\""));
        assert!(!matches_etag(&HeaderMap::new(), "\"b\""));
    }
}
