//! Mail: rendering a [`Mail`] into a message (plain text and HTML from the Askama templates in
//! `templates/mail/`) and sending it over SMTP with lettre. Nothing here decides when to send:
//! the outbox task (`services::outbox`) does, from the outbox table.

use std::time::Duration;

use askama::Template;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::domain::mail::{Mail, amount};

/// How long one SMTP conversation may take before the attempt counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// The mail settings. `smtp: None`: email is off.
#[derive(Debug, Clone, Default)]
pub struct MailConfig {
    pub smtp: Option<SmtpConfig>,
    /// Generating waits until the account's address is verified.
    pub require_verified_email: bool,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// `smtp://user:pass@host:587?tls=required`, `smtps://...:465` or `smtp://host:port`; holds
    /// the password, so it is kept secret.
    pub url: SecretString,
    /// `Name <address>` or a bare address.
    pub from: Mailbox,
}

/// Why a mail was not sent: worth trying again, or never going to work.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("{0}")]
    Transient(String),
    #[error("{0}")]
    Permanent(String),
}

/// The SMTP client and what every message shares.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    app_url: Url,
}

impl Mailer {
    /// Reads the URL (nothing is connected yet). The error never shows the URL itself.
    pub fn new(config: &SmtpConfig, app_url: &Url) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(config.url.expose_secret())
            .map_err(|e| format!("SMTP_URL cannot be used: {}", redact(&e.to_string())))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Mailer {
            transport,
            from: config.from.clone(),
            app_url: app_url.clone(),
        })
    }

    pub async fn send(&self, recipient: &str, mail: &Mail) -> Result<(), SendError> {
        let message = self.message(recipient, mail)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(redact(&e.to_string()))),
            Err(e) => Err(SendError::Transient(redact(&e.to_string()))),
        }
    }

    /// The whole message: headers, and both parts from the templates.
    pub fn message(&self, recipient: &str, mail: &Mail) -> Result<Message, SendError> {
        let to: Mailbox = recipient
            .parse()
            .map_err(|_| SendError::Permanent("the recipient is not a mail address".into()))?;
        let rendered = render(mail, &self.app_url)
            .map_err(|e| SendError::Permanent(format!("cannot render the mail: {e}")))?;
        let domain = self.from.email.domain().to_owned();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject)
            .date_now()
            .message_id(Some(format!("<{}@{domain}>", uuid::Uuid::new_v4())))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(rendered.text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(rendered.html),
                    ),
            )
            .map_err(|e| SendError::Permanent(format!("cannot build the mail: {e}")))
    }
}

/// Removes anything that looks like credentials in a URL from an error message.
fn redact(message: &str) -> String {
    message
        .split(' ')
        .map(|word| match (word.find("://"), word.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                format!("{}://***{}", &word[..scheme], &word[at..])
            }
            _ => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A mail as it is sent.
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What both templates show: the mail, its link made absolute, and its figures as people read
/// them.
struct View<'a> {
    mail: &'a Mail,
    subject: &'a str,
    link: Option<String>,
    amount: Option<String>,
    period: Option<String>,
    site: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextPart<'a> {
    v: &'a View<'a>,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlPart<'a> {
    v: &'a View<'a>,
}

pub fn render(mail: &Mail, app_url: &Url) -> Result<Rendered, askama::Error> {
    let link = |path: &str, token: Option<&str>| {
        let mut url = app_url.join(path).unwrap_or_else(|_| app_url.clone());
        if let Some(token) = token {
            url.query_pairs_mut().append_pair("token", token);
        }
        Some(url.to_string())
    };
    let (subject, link) = match mail {
        Mail::Welcome { verify_token, .. } => (
            "Welcome to Fursona Generator: please confirm your email address",
            link("/verify-email", Some(verify_token)),
        ),
        Mail::Verify { verify_token, .. } => (
            "Confirm your email address",
            link("/verify-email", Some(verify_token)),
        ),
        Mail::PasswordReset { reset_token, .. } => (
            "Reset your Fursona Generator password",
            link("/reset-password", Some(reset_token)),
        ),
        Mail::EmailChange { confirm_token, .. } => (
            "Confirm your new email address",
            link("/verify-email", Some(confirm_token)),
        ),
        Mail::EmailChanged { .. } => (
            "Your Fursona Generator email address was changed",
            link("/login", None),
        ),
        Mail::Receipt { .. } => ("Your Fursona Generator receipt", link("/account", None)),
        Mail::PaymentFailed { .. } => (
            "Your payment failed: please update your payment method",
            link("/account", None),
        ),
        Mail::SubscriptionEnded { .. } => (
            "Your Fursona Generator subscription has ended",
            link("/plans", None),
        ),
    };
    let (money, period) = match mail {
        Mail::Receipt {
            amount: minor,
            currency,
            period_start,
            period_end,
            ..
        } => (
            Some(amount(*minor, currency)),
            period_start
                .zip(*period_end)
                .map(|(s, e)| format!("{} to {}", day(s), day(e))),
        ),
        Mail::PaymentFailed {
            amount: minor,
            currency,
            ..
        } => (Some(amount(*minor, currency)), None),
        _ => (None, None),
    };
    let view = View {
        mail,
        subject,
        link,
        amount: money,
        period,
        site: app_url.as_str().trim_end_matches('/').to_owned(),
    };
    Ok(Rendered {
        subject: subject.to_owned(),
        text: TextPart { v: &view }.render()?,
        html: HtmlPart { v: &view }.render()?,
    })
}

/// A Unix time as a calendar day, written as everywhere else: `1 December 2026`.
fn day(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(crate::domain::usage::calendar_date)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_absolute_and_html_is_escaped() {
        let url = Url::parse("https://furs.example/").expect("url");
        let mail = Mail::PasswordReset {
            name: "<Ada>".into(),
            reset_token: "tok_1".into(),
        };
        let rendered = render(&mail, &url).expect("renders");
        assert!(
            rendered
                .text
                .contains("https://furs.example/reset-password?token=tok_1")
        );
        assert!(
            rendered
                .html
                .contains("https://furs.example/reset-password?token=tok_1")
        );
        assert!(rendered.html.contains("&#60;Ada&#62;") || rendered.html.contains("&lt;Ada&gt;"));
        assert!(!rendered.html.contains("<img"));
    }

    #[test]
    fn credentials_never_reach_an_error_message() {
        assert_eq!(
            redact("bad smtp://user:hunter2@mail.example:587 here"),
            "bad smtp://***@mail.example:587 here"
        );
    }
}
