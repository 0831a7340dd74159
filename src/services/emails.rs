//! The use cases that mail a link, shared by the JSON API and the pages: forgotten passwords,
//! address verification and address changes. Each writes its mail to the outbox in the same
//! transaction as the token it carries, and wakes the outbox task; nothing here waits for SMTP.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::accounts::Accounts;
use super::links::new_token;
use crate::auth::throttle::{LoginThrottle, ThrottleConfig};
use crate::domain::account::{Email, Password};
use crate::domain::mail::{Mail, Purpose, token_hash};
use crate::error::AppError;
use crate::store::mail::{Confirmed, NewToken, Outgoing};
use crate::store::users::User;

/// Reset mails allowed per address, and per client address, within [`RESET_WINDOW`].
pub const RESETS_PER_WINDOW: u32 = 5;
pub const RESET_WINDOW: Duration = Duration::from_secs(3600);
/// A new verification link at most this often.
pub const RESEND_EVERY: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Emails {
    accounts: Accounts,
    /// Email is on (`SMTP_URL` is set).
    enabled: bool,
    require_verified: bool,
    reset_throttle: LoginThrottle,
    /// Wakes the outbox task when a mail is queued.
    wake: Arc<Notify>,
}

/// What a verification link did, for the page that opened it.
#[derive(Debug)]
pub enum Opened {
    Verified(User),
    EmailChanged(User),
}

impl Emails {
    pub fn new(
        accounts: Accounts,
        enabled: bool,
        require_verified: bool,
        wake: Arc<Notify>,
    ) -> Self {
        let reset_throttle = LoginThrottle::new(
            ThrottleConfig {
                max_failures: RESETS_PER_WINDOW,
                window: RESET_WINDOW,
            },
            accounts.clock.clock(),
        );
        Emails {
            accounts,
            enabled,
            require_verified,
            reset_throttle,
            wake,
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// `REQUIRE_VERIFIED_EMAIL`: generating waits for a verified address.
    pub fn require_verified(&self) -> bool {
        self.require_verified
    }

    fn on(&self) -> Result<(), AppError> {
        if self.enabled {
            Ok(())
        } else {
            Err(AppError::MailNotConfigured)
        }
    }

    /// Mails a reset link if the address has an account. The caller hears the same either way,
    /// after the same work: the lookup and the mail happen after the answer, in a task.
    pub fn forgot_password(&self, client: IpAddr, email: &str) -> Result<(), AppError> {
        self.on()?;
        // Whether a string is an address says nothing about whether it has an account.
        let email = Email::parse(email).map_err(|e| AppError::Validation(vec![e]))?;
        self.reset_throttle
            .check(client, email.as_str())
            .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
        self.reset_throttle.record_failure(client, email.as_str());
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(e) = this.send_reset_link(&email).await {
                e.log();
                tracing::warn!("a password reset mail could not be queued");
            }
        });
        Ok(())
    }

    async fn send_reset_link(&self, email: &Email) -> Result<(), AppError> {
        let Some(credentials) = self.accounts.store.find_credentials(email).await? else {
            return Ok(());
        };
        self.queue_reset(&credentials.user).await?;
        Ok(())
    }

    /// Queues a reset mail with a fresh token (voiding earlier ones) and returns the token.
    async fn queue_reset(&self, user: &User) -> Result<String, AppError> {
        let (token, new) = self.new_token(Purpose::Reset, None);
        let outgoing = Outgoing {
            recipient: user.email.clone(),
            mail: Mail::PasswordReset {
                name: user.name.clone(),
                reset_token: token.clone(),
            },
        };
        self.accounts
            .store
            .queue_mail(user.id, Some(&new), &outgoing, self.accounts.clock.now())
            .await?;
        self.wake.notify_one();
        Ok(token)
    }

    /// Whether a reset link can still be used, for the page that shows its form.
    pub async fn reset_token_is_live(&self, token: &str) -> Result<bool, AppError> {
        let now = self.accounts.clock.now();
        Ok(self
            .accounts
            .store
            .token_is_live(&token_hash(token), Purpose::Reset, now)
            .await?)
    }

