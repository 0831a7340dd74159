//! Errors raised before a handler of one area could take over (no route matched, a path that
//! names nothing): JSON under `/api`, a page elsewhere.

use axum::http::Uri;
use axum::response::{IntoResponse, Response};

use super::api::error::ApiError;
use super::pages::error::PageError;
use crate::error::AppError;

pub fn error_for(uri: &Uri, error: AppError) -> Response {
    if is_api(uri) {
        ApiError(error).into_response()
    } else {
        PageError(error).into_response()
    }
}

fn is_api(uri: &Uri) -> bool {
    uri.path() == "/api" || uri.path().starts_with("/api/")
}

/// 404 as JSON under `/api`, as a page elsewhere.
pub async fn not_found(uri: Uri) -> Response {
    error_for(&uri, AppError::NotFound)
}

pub async fn method_not_allowed(uri: Uri) -> Response {
    error_for(&uri, AppError::MethodNotAllowed)
}
