//! Argon2id hashing on blocking threads, a few at a time: each hash holds 19 MiB, so an
//! unbounded login flood would exhaust memory.

use std::sync::Arc;

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Argon2, Params};
use tokio::sync::Semaphore;
use tokio::task::spawn_blocking;

use crate::domain::account::Password;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("password hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the email is unknown, so that answer takes as long as a wrong password.
    dummy_hash: Arc<str>,
}

impl Passwords {
    /// `concurrency` hashes run at once; the rest wait their turn.
    pub async fn new(concurrency: usize) -> Result<Self, HashError> {
        let permits = Arc::new(Semaphore::new(concurrency.max(1)));
        let dummy: String = "not anyone's password".into();
        let dummy_hash = spawn_blocking(move || hash(&dummy)).await??;
        Ok(Passwords {
            permits,
            dummy_hash: dummy_hash.into(),
        })
    }

    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        let _permit = self.permits.acquire().await;
        let password = password.expose().to_owned();
        spawn_blocking(move || hash(&password)).await?
    }

    /// `Ok(true)` only for a matching password. With no stored hash the dummy is checked, and
    /// the answer is always false.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let _permit = self.permits.acquire().await;
        let is_real = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let password = password.to_owned();
        let matches = spawn_blocking(move || {
            Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await?;
        Ok(matches && is_real)
    }
}

fn hash(password: &str) -> Result<String, HashError> {
    // The crate's defaults are the OWASP row: Argon2id, m = 19 MiB, t = 2, p = 1.
    debug_assert_eq!(Params::DEFAULT_M_COST, 19 * 1024);
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = Passwords::new(1).await.expect("hasher");
        let password = Password::parse("correct horse battery".into()).expect("valid");
        let hash = passwords.hash(&password).await.expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            passwords
                .verify("correct horse battery", Some(&hash))
                .await
                .expect("ok")
        );
        assert!(
            !passwords
                .verify("correct horse batter", Some(&hash))
                .await
                .expect("ok")
        );
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        let passwords = Passwords::new(1).await.expect("hasher");
        assert!(
            !passwords
                .verify("not anyone's password", None)
                .await
                .expect("ok")
        );
    }
}
