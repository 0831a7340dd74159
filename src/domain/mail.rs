//! What mail says and the one-time tokens its links carry: which mails exist and what each
//! holds, how long a link is valid, and how a token is made and kept (only its SHA-256).
//! Rendering and sending are the mail part's; the outbox stores a [`Mail`] as JSON.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::billing::Effect;

/// One mail, by template, with what it shows. Links are kept as the token alone; the mail part
/// makes them absolute with the site's public URL when it renders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", content = "data", rename_all = "snake_case")]
pub enum Mail {
    /// At registration: welcome, and the link that verifies the address.
    Welcome {
        name: String,
        verify_token: String,
    },
    /// A new verification link, asked for again.
    Verify {
        name: String,
        verify_token: String,
    },
    PasswordReset {
        name: String,
        reset_token: String,
    },
    /// To the new address: open the link to move the account here.
    EmailChange {
        name: String,
        new_email: String,
        confirm_token: String,
    },
    /// To the old address, once the change is done.
    EmailChanged {
        name: String,
        new_email: String,
    },
    /// An invoice was paid.
    Receipt {
        name: String,
        plan: String,
        amount: i64,
        currency: String,
        /// Unix seconds, when the invoice names its period.
        period_start: Option<i64>,
        period_end: Option<i64>,
    },
    PaymentFailed {
        name: String,
        plan: String,
        amount: i64,
        currency: String,
    },
    SubscriptionEnded {
        name: String,
        plan: String,
    },
}

impl Mail {
    /// The template name, as the outbox's `template` column holds it.
    pub fn template(&self) -> &'static str {
        match self {
            Mail::Welcome { .. } => "welcome",
            Mail::Verify { .. } => "verify",
            Mail::PasswordReset { .. } => "password_reset",
            Mail::EmailChange { .. } => "email_change",
            Mail::EmailChanged { .. } => "email_changed",
            Mail::Receipt { .. } => "receipt",
            Mail::PaymentFailed { .. } => "payment_failed",
            Mail::SubscriptionEnded { .. } => "subscription_ended",
        }
    }

    /// The `data` column: what the template shows.
    pub fn data(&self) -> serde_json::Value {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut tagged)) => {
                tagged.remove("data").unwrap_or(serde_json::Value::Null)
            }
            _ => serde_json::Value::Null,
        }
    }

    /// Back from the outbox's two columns.
    pub fn from_parts(template: &str, data: serde_json::Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::json!({"template": template, "data": data}))
    }
}

/// The customer a billing event's mail is about, for the events that send one.
pub fn billing_notice_customer(effect: &Effect) -> Option<&str> {
    match effect {
        Effect::InvoicePaid { customer, .. }
        | Effect::PaymentFailed { customer, .. }
        | Effect::SubscriptionEnded { customer, .. } => Some(customer),
        _ => None,
    }
}

/// The mail a billing event sends its account: a receipt, a failed payment, an ended plan.
pub fn billing_notice(
    effect: &Effect,
    name: &str,
    plan: &str,
    period_end: Option<OffsetDateTime>,
) -> Option<Mail> {
    let name = name.to_owned();
    let plan = plan.to_owned();
    match effect {
        Effect::InvoicePaid {
            amount,
            currency,
            period_start,
            ..
        } => Some(Mail::Receipt {
            name,
            plan,
            amount: *amount,
            currency: currency.clone(),
            period_start: period_start.map(OffsetDateTime::unix_timestamp),
            period_end: period_start
                .and(period_end)
                .map(OffsetDateTime::unix_timestamp),
        }),
        Effect::PaymentFailed {
            amount, currency, ..
        } => Some(Mail::PaymentFailed {
            name,
            plan,
            amount: *amount,
            currency: currency.clone(),
        }),
        Effect::SubscriptionEnded { .. } => Some(Mail::SubscriptionEnded { name, plan }),
        _ => None,
    }
}

/// Money in minor units as people read it: `12.00 USD`.
pub fn amount(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    format!(
        "{sign}{}.{:02} {}",
        minor / 100,
        minor % 100,
        currency.to_uppercase()
    )
}

/// What a one-time token is for; each has its lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Verify,
    EmailChange,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Verify => "verify",
            Purpose::EmailChange => "email_change",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "reset" => Some(Purpose::Reset),
            "verify" => Some(Purpose::Verify),
            "email_change" => Some(Purpose::EmailChange),
            _ => None,
        }
    }

    /// A reset link works for an hour; a verification or address change link for 48 hours.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Reset => Duration::from_secs(3600),
            Purpose::Verify | Purpose::EmailChange => Duration::from_secs(48 * 3600),
        }
    }
}

/// A new token for a link: 256 random bits (URL-safe base64), and the hash that is stored.
#[derive(Clone)]
pub struct OneTimeToken {
    pub token: String,
    pub hash: String,
}

impl std::fmt::Debug for OneTimeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OneTimeToken").finish_non_exhaustive()
    }
}

impl OneTimeToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let hash = token_hash(&token);
        OneTimeToken { token, hash }
    }
}

/// The stored form of a token: SHA-256, lower-case hex. A token is looked up by this alone.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_survives_the_outbox_columns() {
        let mail = Mail::Receipt {
            name: "Ada".into(),
            plan: "Pro".into(),
            amount: 1200,
            currency: "usd".into(),
            period_start: Some(1),
            period_end: None,
        };
        let back = Mail::from_parts(mail.template(), mail.data()).expect("parses");
        assert_eq!(back, mail);
        assert_eq!(mail.data()["amount"], 1200);
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let a = OneTimeToken::generate();
        let b = OneTimeToken::generate();
        assert_ne!(a.token, b.token);
        assert_eq!(a.hash, token_hash(&a.token));
        assert_eq!(a.hash.len(), 64);
        assert!(!a.hash.contains(&a.token));
        assert!(!format!("{a:?}").contains(&a.token));
    }

    #[test]
    fn amounts_read_as_money() {
        assert_eq!(amount(1200, "usd"), "12.00 USD");
        assert_eq!(amount(5, "eur"), "0.05 EUR");
    }

    #[test]
    fn reset_links_are_short_lived() {
        assert_eq!(Purpose::Reset.lifetime(), Duration::from_secs(3600));
        assert_eq!(Purpose::Verify.lifetime(), Duration::from_secs(172_800));
        assert_eq!(Purpose::parse("email_change"), Some(Purpose::EmailChange));
    }
}
