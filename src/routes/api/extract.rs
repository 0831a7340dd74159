//! Extractors whose failures answer in the API's JSON error shape.

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::users::User;

/// `axum::Json`, but broken JSON, wrong types, missing fields, a wrong content type or an
/// oversized body come back as our JSON error with axum's status (400, 415, 422, 413).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(AppError::MalformedRequest {
                status: rejection.status(),
                message: rejection.body_text(),
            })),
        }
    }
}

/// The user named by a valid, unrevoked bearer token. Cookies are ignored here.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthenticated(
                "sign in: send an Authorization: Bearer token",
            ))?;
        let claims = state
            .jwt
            .verify(token.trim())
            .map_err(|_| AppError::Unauthenticated("the token is invalid or has expired"))?;
        let user =
            state
                .store
                .find_user(claims.user_id())
                .await?
                .ok_or(AppError::Unauthenticated(
                    "the token is no longer valid; sign in again",
                ))?;
        // Said before the revocation (disabling revokes too), so the owner learns why; it also
        // covers a token issued in the moment between a sign-in's check and the disabling.
        if user.disabled {
            return Err(AppError::AccountDisabled.into());
        }
        if !claims.is_current_for(&user) {
            return Err(
                AppError::Unauthenticated("the token is no longer valid; sign in again").into(),
            );
        }
        state.accounts.seen(&user).await;
        Ok(ApiUser(user))
    }
}
