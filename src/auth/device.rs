//! Device cookies, as OWASP's "Slow down online guessing attacks with device cookies" describes: a
//! browser that signed in to an account carries a signed note of it. Its failed logins count
//! against that note, not the account, so guesses from elsewhere cannot lock its owner out, while
//! clients without one are still throttled per account and per address.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Issues and checks device cookies with a key derived from the token secret.
#[derive(Clone)]
pub struct DeviceCookies {
    key: [u8; 32],
}

/// A verified device cookie: the random id that names this browser for the throttle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device(pub String);

impl DeviceCookies {
    /// A key of its own, so a device cookie can never pass for a token or the other way round.
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(b"fursona device cookies v1");
        DeviceCookies {
            key: mac.finalize().into_bytes().into(),
        }
    }

    /// A new cookie value for a browser that just signed in to `account` (a normalized email).
    pub fn issue(&self, account: &str) -> String {
        let mut nonce = [0u8; 16];
        rand::rng().fill_bytes(&mut nonce);
        let nonce = URL_SAFE_NO_PAD.encode(nonce);
        let signature = URL_SAFE_NO_PAD.encode(self.mac(account, &nonce).finalize().into_bytes());
        format!("{nonce}.{signature}")
    }

    /// The device, if `cookie` was issued by us for this same account.
    pub fn verify(&self, cookie: &str, account: &str) -> Option<Device> {
        let (nonce, signature) = cookie.split_once('.')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        // `verify_slice` compares in constant time.
        self.mac(account, nonce)
            .verify_slice(&signature)
            .ok()
            .map(|()| Device(nonce.to_owned()))
    }

    fn mac(&self, account: &str, nonce: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(account.as_bytes());
        mac.update(b"\0");
        mac.update(nonce.as_bytes());
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_good_only_for_its_account_and_key() {
        let cookies = DeviceCookies::from_secret(b"a secret of enough length for tests");
        let cookie = cookies.issue("ada@example.com");
        let device = cookies.verify(&cookie, "ada@example.com").expect("valid");
        assert_eq!(device.0, cookie.split_once('.').expect("dot").0);
        assert_eq!(cookies.verify(&cookie, "bob@example.com"), None);
        let other = DeviceCookies::from_secret(b"another secret of enough length!!");
        assert_eq!(other.verify(&cookie, "ada@example.com"), None);
        let (nonce, _) = cookie.split_once('.').expect("dot");
        assert_eq!(
            cookies.verify(&format!("{nonce}.AAAA"), "ada@example.com"),
            None
        );
        assert_eq!(cookies.verify("no-dot", "ada@example.com"), None);
        assert_ne!(
            cookies.issue("ada@example.com"),
            cookie,
            "each sign-in a new id"
        );
    }
}
