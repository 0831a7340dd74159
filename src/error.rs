//! One error type named by meaning. Its status is decided in one place; it renders as JSON for the
//! API ([`ApiError`]) and as a page for browsers ([`PageError`]). Details of internal failures are
//! logged once, here, and never shown.

use std::time::Duration;

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::ai::AiError;
use crate::billing::stripe_client::StripeError;
use crate::domain::account::{Field, FieldError};
use crate::domain::photo::PhotoError;
use crate::domain::usage::Usage;
use crate::routes::pages::layout::Layout;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("some fields are invalid")]
    Validation(Vec<FieldError>),
    /// The request body could not be read as the expected type (broken JSON, wrong types, ...).
    #[error("{message}")]
    MalformedRequest { status: StatusCode, message: String },
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error("wrong email or password")]
    InvalidCredentials,
    /// A signed-in user confirming an action with a password that is not theirs.
    #[error("that is not your current password")]
    WrongPassword,
    #[error("the form has expired or did not come from this site; reload the page and try again")]
    CsrfRejected,
    #[error("not found")]
    NotFound,
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(&'static str),
    #[error("too many attempts; try again in {} seconds", retry_after.as_secs().max(1))]
    TooManyRequests { retry_after: Duration },
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable(#[source] sqlx::Error),
    /// Shed load: more work of this kind is waiting than can be done soon.
    #[error("the server is busy; try again in a second")]
    Busy,
    #[error("{0}")]
    Photo(#[from] PhotoError),
    #[error("the photo is larger than the limit of {} MiB", max_bytes / (1024 * 1024))]
    UploadTooLarge { max_bytes: usize },
    #[error("{0}")]
    Ai(#[from] AiError),
    #[error(
        "you have used all {} generations of the {} plan this period; it resets on {}",
        .0.limit.unwrap_or_default(),
        .0.plan,
        .0.period_end.date()
    )]
    LimitReached(Usage),
    #[error("payments are not set up on this server; an administrator can change plans")]
    PaymentsNotConfigured,
    #[error("the payment service could not be reached or refused the request; try again")]
    PaymentService(#[source] StripeError),
    #[error("the Stripe signature is missing, invalid or too old")]
    InvalidSignature,
    #[error("something went wrong on our side")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn internal(message: &'static str) -> Self {
        AppError::Internal(anyhow::anyhow!(message))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::MalformedRequest { status, .. } => *status,
            AppError::Unauthenticated(_) | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::CsrfRejected | AppError::WrongPassword => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Photo(PhotoError::Unsupported) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Photo(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::UploadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Ai(AiError::UnusablePhoto(_) | AiError::Refused(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::Ai(AiError::Unavailable(_)) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Ai(AiError::BadAnswer(_)) => StatusCode::BAD_GATEWAY,
            AppError::LimitReached(_) => StatusCode::PAYMENT_REQUIRED,
            AppError::PaymentsNotConfigured => StatusCode::SERVICE_UNAVAILABLE,
            AppError::PaymentService(_) => StatusCode::BAD_GATEWAY,
            AppError::InvalidSignature => StatusCode::BAD_REQUEST,
        }
    }

    /// A stable, machine-readable name for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::MalformedRequest { status, .. } => match *status {
                StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
                _ => "bad_request",
            },
            AppError::Unauthenticated(_) => "unauthorized",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::CsrfRejected => "csrf_failed",
            AppError::WrongPassword => "wrong_password",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::Busy => "busy",
            AppError::Internal(_) => "internal_error",
            AppError::Photo(PhotoError::Unsupported) => "unsupported_media_type",
            AppError::Photo(PhotoError::TooLarge { .. }) => "image_too_large",
            AppError::Photo(_) => "invalid_image",
            AppError::UploadTooLarge { .. } => "payload_too_large",
            AppError::Ai(AiError::UnusablePhoto(_)) => "photo_unusable",
            AppError::Ai(AiError::Refused(_)) => "ai_refused",
            AppError::Ai(AiError::Unavailable(_)) => "ai_unavailable",
            AppError::Ai(AiError::BadAnswer(_)) => "ai_failed",
            AppError::LimitReached(_) => "limit_reached",
            AppError::PaymentsNotConfigured => "payments_not_configured",
            AppError::PaymentService(_) => "payment_service_error",
            AppError::InvalidSignature => "invalid_signature",
        }
    }

    /// Logs what the user is not shown, once.
    fn log(&self) {
        match self {
            AppError::Internal(e) => tracing::error!(error = format!("{e:#}"), "internal error"),
            AppError::Unavailable(e) => tracing::warn!(error = %e, "database unavailable"),
            AppError::Ai(e) => tracing::warn!(error = ?e, "generation failed"),
            AppError::PaymentService(e) => tracing::warn!(error = %e, "Stripe request failed"),
            _ => {}
        }
    }

    /// `body` (a page or JSON) with this error's status and headers.
    pub fn respond_with(&self, body: impl IntoResponse) -> Response {
        self.log();
        let mut response = (self.status(), body).into_response();
        self.headers(&mut response);
        response
    }

    /// Headers that go with the status: how to authenticate, when to retry.
    fn headers(&self, response: &mut Response) {
        let headers = response.headers_mut();
        match self {
            AppError::Unauthenticated(_) | AppError::InvalidCredentials => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            AppError::TooManyRequests { retry_after } => {
                let secs = retry_after.as_secs().max(1);
                headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            AppError::Unavailable(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            AppError::Busy => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => AppError::Unavailable(e),
            e => AppError::Internal(e.into()),
        }
    }
}

macro_rules! internal_from {
    ($($source:ty),+ $(,)?) => {$(
        impl From<$source> for AppError {
            fn from(e: $source) -> Self {
                AppError::Internal(e.into())
            }
        }
    )+};
}

impl From<crate::auth::password::HashError> for AppError {
    fn from(e: crate::auth::password::HashError) -> Self {
        match e {
            crate::auth::password::HashError::Busy => AppError::Busy,
            e => AppError::Internal(e.into()),
        }
    }
}

internal_from!(
    tower_sessions::session::Error,
    jsonwebtoken::errors::Error,
    askama::Error,
);

/// The JSON rendering: `{"error": {"code", "message", "fields"?}}`.
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
    #[schema(value_type = Option<std::collections::BTreeMap<String, String>>)]
    fields: Option<std::collections::BTreeMap<Field, &'a str>>,
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
            AppError::Validation(errors) => {
                Some(errors.iter().map(|e| (e.field, e.message)).collect())
            }
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
        error.respond_with(Json(body))
    }
}

/// The page rendering: a readable message inside the site's layout.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    title: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let error = self.0;
        if matches!(error, AppError::Unauthenticated(_)) {
            return axum::response::Redirect::to("/login").into_response();
        }
        let page = ErrorPage {
            layout: Layout::anonymous(),
            title: error.status().canonical_reason().unwrap_or("Error"),
            message: capitalized(&error.to_string()),
        };
        match page.render() {
            Ok(html) => error.respond_with(axum::response::Html(html)),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                let text = error.to_string();
                error.respond_with(text)
            }
        }
    }
}

impl IntoResponse for AppError {
    /// Errors raised outside a page or API handler (extractors shared by both) render as JSON.
    fn into_response(self) -> Response {
        ApiError(self).into_response()
    }
}

/// Sentences for people start with a capital letter; API messages stay as they are.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
