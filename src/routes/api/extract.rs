//! Extractors whose failures answer in the API's JSON error shape.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::auth::jwt::Claims;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::users::{Account, User};

/// `axum::Json`, but broken JSON, wrong types, missing fields, a wrong content type or an
/// oversized body come back as our JSON error with axum's status (400, 415, 422, 413); and a body
/// that is not a JSON object is refused (422), since serde reads a struct from an array of its
/// fields too (`["ada@example.com", "password"]` as a login) and every body of this API is an
/// object.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        // Before the body is read, as axum::Json does.
        if !is_json(req.headers()) {
            return Err(malformed(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expected request with `Content-Type: application/json`".to_owned(),
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| malformed(rejection.status(), rejection.body_text()))?;
        let Json(value) = Json::<T>::from_bytes(&bytes)
            .map_err(|rejection| malformed(rejection.status(), rejection.body_text()))?;
        if bytes.trim_ascii_start().first() != Some(&b'{') {
            return Err(malformed(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the body must be a JSON object".to_owned(),
            ));
        }
        Ok(ApiJson(value))
    }
}

/// `application/json` or any `+json` type, as `axum::Json` accepts.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase())
        .is_some_and(|essence| {
            essence
                .strip_prefix("application/")
                .is_some_and(|subtype| subtype == "json" || subtype.ends_with("+json"))
        })
}

fn malformed(status: StatusCode, message: String) -> ApiError {
    ApiError(AppError::MalformedRequest { status, message })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_application_json_or_a_json_suffix_whatever_the_parameters() {
        let headers = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().expect("header"));
            headers
        };
        for yes in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ] {
            assert!(is_json(&headers(yes)), "{yes}");
        }
        for no in [
            "text/json",
            "application/jsonx",
            "text/plain",
            "multipart/form-data",
        ] {
            assert!(!is_json(&headers(no)), "{no}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }
}
