//! The JSON rendering of errors: `{"error": {"code", "message", "fields"?}}`, with the error's
//! status and header.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::AppError;
use crate::routes::respond::with_error;

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

/// Every API error's body; the OpenAPI document refers to it for each error status.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ErrorDetail<'a> {
    /// Stable and machine-readable, such as `limit_reached` or `validation_failed`.
    #[schema(value_type = String)]
    code: &'a str,
    /// For people; may change between versions.
    message: String,
    /// For `validation_failed`: what is wrong with each invalid field.
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<std::collections::BTreeMap<&'static str, String>>,
    /// For `limit_reached`: the plan, its limit and when the period resets.
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    resets_at: Option<time::OffsetDateTime>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        let fields = match &error {
            AppError::Validation(errors) => Some(
                errors
                    .iter()
                    .map(|e| (e.field.as_str(), e.message.to_owned()))
                    .collect(),
            ),
            AppError::InvalidFursona(problems) => Some(
                problems
                    .iter()
                    .map(|(field, problem)| (field.as_str(), problem.to_string()))
                    .collect(),
            ),
            _ => None,
        };
        let limit_reached = match &error {
            AppError::LimitReached(usage) => Some(usage),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: error.code(),
                message: error.to_string(),
                fields,
                plan: limit_reached.map(|u| u.plan.to_string()),
                limit: limit_reached.and_then(|u| u.limit),
                resets_at: limit_reached.map(|u| u.period_end),
            },
        };
        with_error(&error, Json(body))
    }
}

impl IntoResponse for AppError {
    /// Errors raised outside a page or API handler (extractors shared by both) render as JSON.
    fn into_response(self) -> Response {
        ApiError(self).into_response()
    }
}
