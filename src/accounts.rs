//! Registering and signing in, shared by the JSON API and the pages: the rules run the same way
//! whichever door the request came through.

use std::net::IpAddr;

use crate::domain::account::{Email, NewAccount};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::ResultExt;
use crate::store::users::User;

pub async fn register(
    state: &AppState,
    email: &str,
    password: String,
    name: &str,
) -> Result<User, AppError> {
    let account = NewAccount::parse(email, password, name).map_err(AppError::Validation)?;
    let hash = state.passwords.hash(&account.password).await?;
    state
        .store
        .create_user(&account.email, &hash, &account.name, state.clock.now())
        .await
        .on_unique_violation(|| AppError::Conflict("an account with this email already exists"))
}

/// The same answer, after the same work, whether the email is unknown or the password wrong.
pub async fn login(
    state: &AppState,
    client: IpAddr,
    email: &str,
    password: &str,
) -> Result<User, AppError> {
    // An unparseable email cannot match an account; it is still throttled and still hashed.
    let normalized = Email::parse(email).ok();
    let account_key = normalized
        .as_ref()
        .map_or_else(|| email.trim().to_lowercase(), |e| e.as_str().to_owned());
    state
        .login_throttle
        .check(client, &account_key)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;

    let credentials = match &normalized {
        Some(email) => state.store.find_credentials(email).await?,
        None => None,
    };
    let stored_hash = credentials.as_ref().map(|c| c.password_hash.as_str());
    if state.passwords.verify(password, stored_hash).await?
        && let Some(credentials) = credentials
    {
        return Ok(credentials.user);
    }
    state.login_throttle.record_failure(client, &account_key);
    Err(AppError::InvalidCredentials)
}
