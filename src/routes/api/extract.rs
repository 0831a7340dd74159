//! Extractors whose failures answer in the API's JSON error shape.

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::auth::jwt::Claims;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::users::{Account, User};

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
        let claims = bearer_claims(parts, state)?;
        let user = state
            .store
            .find_user(claims.user_id())
            .await?
            .ok_or(NO_LONGER_VALID)?;
        Ok(ApiUser(admit(state, &claims, user).await?))
    }
}

/// [`ApiUser`] with the account's subscription, read in the same query: for answers that show
/// both, one database round trip instead of two.
pub struct ApiAccount(pub Account);

impl FromRequestParts<AppState> for ApiAccount {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let claims = bearer_claims(parts, state)?;
        let Account { user, subscription } = state
            .store
            .find_account(claims.user_id())
            .await?
            .ok_or(NO_LONGER_VALID)?;
        let user = admit(state, &claims, user).await?;
        Ok(ApiAccount(Account { user, subscription }))
    }
}

/// The claims of the request's bearer token, if it has a valid one.
fn bearer_claims(parts: &Parts, state: &AppState) -> Result<Claims, ApiError> {
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or(AppError::Unauthenticated(
            "sign in: send an Authorization: Bearer token",
        ))?;
    Ok(state
        .jwt
        .verify(token.trim())
        .map_err(|_| AppError::Unauthenticated("the token is invalid or has expired"))?)
}

/// A token whose account is gone or has revoked it.
const NO_LONGER_VALID: AppError =
    AppError::Unauthenticated("the token is no longer valid; sign in again");

/// The token's user, if the account is enabled and has not revoked the token; recorded as seen.
async fn admit(state: &AppState, claims: &Claims, user: User) -> Result<User, ApiError> {
    // Said before the revocation (disabling revokes too), so the owner learns why; it also
    // covers a token issued in the moment between a sign-in's check and the disabling.
    if user.disabled {
        return Err(AppError::AccountDisabled.into());
    }
    if !claims.is_current_for(&user) {
        return Err(NO_LONGER_VALID.into());
    }
    state.accounts.seen(&user).await;
    Ok(user)
}
