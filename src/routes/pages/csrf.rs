//! CSRF protection for every state-changing page request: the session's token must come back in
//! the `X-CSRF-Token` header (htmx) or the `csrf_token` form field (plain forms). Otherwise 403,
//! and the handler never runs. Tokens never travel in a URL.
//!
//! A plain multipart upload is not buffered here: on the upload route ([`require_token_first`])
//! the token must be the form's first field, checked as the body is read, before a byte of the
//! photo reaches the handler (see [`token_first`]).

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt, stream};

use super::error::PageError;
use crate::auth::session::{WebSession, constant_time_eq};
use crate::error::AppError;
use crate::state::AppState;

pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "csrf_token";
/// Page forms are short; anything larger is refused before it is parsed.
const FORM_LIMIT: usize = 64 * 1024;
/// The first part of an upload (boundary, headers, a 43-character token) fits well within this;
/// a body that has not shown its token by then is refused.
const TOKEN_PART_LIMIT: usize = 4 * 1024;

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

/// For the upload route: as [`require_token`], except that a multipart body is passed on with
/// its token still to be checked, as its first field, by whoever reads it. Nothing is read here,
/// so a visitor who is turned away, or an oversized upload, never has its body read at all.
pub async fn require_token_first(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method().is_safe() || !content_type_is(request.headers(), "multipart/form-data") {
        return require_token(State(state), request, next).await;
    }
    match guard_upload(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

async fn guard_upload(state: &AppState, request: Request) -> Result<Request, PageError> {
    let (mut parts, body) = request.into_parts();
    let session = WebSession::from_request_parts(&mut parts, state).await?;
    let expected = session
        .existing_csrf_token()
        .await?
        .ok_or(AppError::CsrfRejected)?;
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| multer::parse_boundary(value).ok())
        .ok_or(AppError::CsrfRejected)?;
    // htmx sends the header too (and the hidden field, which is then optional).
    let mode = match header_token(&parts.headers) {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => Mode::Optional,
        Some(_) => return Err(AppError::CsrfRejected.into()),
        None => Mode::Required,
    };
    let body = Body::from_stream(token_first(body, boundary, expected, mode));
    Ok(Request::from_parts(parts, body))
}

/// Returns the request, its body restored, when the token matches.
async fn check(state: &AppState, request: Request) -> Result<Request, PageError> {
    let (mut parts, body) = request.into_parts();
    let session = WebSession::from_request_parts(&mut parts, state).await?;
    let (presented, body) = match header_token(&parts.headers) {
        Some(token) => (Some(token), body),
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// No header: the first field must be the token.
    Required,
    /// The header matched: a leading token field is checked and dropped if there is one.
    Optional,
}

/// The multipart body without its leading `csrf_token` field, which must match `expected`.
/// Only as much is read as it takes to see that field (at most [`TOKEN_PART_LIMIT`]); the rest
/// of the body flows on as it is read. A missing or wrong token ends the stream with
/// [`AppError::CsrfRejected`], which the upload reader reports as such.
fn token_first(
    body: Body,
    boundary: String,
    expected: String,
    mode: Mode,
) -> impl Stream<Item = Result<Bytes, axum::Error>> + Send {
    let mut inner = body.into_data_stream();
    let first = async move {
        let mut buffer = Vec::new();
        loop {
            match split_token_part(&buffer, &boundary) {
                Split::Token { value, rest_at } => {
                    if !constant_time_eq(value, expected.as_bytes()) {
                        return Err(refused());
                    }
                    return Ok((Bytes::from(buffer).slice(rest_at..), inner));
                }
                Split::OtherField if mode == Mode::Optional => {
                    return Ok((Bytes::from(buffer), inner));
                }
                Split::OtherField | Split::Invalid => return Err(refused()),
                Split::NeedMore if buffer.len() >= TOKEN_PART_LIMIT => return Err(refused()),
                Split::NeedMore => {}
            }
            match inner.next().await {
                Some(Ok(chunk)) => buffer.extend_from_slice(&chunk),
                Some(Err(error)) => return Err(error),
                None => return Err(refused()),
            }
        }
    };
    stream::once(first).flat_map(|outcome| match outcome {
        Ok((rest, inner)) => stream::once(async move { Ok(rest) })
            .chain(inner)
            .left_stream(),
        Err(error) => stream::once(async move { Err(error) }).right_stream(),
    })
}

fn refused() -> axum::Error {
    axum::Error::new(AppError::CsrfRejected)
}

#[derive(Debug, PartialEq, Eq)]
enum Split<'a> {
    /// The first field is the token: its value, and where the next part's delimiter starts.
    Token {
        value: &'a [u8],
        rest_at: usize,
    },
    /// The first field is complete enough to see it is something else.
    OtherField,
    Invalid,
    NeedMore,
}

/// Looks at the start of a multipart body for a first field named [`FIELD`].
fn split_token_part<'a>(buffer: &'a [u8], boundary: &str) -> Split<'a> {
    let opening = format!("--{boundary}\r\n");
    if buffer.len() < opening.len() {
        return if opening.as_bytes().starts_with(buffer) {
            Split::NeedMore
        } else {
            Split::Invalid
        };
    }
    if !buffer.starts_with(opening.as_bytes()) {
        return Split::Invalid;
    }
    let after_opening = &buffer[opening.len()..];
    let Some(headers_end) = find(after_opening, b"\r\n\r\n") else {
        return Split::NeedMore;
    };
    let Ok(headers) = std::str::from_utf8(&after_opening[..headers_end]) else {
        return Split::Invalid;
    };
    if !names_token_field(headers) {
        return Split::OtherField;
    }
    let value_start = opening.len() + headers_end + 4;
    let closing = format!("\r\n--{boundary}");
    match find(&buffer[value_start..], closing.as_bytes()) {
        Some(length) => Split::Token {
            value: &buffer[value_start..value_start + length],
            rest_at: value_start + length + 2,
        },
        None => Split::NeedMore,
    }
}

