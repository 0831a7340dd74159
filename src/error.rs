//! One error type named by meaning, with its HTTP status, its stable code and the header that
//! goes with it decided here, in one place. It is rendered where it is served: as JSON under
//! `routes::api`, as a page under `routes::pages`. Details of internal failures are logged once,
//! by [`AppError::log`], and never shown.

use std::time::Duration;

use http::{HeaderName, HeaderValue, StatusCode, header};

use crate::ai::AiError;
use crate::billing::stripe_client::StripeError;
use crate::domain::account::FieldError;
use crate::domain::fursona::{self, InvalidFursona};
use crate::domain::photo::PhotoError;
use crate::domain::usage::Usage;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("some fields are invalid")]
    Validation(Vec<FieldError>),
    /// A fursona changed by hand breaks the rules generated ones follow.
    #[error("some fields of the fursona are invalid")]
    InvalidFursona(Vec<(fursona::Field, InvalidFursona)>),
    /// The request body could not be read as the expected type (broken JSON, wrong types, ...).
    #[error("{message}")]
    MalformedRequest { status: StatusCode, message: String },
    /// A choice outside the offered ones (a plan that cannot be bought, say).
    #[error("{0}")]
    InvalidChoice(&'static str),
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
    /// An administrator disabled the account: no sign-in, no token, no session.
    #[error("this account has been disabled; contact the site's administrator")]
    AccountDisabled,
    /// An administrator tried to disable or delete their own account.
    #[error("administrators cannot disable or delete their own account")]
    OwnAccount,
    /// A plan set by hand that Stripe's next event would overwrite.
    #[error(
        "this account has an active Stripe subscription, which sets its plan; send \"force\": \
         true to change it anyway"
    )]
    StripeManaged,
    #[error("too many attempts; try again in {} seconds", retry_after.as_secs().max(1))]
    TooManyRequests { retry_after: Duration },
    #[error("the service is temporarily unavailable; try again shortly")]
    /// The database did not answer (unreachable, or not within `DB_QUERY_TIMEOUT`).
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Shed load: more work of this kind is waiting than can be done soon.
    #[error("the server is busy; try again in a second")]
    Busy,
    #[error("{0}")]
    Photo(#[from] PhotoError),
    #[error("the photo is larger than the limit of {} MiB", max_bytes / (1024 * 1024))]
    UploadTooLarge { max_bytes: usize },
    /// The body came too slowly, or not whole within `UPLOAD_READ_TIMEOUT`.
    #[error("the upload took too long; try again on a better connection")]
    UploadTimedOut,
    #[error("{0}")]
    Ai(#[from] AiError),
    #[error(
        "you have used all {} generations of the {} plan this period; it resets on {}",
        .0.limit.unwrap_or_default(),
        .0.plan.info().name,
        crate::domain::usage::calendar_date(.0.period_end)
    )]
    LimitReached(Usage),
    #[error("payments are not set up on this server; an administrator can change plans")]
    PaymentsNotConfigured,
    #[error("the payment service could not be reached or refused the request; try again")]
    PaymentService(#[source] StripeError),
    #[error("the Stripe signature is missing, invalid or too old")]
    InvalidSignature,
    /// A correctly signed event whose content cannot be read.
    #[error("{0}")]
    UnreadableEvent(String),
    /// A mailed link's token that is used, expired or unknown.
    #[error("this link is invalid, has expired or was already used; ask for a new one")]
    InvalidToken,
    #[error("confirm your email address first: open the link we mailed you, or ask for a new one")]
    EmailUnverified,
    #[error("email is not set up on this server; an administrator can help")]
    MailNotConfigured,
    #[error("something went wrong on our side")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn internal(message: &'static str) -> Self {
        AppError::Internal(anyhow::anyhow!(message))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) | AppError::InvalidFursona(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::MalformedRequest { status, .. } => *status,
            AppError::InvalidChoice(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated(_) | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::CsrfRejected | AppError::WrongPassword => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) | AppError::OwnAccount | AppError::StripeManaged => {
                StatusCode::CONFLICT
            }
            AppError::AccountDisabled => StatusCode::FORBIDDEN,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Photo(PhotoError::Unsupported) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Photo(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::UploadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UploadTimedOut => StatusCode::REQUEST_TIMEOUT,
            AppError::Ai(AiError::UnusablePhoto(_) | AiError::Refused(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::Ai(AiError::Unavailable(_)) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Ai(AiError::BadAnswer(_)) => StatusCode::BAD_GATEWAY,
            AppError::LimitReached(_) => StatusCode::PAYMENT_REQUIRED,
            AppError::PaymentsNotConfigured => StatusCode::SERVICE_UNAVAILABLE,
            AppError::PaymentService(_) => StatusCode::BAD_GATEWAY,
            AppError::InvalidSignature | AppError::UnreadableEvent(_) => StatusCode::BAD_REQUEST,
            AppError::InvalidToken => StatusCode::BAD_REQUEST,
            AppError::EmailUnverified => StatusCode::FORBIDDEN,
            AppError::MailNotConfigured => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// A stable, machine-readable name for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) | AppError::InvalidFursona(_) => "validation_failed",
            AppError::MalformedRequest { status, .. } => match *status {
                StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
                _ => "bad_request",
            },
            AppError::InvalidChoice(_) => "invalid_body",
            AppError::Unauthenticated(_) => "unauthorized",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::CsrfRejected => "csrf_failed",
            AppError::WrongPassword => "wrong_password",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Conflict(_) => "conflict",
            AppError::AccountDisabled => "account_disabled",
            AppError::OwnAccount => "own_account",
            AppError::StripeManaged => "stripe_managed",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::Busy => "busy",
            AppError::Internal(_) => "internal_error",
            AppError::Photo(PhotoError::Unsupported) => "unsupported_media_type",
            AppError::Photo(PhotoError::TooLarge { .. }) => "image_too_large",
            AppError::Photo(_) => "invalid_image",
            AppError::UploadTooLarge { .. } => "payload_too_large",
            AppError::UploadTimedOut => "request_timeout",
            AppError::Ai(AiError::UnusablePhoto(_)) => "photo_unusable",
            AppError::Ai(AiError::Refused(_)) => "ai_refused",
            AppError::Ai(AiError::Unavailable(_)) => "ai_unavailable",
            AppError::Ai(AiError::BadAnswer(_)) => "ai_failed",
            AppError::LimitReached(_) => "limit_reached",
            AppError::PaymentsNotConfigured => "payments_not_configured",
            AppError::PaymentService(_) => "payment_service_error",
            AppError::InvalidSignature => "invalid_signature",
            AppError::UnreadableEvent(_) => "bad_request",
            AppError::InvalidToken => "invalid_token",
            AppError::EmailUnverified => "email_unverified",
            AppError::MailNotConfigured => "mail_not_configured",
        }
    }

    /// Logs what the user is not shown; the renderings call it once per error.
    pub fn log(&self) {
        match self {
            AppError::Internal(e) => tracing::error!(error = format!("{e:#}"), "internal error"),
            AppError::Unavailable(e) => tracing::warn!(error = %e, "database unavailable"),
            AppError::Ai(e) => tracing::warn!(error = ?e, "generation failed"),
            // The decoder's words are for us; the person is told the file cannot be read.
            AppError::Photo(PhotoError::Undecodable(detail)) => {
                tracing::info!(detail = %detail, "an uploaded photo could not be decoded")
            }
            AppError::PaymentService(e) => tracing::warn!(error = %e, "Stripe request failed"),
            _ => {}
        }
    }

    /// The header that goes with the status: how to authenticate, when to retry.
    pub fn header(&self) -> Option<(HeaderName, HeaderValue)> {
        match self {
            AppError::Unauthenticated(_) | AppError::InvalidCredentials => {
                Some((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")))
            }
            AppError::TooManyRequests { retry_after } => Some((
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            )),
            AppError::Unavailable(_) => Some((header::RETRY_AFTER, HeaderValue::from_static("5"))),
            AppError::Busy => Some((header::RETRY_AFTER, HeaderValue::from_static("1"))),
            _ => None,
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
            | sqlx::Error::WorkerCrashed => AppError::Unavailable(e.into()),
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

internal_from!(jsonwebtoken::errors::Error);

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        use tower_sessions::session::Error;
        use tower_sessions::session_store::Error as StoreError;
        match e {
            // The session store's backend is the database: its failures are outages, as for
            // every other query (a bad record would be a decode error).
            Error::Store(StoreError::Backend(reason)) => AppError::Unavailable(reason.into()),
            e => AppError::Internal(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_meaning_has_its_status_and_code() {
        let cases = [
            (AppError::Validation(vec![]), 422, "validation_failed"),
            (AppError::InvalidFursona(vec![]), 422, "validation_failed"),
            (AppError::InvalidChoice("x"), 422, "invalid_body"),
            (AppError::Unauthenticated("x"), 401, "unauthorized"),
            (AppError::InvalidCredentials, 401, "invalid_credentials"),
            (AppError::WrongPassword, 403, "wrong_password"),
            (AppError::CsrfRejected, 403, "csrf_failed"),
            (AppError::NotFound, 404, "not_found"),
            (AppError::MethodNotAllowed, 405, "method_not_allowed"),
            (AppError::Conflict("x"), 409, "conflict"),
            (AppError::AccountDisabled, 403, "account_disabled"),
            (AppError::OwnAccount, 409, "own_account"),
            (AppError::StripeManaged, 409, "stripe_managed"),
            (
                AppError::TooManyRequests {
                    retry_after: Duration::from_secs(3),
                },
                429,
                "too_many_requests",
            ),
            (AppError::Busy, 503, "busy"),
            (
                AppError::Photo(PhotoError::Unsupported),
                415,
                "unsupported_media_type",
            ),
            (
                AppError::UploadTooLarge { max_bytes: 1 },
                413,
                "payload_too_large",
            ),
            (AppError::UploadTimedOut, 408, "request_timeout"),
            (
                AppError::Ai(AiError::Refused("x".into())),
                422,
                "ai_refused",
            ),
            (
                AppError::Ai(AiError::Unavailable("x".into())),
                503,
                "ai_unavailable",
            ),
            (
                AppError::Ai(AiError::BadAnswer("x".into())),
                502,
                "ai_failed",
            ),
            (
                AppError::PaymentsNotConfigured,
                503,
                "payments_not_configured",
            ),
            (AppError::InvalidSignature, 400, "invalid_signature"),
            (AppError::InvalidToken, 400, "invalid_token"),
            (AppError::EmailUnverified, 403, "email_unverified"),
            (AppError::MailNotConfigured, 503, "mail_not_configured"),
            (AppError::internal("x"), 500, "internal_error"),
        ];
        for (error, status, code) in cases {
            assert_eq!(error.status().as_u16(), status, "{error:?}");
            assert_eq!(error.code(), code, "{error:?}");
        }
    }

    #[test]
    fn a_malformed_body_is_named_by_its_status() {
        let malformed = |status| AppError::MalformedRequest {
            status,
            message: String::new(),
        };
        assert_eq!(
            malformed(StatusCode::PAYLOAD_TOO_LARGE).code(),
            "payload_too_large"
        );
        assert_eq!(
            malformed(StatusCode::UNSUPPORTED_MEDIA_TYPE).code(),
            "unsupported_media_type"
        );
        assert_eq!(
            malformed(StatusCode::UNPROCESSABLE_ENTITY).code(),
            "invalid_body"
        );
        assert_eq!(malformed(StatusCode::BAD_REQUEST).code(), "bad_request");
    }

    #[test]
    fn throttling_and_outages_say_when_to_retry() {
        let expected = |name, value| Some((name, HeaderValue::from_static(value)));
        let short = AppError::TooManyRequests {
            retry_after: Duration::from_millis(200),
        };
        assert_eq!(short.header(), expected(header::RETRY_AFTER, "1"));
        assert_eq!(AppError::Busy.header(), expected(header::RETRY_AFTER, "1"));
        assert_eq!(
            AppError::InvalidCredentials.header(),
            expected(header::WWW_AUTHENTICATE, "Bearer")
        );
        assert_eq!(AppError::NotFound.header(), None);
    }
}
