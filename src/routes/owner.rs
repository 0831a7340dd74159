//! The owner of a fursona, by either credential: a bearer token when one is sent (API
//! clients), else the session cookie (a page's `<img>`). The routes of a fursona's files take
//! this, so the same URL works in both.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::api::error::ApiError;
use super::api::extract::ApiUser;
use super::pages::visitor::Visitor;
use crate::domain::account::UserId;
use crate::error::AppError;
use crate::state::AppState;

/// The user behind a bearer token if one is sent, else behind the session cookie.
pub struct Owner(pub UserId);

impl FromRequestParts<AppState> for Owner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
            return Ok(Owner(user.id));
        }
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError(e.0))?;
        visitor
            .user
            .map(|user| Owner(user.id))
            .ok_or(ApiError(AppError::Unauthenticated(
                "sign in, or send an Authorization: Bearer token",
            )))
    }
}
