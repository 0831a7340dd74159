//! Argon2id hashing on a few dedicated threads ([`CpuPool`]): each hash holds 19 MiB, so an
//! unbounded login flood would exhaust memory. A bounded number more wait their turn; beyond
//! that a request is refused at once ([`HashError::Busy`], a 503 with `Retry-After`) rather
//! than queued for seconds. The place is taken ([`Passwords::admit`]) before any other work of
//! the request, so that a refusal costs no database query.

use std::sync::Arc;

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Argon2, Params};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::domain::account::Password;
use crate::error::AppError;
use crate::support::cpu_pool::{CpuPool, JobLost};

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Lost(#[from] JobLost),
    #[error("cannot start the hashing threads: {0}")]
    Threads(#[from] std::io::Error),
    #[error("too many password checks are waiting")]
    Busy,
}

/// How many checks may wait per hashing thread: at ~14 ms a check, 32 waiting per thread is
/// under half a second of queue.
const WAITING_PER_THREAD: usize = 32;
/// Registrations have places of their own, fewer: a registration flood is refused (503 `busy`)
/// long before it could delay logins much, and never takes a login's place.
const REGISTRATIONS_PER_THREAD: usize = 4;

#[derive(Clone)]
pub struct Passwords {
    threads: CpuPool,
    /// Hashing or waiting to: one per thread plus the queue.
    admitted: Arc<Semaphore>,
    /// New accounts' hashes: a smaller share of their own.
    registrations: Arc<Semaphore>,
}

/// Verified against when the email is unknown, so that answer takes as long as a wrong password.
/// A constant with the same parameters as [`hash`] (a test checks), so that starting the server
/// costs no hash and no 19 MiB; whatever its password, an unknown email never signs in.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$VmK/lIzBcWC9a2Wkgci/7g$IukbbRsyY224AR4RlWWOveJYBTdHoczfdEIC1Eo7OOU";

/// A place among the password checks running or waiting; hashing needs one.
pub struct Admission<'a> {
    _place: SemaphorePermit<'a>,
}

impl Passwords {
    /// `concurrency` hashes run at once; up to [`WAITING_PER_THREAD`] times as many wait.
    pub fn new(concurrency: usize) -> Result<Self, HashError> {
        let concurrency = concurrency.max(1);
        Ok(Passwords {
            threads: CpuPool::new("argon2", concurrency)?,
            admitted: Arc::new(Semaphore::new(concurrency * (1 + WAITING_PER_THREAD))),
            registrations: Arc::new(Semaphore::new(concurrency * REGISTRATIONS_PER_THREAD)),
        })
    }

    /// A place in the queue, or [`HashError::Busy`] at once when it is full.
    pub fn admit(&self) -> Result<Admission<'_>, HashError> {
        self.admitted
            .try_acquire()
            .map(|place| Admission { _place: place })
            .map_err(|_| HashError::Busy)
    }

    /// As [`Passwords::admit`], among the registrations' own places (see
    /// [`REGISTRATIONS_PER_THREAD`]), so that registering never takes a place logins need.
    pub fn admit_registration(&self) -> Result<Admission<'_>, HashError> {
        self.registrations
            .try_acquire()
            .map(|place| Admission { _place: place })
            .map_err(|_| HashError::Busy)
    }

    pub async fn hash(&self, _: &Admission<'_>, password: &Password) -> Result<String, HashError> {
        let password = password.expose().to_owned();
        self.threads.run(move || hash(&password)).await?
    }

    /// `Ok(true)` only for a matching password. With no stored hash the dummy is checked, and
    /// the answer is always false.
    pub async fn verify(
        &self,
        _: &Admission<'_>,
        password: &str,
        stored: Option<&str>,
    ) -> Result<bool, HashError> {
        let is_real = stored.is_some();
        let hash = stored.unwrap_or(DUMMY_HASH).to_owned();
        let password = password.to_owned();
        let matches = self
            .threads
            .run(move || {
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

/// A refused hash is shed load (503 with `Retry-After`); anything else is our failure.
impl From<HashError> for AppError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => AppError::Busy,
            e => AppError::Internal(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = Passwords::new(1).expect("hasher");
        let place = passwords.admit().expect("admitted");
        let password = Password::parse("correct horse battery".into()).expect("valid");
        let hash = passwords.hash(&place, &password).await.expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            passwords
                .verify(&place, "correct horse battery", Some(&hash))
                .await
                .expect("ok")
        );
        assert!(
            !passwords
                .verify(&place, "correct horse batter", Some(&hash))
                .await
                .expect("ok")
        );
    }

    #[tokio::test]
    async fn beyond_the_queue_checks_are_refused_at_once_not_queued() {
        let passwords = Passwords::new(1).expect("hasher");
        let places: Vec<_> = (0..1 + WAITING_PER_THREAD)
            .map(|_| passwords.admit().expect("admitted"))
            .collect();
        assert!(matches!(passwords.admit(), Err(HashError::Busy)));
        drop(places);
        let place = passwords.admit().expect("free again");
        assert!(!passwords.verify(&place, "guess", None).await.expect("ok"));
    }

    #[tokio::test]
    async fn the_dummy_hash_costs_what_a_real_one_does() {
        let passwords = Passwords::new(1).expect("hasher");
        let place = passwords.admit().expect("admitted");
        let password = Password::parse("correct horse battery".into()).expect("valid");
        let real = passwords.hash(&place, &password).await.expect("hash");
        let params = |phc: &str| phc.rsplitn(3, '$').nth(2).map(str::to_owned);
        assert_eq!(
            params(DUMMY_HASH),
            params(&real),
            "same algorithm and parameters"
        );
        let dummy_password = "not anyone's password".to_owned();
        let dummy_checks = passwords
            .threads
            .run(move || {
                Argon2::default()
                    .verify_password(dummy_password.as_bytes(), DUMMY_HASH)
                    .is_ok()
            })
            .await
            .expect("checked");
        assert!(dummy_checks, "a well-formed hash, verified like any other");
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        let passwords = Passwords::new(1).expect("hasher");
        let place = passwords.admit().expect("admitted");
        assert!(
            !passwords
                .verify(&place, "not anyone's password", None)
                .await
                .expect("ok")
        );
    }
}
