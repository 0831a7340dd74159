//! The JSON API under `/api`. Bearer tokens only; every error is the JSON body of
//! [`error::ApiError`]. Routes are registered with their OpenAPI description
//! ([`docs`]), served at `/api/openapi.json`.

pub mod account;
mod admin;
mod auth;
pub mod docs;
pub mod error;
pub mod extract;
pub mod fursona;
mod paging;
mod share;
mod subscription;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, header};
use axum::{Extension, Router};
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::state::AppState;
use error::ApiError;

/// Account requests are a few short strings.
const AUTH_BODY_LIMIT: usize = 16 * 1024;

/// Every `/api` route, and `/api/openapi.json` describing exactly these routes.
/// `others` are the `/api` routes that live elsewhere (the photo, the Stripe webhook).
pub fn router(state: &AppState, others: OpenApiRouter<AppState>) -> Router<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.web.cors_allowed_origins.clone()))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([HeaderName::from_static("x-request-id")]);
    let (routes, mut doc) = OpenApiRouter::with_openapi(docs::base())
        .merge(auth::router().layer(DefaultBodyLimit::max(AUTH_BODY_LIMIT)))
        .merge(fursona::router(state))
        .merge(share::router().layer(DefaultBodyLimit::max(AUTH_BODY_LIMIT)))
        .merge(subscription::router())
        .merge(account::router().layer(DefaultBodyLimit::max(AUTH_BODY_LIMIT)))
        .merge(admin::router(state).layer(DefaultBodyLimit::max(AUTH_BODY_LIMIT)))
        .merge(others)
        .routes(routes!(docs::openapi_json))
        .split_for_parts();
    docs::complete(&mut doc);
    let rendered = serde_json::to_vec(&doc).expect("the OpenAPI document serializes");
    routes
        .layer(Extension(docs::Rendered(rendered.into())))
        // Set before the CORS layer so that preflight requests reach CORS instead of a 405.
        .method_not_allowed_fallback(method_not_allowed)
        .layer(cors)
}

async fn method_not_allowed() -> ApiError {
    ApiError(AppError::MethodNotAllowed)
}
