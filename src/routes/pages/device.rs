//! The device cookie on the wire (what it means is in `auth::device`): kept a year, sent only to
//! this site's own pages, never readable by scripts.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use tower_sessions::cookie::{Cookie, SameSite};

const MAX_AGE: time::Duration = time::Duration::days(365);

/// `__Host-` (Secure, host-only, path /) whenever the site is served over HTTPS.
fn name(https: bool) -> &'static str {
    if https {
        "__Host-fursona_device"
    } else {
        "fursona_device"
    }
}

/// The device cookie the browser sent, if any.
pub fn presented(headers: &HeaderMap, https: bool) -> Option<String> {
    let name = name(https);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}

/// Gives the browser a new device cookie.
pub fn give(response: &mut Response, value: String, https: bool) {
    let cookie = Cookie::build((name(https), value))
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Strict)
        .max_age(MAX_AGE)
        .build();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
