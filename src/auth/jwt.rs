//! API tokens: HS256 JWTs with `sub`, `iat`, `exp`, `iss` and `aud`, all required and checked.
//! Revocation: a token whose `iat` is before the user's `tokens_valid_after` is refused.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use url::Url;
use uuid::Uuid;

use super::device::DeviceCookies;
use crate::domain::account::UserId;
use crate::domain::usage::Clock;
use crate::store::users::User;

pub const MIN_JWT_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// `None`: generated on first start and kept in the data directory.
    pub secret: Option<SecretString>,
    pub ttl: Duration,
}

const AUDIENCE: &str = "fursona-api";
const SECRET_FILE: &str = "jwt_secret";
/// Tolerated clock difference between instances when checking `exp`.
const LEEWAY_SECS: i64 = 30;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

impl Claims {
    pub fn user_id(&self) -> UserId {
        UserId(self.sub)
    }

    /// False once the user has signed out (or changed password) after this token was issued.
    pub fn is_current_for(&self, user: &User) -> bool {
        self.iat >= user.tokens_valid_after.unix_timestamp()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JwtSecretError {
    #[error("cannot read or create the JWT secret file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the JWT secret file {0} holds fewer than {MIN_JWT_SECRET_BYTES} bytes")]
    TooShort(String),
}

#[derive(Clone)]
pub struct Jwt {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    ttl: Duration,
    clock: Arc<dyn Clock>,
    device_cookies: DeviceCookies,
}

impl Jwt {
    /// Uses `JWT_SECRET`, or else a secret generated once and kept in the data directory so
    /// tokens survive restarts. The issuer is the site's origin.
    pub fn from_config(
        config: &JwtConfig,
        data_dir: &Path,
        app_url: &Url,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, JwtSecretError> {
        let secret = match &config.secret {
            Some(secret) => secret.clone(),
            None => load_or_create_secret(data_dir)?,
        };
        let issuer = app_url.origin().ascii_serialization();
        Ok(Self::new(
            secret.expose_secret().as_bytes(),
            issuer,
            config.ttl,
            clock,
        ))
    }

    fn new(secret: &[u8], issuer: String, ttl: Duration, clock: Arc<dyn Clock>) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["sub", "iat", "exp", "iss", "aud"]);
        // Expiry is judged by the injected clock in `verify`, not by the library's wall clock.
        validation.validate_exp = false;
        Jwt {
            device_cookies: DeviceCookies::from_secret(secret),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer,
            ttl,
            clock,
        }
    }

    /// Device cookies signed with a key derived from the same secret (one secret to keep).
    pub fn device_cookies(&self) -> DeviceCookies {
        self.device_cookies.clone()
    }

    /// A token for `user`. Its `iat` is never before the user's last revocation, so a token
    /// issued in the same second as a logout still works.
    pub fn issue(&self, user: &User) -> Result<String, jsonwebtoken::errors::Error> {
        let iat = self.clock.now().max(user.tokens_valid_after);
        let claims = Claims {
            sub: user.id.0,
            iat: iat.unix_timestamp(),
            exp: (iat + self.ttl).unix_timestamp(),
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Checks signature, algorithm, expiry, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let claims =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)?.claims;
        let now = self.clock.now().unix_timestamp();
        if claims.exp.saturating_add(LEEWAY_SECS) < now {
            return Err(ErrorKind::ExpiredSignature.into());
        }
        // Issued in the future: not by this clock (a forged or a replayed-ahead token).
        if claims.iat > now.saturating_add(LEEWAY_SECS) {
            return Err(ErrorKind::ImmatureSignature.into());
        }
        Ok(claims)
    }

    /// The instant from which a revocation made now takes effect, for an account whose tokens
    /// are valid after `valid_after`: past every token issued until now, including those issued
    /// at the previous revocation's instant (`iat` is never before it), so that two logouts
    /// within a second both count.
    pub fn revocation_instant(&self, valid_after: OffsetDateTime) -> OffsetDateTime {
        self.clock.now().max(valid_after) + time::Duration::SECOND
    }
}

fn load_or_create_secret(data_dir: &Path) -> Result<SecretString, JwtSecretError> {
    let path = data_dir.join(SECRET_FILE);
    let shown = path.display().to_string();
    let io = |source| JwtSecretError::Io {
        path: shown.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(secret) => {
            let secret = secret.trim().to_owned();
            if secret.len() < MIN_JWT_SECRET_BYTES {
                return Err(JwtSecretError::TooShort(shown));
            }
            Ok(SecretString::from(secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 48];
            rand::rng().fill_bytes(&mut bytes);
            let secret = URL_SAFE_NO_PAD.encode(bytes);
            std::fs::create_dir_all(data_dir).map_err(io)?;
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .map_err(io)?;
            file.write_all(secret.as_bytes()).map_err(io)?;
            tracing::warn!(
                path = %shown,
                "JWT_SECRET is not set: generated one and stored it in the data directory; \
                 a deployment of several instances must set the same JWT_SECRET on each"
            );
            Ok(SecretString::from(secret))
        }
        Err(e) => Err(io(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::usage::SystemClock;

    fn jwt() -> Jwt {
        Jwt::new(
            &[7u8; 32],
            "http://localhost:3001".into(),
            Duration::from_secs(60),
            Arc::new(SystemClock),
        )
    }

    fn user() -> User {
        let now = SystemClock.now();
        User {
            id: UserId::new(),
            email: "a@example.com".into(),
            name: "A".into(),
            created_at: now,
            tokens_valid_after: now,
            email_verified_at: None,
            admin: false,
            disabled: false,
            last_seen_at: None,
        }
    }

    #[test]
    fn an_issued_token_verifies_and_names_its_user() {
        let (jwt, user) = (jwt(), user());
        let claims = jwt
            .verify(&jwt.issue(&user).expect("issue"))
            .expect("verify");
        assert_eq!(claims.user_id(), user.id);
        assert!(claims.is_current_for(&user));
        assert_eq!(claims.exp - claims.iat, 60);
    }

    #[test]
    fn a_token_from_before_a_revocation_is_not_current() {
        let (jwt, mut user) = (jwt(), user());
        let old = jwt
            .verify(&jwt.issue(&user).expect("issue"))
            .expect("verify");
        user.tokens_valid_after = jwt.revocation_instant(user.tokens_valid_after);
        assert!(!old.is_current_for(&user));
        let new = jwt
            .verify(&jwt.issue(&user).expect("issue"))
            .expect("verify");
        assert!(
            new.is_current_for(&user),
            "a token issued after logout works"
        );
    }

    #[test]
    fn two_revocations_within_a_second_both_end_every_earlier_token() {
        let (jwt, mut user) = (jwt(), user());
        user.tokens_valid_after = jwt.revocation_instant(user.tokens_valid_after);
        let between = jwt
            .verify(&jwt.issue(&user).expect("issue"))
            .expect("verify");
        assert!(between.is_current_for(&user));
        user.tokens_valid_after = jwt.revocation_instant(user.tokens_valid_after);
        assert!(
            !between.is_current_for(&user),
            "the second logout ends it too"
        );
    }

    #[test]
    fn a_token_from_the_future_is_refused() {
        let jwt = jwt();
        let mut user = user();
        user.tokens_valid_after = SystemClock.now() + time::Duration::hours(1);
        let token = jwt.issue(&user).expect("issue");
        assert!(jwt.verify(&token).is_err());
    }

    #[test]
    fn the_secret_file_is_created_once_with_mode_0600() {
        let dir = std::env::temp_dir().join(format!("fursona-jwt-{}", Uuid::new_v4()));
        let first = load_or_create_secret(&dir).expect("created");
        let second = load_or_create_secret(&dir).expect("read back");
        assert_eq!(first.expose_secret(), second.expose_secret());
        let mode = std::fs::metadata(dir.join(SECRET_FILE))
            .expect("file")
            .permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600
        );
        std::fs::remove_dir_all(dir).expect("cleanup");
    }
}
