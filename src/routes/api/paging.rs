//! The query string of a paged list (`limit`, `cursor`), read the same way by every list: an
//! unreadable query is a 400, a limit or cursor out of range a 422, both in the API's shape.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;

use crate::error::AppError;

/// The largest page any list serves.
pub const MAX_PAGE: u32 = 100;

/// The query, or a 400 saying why it cannot be read.
pub fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, AppError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| AppError::MalformedRequest {
            status: StatusCode::BAD_REQUEST,
            message: e.body_text(),
        })
}

/// `limit` from 1 to [`MAX_PAGE`], `default` when absent.
pub fn limit(text: Option<&str>, default: u32) -> Result<u32, AppError> {
    match text {
        None => Ok(default),
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| invalid(format!("limit must be a whole number from 1 to {MAX_PAGE}"))),
    }
}

/// `cursor` as the list's cursor type, or a 422 when it cannot be one.
pub fn cursor<C>(
    text: Option<&str>,
    parse: impl Fn(&str) -> Option<C>,
) -> Result<Option<C>, AppError> {
    text.map(|text| {
        parse(text)
            .ok_or_else(|| invalid("cursor must be the next_cursor of a previous page".into()))
    })
    .transpose()
}

fn invalid(message: String) -> AppError {
    AppError::MalformedRequest {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message,
    }
}
