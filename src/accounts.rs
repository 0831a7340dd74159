//! Registering and signing in, shared by the JSON API and the pages: the rules run the same way
//! whichever door the request came through.

use std::net::IpAddr;

use crate::auth::jwt::Jwt;
use crate::auth::password::Admission;
use crate::domain::account::{Email, NewAccount, Password};
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
    let place = state.passwords.admit()?;
    let hash = state.passwords.hash(&place, &account.password).await?;
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
    // Before the database: a login refused for load costs next to nothing.
    let place = state.passwords.admit()?;

    let credentials = match &normalized {
        Some(email) => state.store.find_credentials(email).await?,
        None => None,
    };
    let stored_hash = credentials.as_ref().map(|c| c.password_hash.as_str());
    if state
        .passwords
        .verify(&place, password, stored_hash)
        .await?
        && let Some(credentials) = credentials
    {
        return Ok(credentials.user);
    }
    state.login_throttle.record_failure(client, &account_key);
    Err(AppError::InvalidCredentials)
}

/// A new password, after the current one. Every API token and every other page session ends;
/// the returned user carries the new revocation instant, for a fresh token or session.
pub async fn change_password(
    state: &AppState,
    client: IpAddr,
    user: &User,
    current: &str,
    new: String,
) -> Result<User, AppError> {
    let place = state.passwords.admit()?;
    confirm_password(state, &place, client, user, current).await?;
    let password = Password::parse(new).map_err(|e| AppError::Validation(vec![e]))?;
    let hash = state.passwords.hash(&place, &password).await?;
    let revoke_after = Jwt::revocation_instant();
    state
        .store
        .change_password(user.id, &hash, revoke_after)
        .await?;
    Ok(User {
        tokens_valid_after: revoke_after,
        ..user.clone()
    })
}

/// Deletes the account after its password: an active Stripe subscription is cancelled first (if
/// that fails nothing is deleted), then the account and everything that hangs off it.
pub async fn delete_account(
    state: &AppState,
    client: IpAddr,
    user: &User,
    password: &str,
) -> Result<(), AppError> {
    confirm_password(state, &state.passwords.admit()?, client, user, password).await?;
    let billing = state.store.billing(user.id).await?;
    if let Some(subscription) = billing.stripe_subscription_id {
        let payments = state
            .payments
            .as_ref()
            .ok_or(AppError::PaymentsNotConfigured)?;
        payments
            .client
            .cancel_subscription(&subscription)
            .await
            .map_err(AppError::PaymentService)?;
    }
    state.store.delete_user(user.id).await?;
    tracing::info!(user = %user.id, "account deleted");
    Ok(())
}

/// Checks the account's password, throttled like logins: a stolen token must not become a way to
/// guess the password.
async fn confirm_password(
    state: &AppState,
    place: &Admission<'_>,
    client: IpAddr,
    user: &User,
    password: &str,
) -> Result<(), AppError> {
    state
        .login_throttle
        .check(client, &user.email)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let email = Email::parse(&user.email).map_err(|e| AppError::Validation(vec![e]))?;
    let stored = state.store.find_credentials(&email).await?;
    let hash = stored.as_ref().map(|c| c.password_hash.as_str());
    if state.passwords.verify(place, password, hash).await? {
        Ok(())
    } else {
        state.login_throttle.record_failure(client, &user.email);
        Err(AppError::WrongPassword)
    }
}
