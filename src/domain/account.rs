//! Account inputs parsed into types that can only hold valid values.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A user's id: a UUIDv7, so ids are unguessable yet sort by creation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct UserId(pub Uuid);

impl UserId {
    pub fn new() -> Self {
        UserId(Uuid::now_v7())
    }

    /// An id as written in a URL or a cursor; anything else is not one.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::parse_str(text).ok().map(UserId)
    }
}

impl Default for UserId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Which input field a problem is about, so pages can show it next to that field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    Password,
    Name,
}

impl Field {
    /// The form and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Password => "password",
            Field::Name => "name",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: &'static str,
}

impl FieldError {
    pub fn new(field: Field, message: &'static str) -> Self {
        FieldError { field, message }
    }
}

/// An email address, trimmed and lower-cased, so that one address has one spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(FieldError::new(Field::Email, "Enter your email address."));
        }
        if email.len() > Self::MAX_LEN || !email_address::EmailAddress::is_valid(&email) {
            return Err(FieldError::new(
                Field::Email,
                "Enter a valid email address, like name@example.com.",
            ));
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: long enough, and never truncated. Its `Debug` hides it.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    /// Generous, but bounded so a megabyte "password" cannot tie up the hasher.
    pub const MAX_CHARS: usize = 1024;

    pub fn parse(input: String) -> Result<Self, FieldError> {
        let chars = input.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(FieldError::new(
                Field::Password,
                "Use a password of at least 8 characters.",
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(FieldError::new(
                Field::Password,
                "Use a password of at most 1024 characters.",
            ));
        }
        // Control characters cannot be typed, and eight NULs are no password; spaces are fine.
        if input.chars().any(char::is_control) {
            return Err(FieldError::new(
                Field::Password,
                "Use letters, digits, spaces and symbols only (no control characters).",
            ));
        }
        Ok(Password(input))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// A display name of 1 to 100 characters, trimmed, without control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(FieldError::new(Field::Name, "Enter a name."));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                Field::Name,
                "Use a name of at most 100 characters.",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new(
                Field::Name,
                "A name cannot contain control characters.",
            ));
        }
        Ok(Name(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A registration that passed every check.
#[derive(Debug)]
pub struct NewAccount {
    pub email: Email,
    pub password: Password,
    pub name: Name,
}

impl NewAccount {
    /// Checks every field and reports all problems at once.
    pub fn parse(email: &str, password: String, name: &str) -> Result<Self, Vec<FieldError>> {
        match (
            Email::parse(email),
            Password::parse(password),
            Name::parse(name),
        ) {
            (Ok(email), Ok(password), Ok(name)) => Ok(NewAccount {
                email,
                password,
                name,
            }),
            (email, password, name) => Err([email.err(), password.err(), name.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_refuse_control_characters_but_keep_spaces() {
        assert!(Password::parse("\0".repeat(8)).is_err());
        assert!(Password::parse("correct\thorse battery".into()).is_err());
        assert!(Password::parse("correct horse battery".into()).is_ok());
    }

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let email = Email::parse("  Ada.Lovelace@Example.COM ").expect("valid");
        assert_eq!(email.as_str(), "ada.lovelace@example.com");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in ["", "   ", "ada", "ada@", "@example.com", "a b@example.com"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }

    #[test]
    fn password_length_is_counted_in_characters_and_never_truncated() {
        assert!(Password::parse("seven77".into()).is_err());
        assert!(
            Password::parse("ééééééé".into()).is_err(),
            "7 chars, 14 bytes"
        );
        let long = "p".repeat(200);
        assert_eq!(Password::parse(long.clone()).expect("valid").expose(), long);
        assert!(Password::parse("p".repeat(1025)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::parse("  Rex ").expect("valid").as_str(), "Rex");
        assert!(Name::parse(" ").is_err());
        assert!(Name::parse(&"n".repeat(101)).is_err());
        assert!(Name::parse(&"ñ".repeat(100)).is_ok());
        assert!(Name::parse("Rex\u{0}").is_err());
    }

    #[test]
    fn a_new_account_reports_every_bad_field() {
        let errors = NewAccount::parse("nope", "short".into(), "").expect_err("invalid");
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Email, Field::Password, Field::Name]);
    }

    #[test]
    fn password_debug_hides_the_password() {
        let password = Password::parse("correct horse battery".into()).expect("valid");
        assert!(!format!("{password:?}").contains("horse"));
    }
}