/// The part's headers say `Content-Disposition: form-data; name="csrf_token"` (and no file).
fn names_token_field(headers: &str) -> bool {
    headers.split("\r\n").any(|line| {
        let Some((name, value)) = line.split_once(':') else {
            return false;
        };
        if !name.trim().eq_ignore_ascii_case("content-disposition") {
            return false;
        }
        let params: Vec<&str> = value.split(';').map(str::trim).collect();
        params
            .first()
            .is_some_and(|kind| kind.eq_ignore_ascii_case("form-data"))
            && params
                .iter()
                .any(|p| *p == format!("name=\"{FIELD}\"") || *p == format!("name={FIELD}"))
            && !params.iter().any(|p| p.starts_with("filename"))
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDARY: &str = "XyZ";

    fn body(first_name: &str, value: &str) -> Vec<u8> {
        format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"{first_name}\"\r\n\r\n{value}\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\
             Content-Type: image/png\r\n\r\nPNGDATA\r\n--XyZ--\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn the_token_field_is_found_and_the_rest_starts_at_the_next_delimiter() {
        let bytes = body("csrf_token", "tok");
        let Split::Token { value, rest_at } = split_token_part(&bytes, BOUNDARY) else {
            panic!("a token field");
        };
        assert_eq!(value, b"tok");
        assert!(
            bytes[rest_at..]
                .starts_with(b"--XyZ\r\nContent-Disposition: form-data; name=\"image\"")
        );
    }

    #[test]
    fn a_body_cut_anywhere_inside_the_token_field_asks_for_more() {
        let bytes = body("csrf_token", "tok");
        let end = find(&bytes, b"tok\r\n--XyZ").expect("value") + 5;
        for cut in 0..end {
            assert_eq!(
                split_token_part(&bytes[..cut], BOUNDARY),
                Split::NeedMore,
                "{cut}"
            );
        }
    }

    #[test]
    fn another_first_field_or_framing_is_not_a_token() {
        assert_eq!(
            split_token_part(&body("image", "x"), BOUNDARY),
            Split::OtherField
        );
        assert_eq!(
            split_token_part(&body("csrf_token_x", "x"), BOUNDARY),
            Split::OtherField
        );
        assert_eq!(split_token_part(b"--Other\r\n", BOUNDARY), Split::Invalid);
        assert_eq!(split_token_part(b"garbage", BOUNDARY), Split::Invalid);
        let file = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"; filename=\"t\"\r\n\r\nt\r\n--XyZ";
        assert_eq!(split_token_part(file, BOUNDARY), Split::OtherField);
    }

    async fn collect(
        chunks: Vec<Vec<u8>>,
        expected: &str,
        mode: Mode,
    ) -> Result<Vec<u8>, axum::Error> {
        let inner = Body::from_stream(stream::iter(
            chunks
                .into_iter()
                .map(|c| Ok::<_, std::io::Error>(Bytes::from(c))),
        ));
        let mut out = Vec::new();
        let mut guarded = Box::pin(token_first(
            inner,
            BOUNDARY.to_owned(),
            expected.to_owned(),
            mode,
        ));
        while let Some(chunk) = guarded.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    fn is_refusal(error: &axum::Error) -> bool {
        use std::error::Error;
        error
            .source()
            .and_then(|e| e.downcast_ref::<AppError>())
            .is_some_and(|e| matches!(e, AppError::CsrfRejected))
    }

    #[tokio::test]
    async fn the_right_token_is_dropped_from_the_body_however_it_is_chunked() {
        let bytes = body("csrf_token", "tok");
        let rest_at = find(&bytes, b"tok\r\n").expect("value") + 5;
        for split in [1, 7, 30, bytes.len()] {
            let chunks = bytes.chunks(split).map(<[u8]>::to_vec).collect();
            let out = collect(chunks, "tok", Mode::Required)
                .await
                .expect("accepted");
            assert_eq!(out, bytes[rest_at..].to_vec(), "chunks of {split}");
        }
    }

    #[tokio::test]
    async fn a_wrong_or_missing_token_ends_the_body_with_a_refusal() {
        for (bytes, mode) in [
            (body("csrf_token", "nope"), Mode::Required),
            (body("csrf_token", "nope"), Mode::Optional),
            (body("image", "x"), Mode::Required),
            (b"--XyZ\r\n".to_vec(), Mode::Required),
            (vec![b'-'; 10], Mode::Required),
        ] {
            let error = collect(vec![bytes], "tok", mode)
                .await
                .expect_err("refused");
            assert!(is_refusal(&error), "{error}");
        }
    }

    #[tokio::test]
    async fn a_first_part_that_never_ends_is_refused_after_the_limit() {
        let mut bytes =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'a', TOKEN_PART_LIMIT));
        let error = collect(vec![bytes], "tok", Mode::Required)
            .await
            .expect_err("refused");
        assert!(is_refusal(&error));
    }

    #[tokio::test]
    async fn with_the_header_a_body_without_the_field_passes_whole() {
        let bytes = body("image", "x");
        let out = collect(vec![bytes.clone()], "tok", Mode::Optional)
            .await
            .expect("accepted");
        assert_eq!(out, bytes);
    }
}
