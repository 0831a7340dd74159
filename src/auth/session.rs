//! The page session, typed: the keys live here and nowhere else. tower-sessions keeps it in the
//! database and writes it back only when it changed.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use tower_sessions::{Expiry, Session};

use crate::domain::account::UserId;
use crate::domain::usage::Clock;
use crate::error::AppError;
use crate::store::users::User;

const USER_ID: &str = "user_id";
const SIGNED_IN_AT: &str = "signed_in_at";
const LAST_SEEN: &str = "last_seen";
const CSRF_TOKEN: &str = "csrf_token";
const FLASH: &str = "flash";

/// How stale `last_seen` may get before a visit rewrites it, pushing the idle expiry forward.
/// Rewriting on every request would cost a database write per page view.
const TOUCH_AT_MOST_EVERY: Duration = Duration::from_secs(3600);

/// How long a visitor's session (a form's CSRF token) lives without a visit.
const ANONYMOUS_IDLE: time::Duration = time::Duration::hours(1);

#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub idle_timeout: Duration,
    pub max_age: Duration,
}

#[derive(Clone)]
pub struct WebSession {
    session: Session,
    config: SessionConfig,
    clock: Arc<dyn Clock>,
}

impl WebSession {
    pub fn new(session: Session, config: SessionConfig, clock: Arc<dyn Clock>) -> Self {
        WebSession {
            session,
            config,
            clock,
        }
    }

    /// The signed-in user, unless the session has outlived its absolute lifetime (then it is
    /// ended here). Also keeps an active session from idling out.
    pub async fn user_id(&self) -> Result<Option<UserId>, AppError> {
        let Some(user_id) = self.session.get::<UserId>(USER_ID).await? else {
            return Ok(None);
        };
        let now = self.clock.now().unix_timestamp();
        let signed_in_at = self.session.get::<i64>(SIGNED_IN_AT).await?.unwrap_or(0);
        if now - signed_in_at >= secs(self.config.max_age) {
            self.session.flush().await?;
            return Ok(None);
        }
        let last_seen = self.session.get::<i64>(LAST_SEEN).await?.unwrap_or(0);
        let touch_every = secs(TOUCH_AT_MOST_EVERY.min(self.config.idle_timeout / 8));
        if now - last_seen >= touch_every {
            self.session.insert(LAST_SEEN, now).await?;
        }
        Ok(Some(user_id))
    }

    /// Starts a signed-in session under a new id, with a new CSRF token, so that an id or token
    /// planted before sign-in is worthless.
    pub async fn sign_in(&self, user: &User) -> Result<(), AppError> {
        // Never before the user's last revocation, which would end this session at once.
        let now = self
            .clock
            .now()
            .max(user.tokens_valid_after)
            .unix_timestamp();
        self.session.cycle_id().await?;
        // Signed in: the configured idle expiry, instead of an anonymous form's hour.
        let idle =
            time::Duration::try_from(self.config.idle_timeout).unwrap_or(time::Duration::WEEK);
        self.session.set_expiry(Some(Expiry::OnInactivity(idle)));
        self.session.insert(USER_ID, user.id).await?;
        self.session.insert(SIGNED_IN_AT, now).await?;
        self.session.insert(LAST_SEEN, now).await?;
        self.session.insert(CSRF_TOKEN, new_token()).await?;
        Ok(())
    }

    /// True when the session began before `instant` (a password change ends older sessions).
    pub async fn began_before(&self, instant: time::OffsetDateTime) -> Result<bool, AppError> {
        let signed_in_at = self.session.get::<i64>(SIGNED_IN_AT).await?.unwrap_or(0);
        Ok(signed_in_at < instant.unix_timestamp())
    }

    /// Deletes the session; the next visit gets a new one. Anything stored after this (a
    /// message for the next page) goes under a new id: `flush` alone would store it under the
    /// signed-in session's old one.
    pub async fn sign_out(&self) -> Result<(), AppError> {
        self.session.flush().await?;
        Ok(self.session.cycle_id().await?)
    }

    /// This session's CSRF token, created on first use.
    pub async fn csrf_token(&self) -> Result<String, AppError> {
        if let Some(token) = self.session.get::<String>(CSRF_TOKEN).await? {
            return Ok(token);
        }
        let token = new_token();
        if self.session.get::<UserId>(USER_ID).await?.is_none() {
            // A visitor's form: its session row is kept an hour, not the signed-in week, so
            // that cookie-less page loads cannot pile up rows for days.
            self.session
                .set_expiry(Some(Expiry::OnInactivity(ANONYMOUS_IDLE)));
        }
        self.session.insert(CSRF_TOKEN, &token).await?;
        Ok(token)
    }

    /// A message for the next page this browser shows, once ("Your password is changed."): what
    /// a redirect did, without a flag in the address. Survives sign-out when set after it.
    pub async fn set_flash(&self, message: &str) -> Result<(), AppError> {
        if self.session.get::<UserId>(USER_ID).await?.is_none() {
            // Signed out: keep the row as briefly as a visitor's form.
            self.session
                .set_expiry(Some(Expiry::OnInactivity(ANONYMOUS_IDLE)));
        }
        Ok(self.session.insert(FLASH, message).await?)
    }

    /// The waiting message, removed as it is read. Sessions without one are not written.
    pub async fn take_flash(&self) -> Result<Option<String>, AppError> {
        if self.session.get::<String>(FLASH).await?.is_none() {
            return Ok(None);
        }
        Ok(self.session.remove::<String>(FLASH).await?)
    }

    /// This session's CSRF token if it has one; never creates one.
    pub async fn existing_csrf_token(&self) -> Result<Option<String>, AppError> {
        Ok(self.session.get::<String>(CSRF_TOKEN).await?)
    }

    /// True only when `presented` is this session's token (compared in constant time).
    pub async fn csrf_matches(&self, presented: &str) -> Result<bool, AppError> {
        let expected = self.session.get::<String>(CSRF_TOKEN).await?;
        Ok(expected
            .is_some_and(|expected| constant_time_eq(expected.as_bytes(), presented.as_bytes())))
    }
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Equality that takes the same time wherever the inputs differ (secrets must not leak by timing).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_equal_only_when_identical() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn new_tokens_are_long_and_different() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
    }
}
