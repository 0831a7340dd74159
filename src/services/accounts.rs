//! Registering and signing in, shared by the JSON API and the pages: the rules run the same way
//! whichever door the request came through.

use std::net::IpAddr;
use std::sync::Arc;

use tokio::sync::Notify;

use super::links::welcome;
use crate::auth::device::DeviceCookies;
use crate::auth::jwt::Jwt;
use crate::auth::password::{Admission, Passwords};
use crate::auth::throttle::LoginThrottle;
use crate::billing::Payments;
use crate::domain::account::{Email, NewAccount, Password, UserId};
use crate::domain::admin::needs_seen_update;
use crate::domain::usage::UsageClock;
use crate::error::AppError;
use crate::store::ResultExt;
use crate::store::Store;
use crate::store::users::User;

#[derive(Clone)]
pub struct Accounts {
    pub store: Store,
    pub passwords: Passwords,
    pub login_throttle: LoginThrottle,
    /// Browsers that signed in before are throttled on their own (see [`DeviceCookies`]).
    pub device_cookies: DeviceCookies,
    /// Registrations per client address (`REGISTER_MAX_PER_HOUR`), counted like failures.
    pub registrations: LoginThrottle,
    /// Revocations are dated by the tokens' clock.
    pub jwt: Jwt,
    pub clock: UsageClock,
    /// Deleting an account cancels its subscription first.
    pub payments: Option<Payments>,
    /// Email is on: registration writes a welcome mail with a verification link.
    pub mail_enabled: bool,
    /// Wakes the outbox task when a mail is queued.
    pub outbox_wake: Arc<Notify>,
}

impl Accounts {
    /// A new account. Each attempt from `client` that gets as far as hashing counts against
    /// `REGISTER_MAX_PER_HOUR`, whatever its outcome (an existing email costs a hash too).
    pub async fn register(
        &self,
        client: IpAddr,
        email: &str,
        password: String,
        name: &str,
    ) -> Result<User, AppError> {
        self.registrations
            .check_address(client)
            .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
        let account = NewAccount::parse(email, password, name).map_err(AppError::Validation)?;
        let place = self.passwords.admit_registration()?;
        self.registrations.record_address_failure(client);
        let hash = self.passwords.hash(&place, &account.password).await?;
        let now = self.clock.now();
        let welcome = self
            .mail_enabled
            .then(|| welcome(&account.email, account.name.as_str(), now));
        let user = self
            .store
            .create_user(
                &account.email,
                &hash,
                &account.name,
                now,
                welcome.as_ref().map(|(token, mail)| (token, mail)),
            )
            .await
            .on_unique_violation(|| {
                AppError::Conflict("an account with this email already exists")
            })?;
        if welcome.is_some() {
            self.outbox_wake.notify_one();
        }
        Ok(user)
    }

    /// The same answer, after the same work, whether the email is unknown or the password wrong.
    /// `device_cookie` is what the browser presented from an earlier sign-in, if anything: when it
    /// is good for this account, failures count against that browser instead of the account.
    pub async fn login(
        &self,
        client: IpAddr,
        email: &str,
        password: &str,
        device_cookie: Option<&str>,
    ) -> Result<User, AppError> {
        // An unparseable email cannot match an account; it is still throttled and still hashed.
        let normalized = Email::parse(email).ok();
        let account_key = normalized
            .as_ref()
            .map_or_else(|| email.trim().to_lowercase(), |e| e.as_str().to_owned());
        let device = device_cookie.and_then(|c| self.device_cookies.verify(c, &account_key));
        match &device {
            Some(device) => self.login_throttle.check_device(client, device),
            None => self.login_throttle.check(client, &account_key),
        }
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
        // Before the database: a login refused for load costs next to nothing.
        let place = self.passwords.admit()?;

        let credentials = match &normalized {
            Some(email) => self.store.find_credentials(email).await?,
            None => None,
        };
        let stored_hash = credentials.as_ref().map(|c| c.password_hash.as_str());
        if self.passwords.verify(&place, password, stored_hash).await?
            && let Some(credentials) = credentials
        {
            // Said only after the right password: it tells nobody else that the account exists.
            if credentials.user.disabled {
                return Err(AppError::AccountDisabled);
            }
            self.seen(&credentials.user).await;
            return Ok(credentials.user);
        }
        match &device {
            Some(device) => self.login_throttle.record_device_failure(client, device),
            None => self.login_throttle.record_failure(client, &account_key),
        }
        Err(AppError::InvalidCredentials)
    }

    /// A new device cookie for the browser `user` just signed in with.
    pub fn device_cookie(&self, user: &User) -> String {
        self.device_cookies.issue(&user.email)
    }

    /// A new password, after the current one. Every API token and every other page session ends;
    /// the returned user carries the new revocation instant, for a fresh token or session.
    pub async fn change_password(
        &self,
        client: IpAddr,
        user: &User,
        current: &str,
        new: String,
    ) -> Result<User, AppError> {
        let place = self.passwords.admit()?;
        self.confirm_password(&place, client, user, current).await?;
        let password = Password::parse(new).map_err(|e| AppError::Validation(vec![e]))?;
        let hash = self.passwords.hash(&place, &password).await?;
        let revoke_after = self.jwt.revocation_instant(user.tokens_valid_after);
        self.store
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
        &self,
        client: IpAddr,
        user: &User,
        password: &str,
    ) -> Result<(), AppError> {
        self.confirm_password(&self.passwords.admit()?, client, user, password)
            .await?;
        self.cancel_subscription(user.id).await?;
        self.store.delete_user(user.id).await?;
        tracing::info!(user = %user.id, "account deleted");
        Ok(())
    }

    /// Cancels the account's Stripe subscription, if it has one: before an account is deleted
    /// (by its owner or an administrator), so that nobody is charged for a deleted account.
    pub async fn cancel_subscription(&self, user: UserId) -> Result<(), AppError> {
        let billing = self.store.billing(user).await?;
        if let Some(subscription) = billing.stripe_subscription_id {
            let payments = self
                .payments
                .as_ref()
                .ok_or(AppError::PaymentsNotConfigured)?;
            payments
                .client
                .cancel_subscription(&subscription)
                .await
                .map_err(AppError::PaymentService)?;
        }
        Ok(())
    }

    /// Records that the account was just used (signed in, or a request with its token or
    /// session), at most once an hour. A failure costs the request nothing: it is logged.
    pub async fn seen(&self, user: &User) {
        let now = self.clock.now();
        if !needs_seen_update(user.last_seen_at, now) {
            return;
        }
        if let Err(e) = self.store.touch_last_seen(user.id, now).await {
            tracing::warn!(error = %e, user = %user.id, "could not record the account as seen");
        }
    }

    /// Checks the account's password, throttled like logins: a stolen token must not become a way to
    /// guess the password.
    pub(crate) async fn confirm_password(
        &self,
        place: &Admission<'_>,
        client: IpAddr,
        user: &User,
        password: &str,
    ) -> Result<(), AppError> {
        self.login_throttle
            .check(client, &user.email)
            .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
        let email = Email::parse(&user.email).map_err(|e| AppError::Validation(vec![e]))?;
        let stored = self.store.find_credentials(&email).await?;
        let hash = stored.as_ref().map(|c| c.password_hash.as_str());
        if self.passwords.verify(place, password, hash).await? {
            Ok(())
        } else {
            self.login_throttle.record_failure(client, &user.email);
            Err(AppError::WrongPassword)
        }
    }
}
