//! CSRF protection for every state-changing page request: the session's token must come back in
//! the `X-CSRF-Token` header (htmx), the `csrf_token` form field (plain forms), or, for a plain
//! multipart upload (which is not buffered here), the `csrf_token` query parameter of the form's
//! action. Otherwise 403, and the handler never runs.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::PageError;
use crate::auth::session::WebSession;
use crate::error::AppError;
use crate::state::AppState;

pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "csrf_token";
/// Page forms are short; anything larger is refused before it is parsed.
const FORM_LIMIT: usize = 64 * 1024;

pub async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    match check(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

/// Returns the request, its body restored, when the token matches.
async fn check(state: &AppState, request: Request) -> Result<Request, PageError> {
    let (mut parts, body) = request.into_parts();
    let session = WebSession::from_request_parts(&mut parts, state).await?;
    let (presented, body) = match header_token(&parts.headers) {
        Some(token) => (Some(token), body),
        None if content_type_is(&parts.headers, "multipart/form-data") => {
            let token = parts.uri.query().and_then(|query| {
                url::form_urlencoded::parse(query.as_bytes())
                    .find(|(key, _)| key == FIELD)
                    .map(|(_, value)| value.into_owned())
            });
            (token, body)
        }
        None if content_type_is(&parts.headers, "application/x-www-form-urlencoded") => {
            let bytes =
                to_bytes(body, FORM_LIMIT)
                    .await
                    .map_err(|_| AppError::MalformedRequest {
                        status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                        message: "the form is too large".into(),
                    })?;
            let token = url::form_urlencoded::parse(&bytes)
                .find(|(key, _)| key == FIELD)
                .map(|(_, value)| value.into_owned());
            (token, Body::from(bytes))
        }
        None => (None, body),
    };
    match presented {
        Some(token) if session.csrf_matches(&token).await? => Ok(Request::from_parts(parts, body)),
        _ => Err(AppError::CsrfRejected.into()),
    }
}

fn header_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

fn content_type_is(headers: &HeaderMap, expected: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|ct| ct.starts_with(expected))
}
