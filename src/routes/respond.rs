//! What both renderings of an error share: the error is logged once, and the body (JSON or a
//! page) goes out with the error's status and header.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

pub fn with_error(error: &AppError, body: impl IntoResponse) -> Response {
    error.log();
    let mut response = (error.status(), body).into_response();
    if let Some((name, value)) = error.header() {
        response.headers_mut().insert(name, value);
    }
    // The rest of the body is not read: the connection cannot carry another request.
    if matches!(
        error.status(),
        StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT
    ) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
