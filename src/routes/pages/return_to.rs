//! After signing in, back to the page that asked for it: a visitor sent to log in from a page
//! that needs an account carries that page along as `?next=`, through the login or register
//! form. Only a path on this site is ever followed, so the parameter cannot send anyone
//! elsewhere (no open redirect).

use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

/// The query parameter and form field.
pub const PARAM: &str = "next";
/// Longer is not a link anyone followed.
const MAX_LEN: usize = 2048;

/// Marks the redirect of a page that needs sign-in (set by `PageError`), for [`remember`].
#[derive(Clone, Copy)]
pub struct SignInNeeded;

/// `raw` when it is a path on this site: it starts with one `/` and holds no backslash,
/// whitespace or control character, so no browser reads it as another host
/// (`//evil`, `/\evil`) or a scheme (`https:`, `javascript:`).
pub fn same_site_path(raw: &str) -> Option<&str> {
    let safe = raw.len() <= MAX_LEN
        && raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    safe.then_some(raw)
}

/// Where to go once signed in: `next` if it is safe, else the start page.
pub fn destination(next: Option<&str>) -> &str {
    next.and_then(same_site_path).unwrap_or("/")
}

/// `?next=...` for links and forms that pass the destination on, or nothing.
pub fn query(next: Option<&str>) -> String {
    next.and_then(same_site_path)
        .map(|path| {
            let encoded: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
            format!("?{PARAM}={encoded}")
        })
        .unwrap_or_default()
}

/// A page opened without signing in sends the visitor to `/login?next=<that page>`. Only for
/// GET: a form posted after the session ended cannot be replayed by a redirect.
pub async fn remember(request: Request, next: Next) -> Response {
    let wanted = (request.method() == Method::GET)
        .then(|| {
            request
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str().to_owned())
        })
        .flatten();
    let mut response = next.run(request).await;
    if response.extensions().get::<SignInNeeded>().is_some()
        && let Some(location) = wanted
            .as_deref()
            .map(|path| format!("/login{}", query(Some(path))))
            .and_then(|location| HeaderValue::from_str(&location).ok())
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_this_site_are_followed() {
        for path in [
            "/",
            "/history",
            "/fursonas/0190?x=1&y=%2F",
            "/account#email",
        ] {
            assert_eq!(same_site_path(path), Some(path));
        }
    }

    #[test]
    fn anything_that_could_leave_the_site_is_not() {
        for bad in [
            "",
            "history",
            "//evil.example",
            "//evil.example/path",
            "/\\evil.example",
            "/\\/evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/ok\r\nLocation: https://evil.example",
            "/tab\there",
            "/nul\0",
            " /leading-space",
        ] {
            assert_eq!(same_site_path(bad), None, "{bad:?}");
            assert_eq!(destination(Some(bad)), "/");
        }
        assert_eq!(same_site_path(&format!("/{}", "a".repeat(MAX_LEN))), None);
    }

    #[test]
    fn the_query_is_encoded() {
        assert_eq!(query(Some("/a?b=c&d")), "?next=%2Fa%3Fb%3Dc%26d");
        assert_eq!(query(Some("//evil")), "");
        assert_eq!(query(None), "");
    }
}
