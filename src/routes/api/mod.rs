//! The JSON API under `/api`. Bearer tokens only; every error is the JSON body of
//! [`crate::error::ApiError`].

pub mod account;
mod auth;
pub mod extract;
pub mod fursona;
mod subscription;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::{ApiError, AppError};
use crate::state::AppState;

/// Account requests are a few short strings.
const AUTH_BODY_LIMIT: usize = 16 * 1024;

pub fn router(state: &AppState) -> Router<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.config.cors_allowed_origins.clone()))
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([HeaderName::from_static("x-request-id")]);
    Router::new()
        .merge(auth::router().layer(DefaultBodyLimit::max(AUTH_BODY_LIMIT)))
        .merge(fursona::router(state))
        .merge(subscription::router())
        .merge(account::router().layer(DefaultBodyLimit::max(AUTH_BODY_LIMIT)))
        // Set before the CORS layer so that preflight requests reach CORS instead of a 405.
        .method_not_allowed_fallback(method_not_allowed)
        .layer(cors)
}

async fn method_not_allowed() -> ApiError {
    ApiError(AppError::MethodNotAllowed)
}