    /// Sets a new password with a reset token; every other token and page session of the account
    /// ends. Returns the user with the new revocation instant, to sign in with.
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: String,
    ) -> Result<User, AppError> {
        let hash = token_hash(token);
        let now = self.accounts.clock.now();
        if !self
            .accounts
            .store
            .token_is_live(&hash, Purpose::Reset, now)
            .await?
        {
            return Err(AppError::InvalidToken);
        }
        let password = Password::parse(new_password).map_err(|e| AppError::Validation(vec![e]))?;
        let passwords = &self.accounts.passwords;
        let place = passwords.admit()?;
        let password_hash = passwords.hash(&place, &password).await?;
        // The account is known only from the token, inside the statement: revoke from now.
        let revoke_after = self.accounts.jwt.revocation_instant(now);
        let user = self
            .accounts
            .store
            .reset_password(&hash, &password_hash, revoke_after, now)
            .await?
            .ok_or(AppError::InvalidToken)?;
        let user = self
            .accounts
            .store
            .find_user(user)
            .await?
            .ok_or(AppError::InvalidToken)?;
        tracing::info!(user = %user.id, "password reset by mailed link");
        // The new password stands, but it signs nobody in while an administrator says no.
        if user.disabled {
            return Err(AppError::AccountDisabled);
        }
        Ok(user)
    }

    /// Opens a verification or address change link.
    pub async fn confirm(&self, token: &str) -> Result<Opened, AppError> {
        let now = self.accounts.clock.now();
        let confirmed = self
            .accounts
            .store
            .confirm_email(&token_hash(token), now)
            .await?
            .ok_or(AppError::InvalidToken)?;
        let find = |id| async move {
            self.accounts
                .store
                .find_user(id)
                .await?
                .ok_or(AppError::InvalidToken)
        };
        match confirmed {
            Confirmed::Verified(id) => Ok(Opened::Verified(find(id).await?)),
            Confirmed::EmailChanged(id) => {
                self.wake.notify_one();
                Ok(Opened::EmailChanged(find(id).await?))
            }
            Confirmed::AddressTaken => {
                Err(AppError::Conflict("another account uses this address now"))
            }
        }
    }

    /// A new verification link, at most once a minute.
    pub async fn resend_verification(&self, user: &User) -> Result<(), AppError> {
        self.on()?;
        if user.email_verified_at.is_some() {
            return Err(AppError::Conflict("this address is verified already"));
        }
        let now = self.accounts.clock.now();
        let last = self
            .accounts
            .store
            .last_token_at(user.id, Purpose::Verify)
            .await?;
        if let Some(last) = last {
            let next = last + RESEND_EVERY;
            if next > now {
                let retry_after = Duration::try_from(next - now).unwrap_or(RESEND_EVERY);
                return Err(AppError::TooManyRequests { retry_after });
            }
        }
        let (token, new) = self.new_token(Purpose::Verify, None);
        let outgoing = Outgoing {
            recipient: user.email.clone(),
            mail: Mail::Verify {
                name: user.name.clone(),
                verify_token: token,
            },
        };
        self.accounts
            .store
            .queue_mail(user.id, Some(&new), &outgoing, now)
            .await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Mails a confirmation link to `new_email`, after the password; the address changes when
    /// the link is opened.
    pub async fn request_email_change(
        &self,
        client: IpAddr,
        user: &User,
        new_email: &str,
        password: &str,
    ) -> Result<(), AppError> {
        self.on()?;
        let new_email = Email::parse(new_email).map_err(|e| AppError::Validation(vec![e]))?;
        let place = self.accounts.passwords.admit()?;
        self.accounts
            .confirm_password(&place, client, user, password)
            .await?;
        if new_email.as_str() == user.email {
            return Err(AppError::Conflict(
                "this is the address the account uses already",
            ));
        }
        if self
            .accounts
            .store
            .find_credentials(&new_email)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(
                "an account with this email already exists",
            ));
        }
        let (token, new) = self.new_token(Purpose::EmailChange, Some(new_email.as_str()));
        let outgoing = Outgoing {
            recipient: new_email.as_str().to_owned(),
            mail: Mail::EmailChange {
                name: user.name.clone(),
                new_email: new_email.as_str().to_owned(),
                confirm_token: token,
            },
        };
        self.accounts
            .store
            .queue_mail(user.id, Some(&new), &outgoing, self.accounts.clock.now())
            .await?;
        self.wake.notify_one();
        Ok(())
    }

    fn new_token(&self, purpose: Purpose, new_email: Option<&str>) -> (String, NewToken) {
        new_token(purpose, new_email, self.accounts.clock.now())
    }
}
