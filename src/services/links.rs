//! The links that mails carry: a fresh one-time token and its stored (hashed) form, and the
//! welcome mail that registration writes with the account. Shared by the account and mail use
//! cases, which both depend on this and not on each other.

use time::OffsetDateTime;

use crate::domain::account::Email;
use crate::domain::mail::{Mail, OneTimeToken, Purpose};
use crate::store::mail::{NewToken, Outgoing};

/// A fresh token for a link of `purpose`, and its stored form.
pub fn new_token(
    purpose: Purpose,
    new_email: Option<&str>,
    now: OffsetDateTime,
) -> (String, NewToken) {
    let token = OneTimeToken::generate();
    (
        token.token,
        NewToken {
            purpose,
            hash: token.hash,
            expires_at: now + purpose.lifetime(),
            new_email: new_email.map(str::to_owned),
        },
    )
}

/// The welcome mail with its verification link, written with the new account.
pub fn welcome(email: &Email, name: &str, now: OffsetDateTime) -> (NewToken, Outgoing) {
    let (token, new) = new_token(Purpose::Verify, None, now);
    (
        new,
        Outgoing {
            recipient: email.as_str().to_owned(),
            mail: Mail::Welcome {
                name: name.to_owned(),
                verify_token: token,
            },
        },
    )
}
