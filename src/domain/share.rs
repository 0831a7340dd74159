//! A share link's slug: 256 random bits, URL-safe, so that knowing it is the only way in. It is
//! never derived from the fursona, its name or the time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

/// Characters of a slug: 32 random bytes in unpadded URL-safe base64.
const SLUG_LEN: usize = 43;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn new() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Slug(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A slug as it appears in a URL; anything else cannot be one (and is not looked up).
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == SLUG_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| Slug(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Slug {
    fn default() -> Self {
        Self::new()
    }
}

/// What the owner chose when sharing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShareOptions {
    /// The uploaded photo is shown on the public page.
    pub include_photo: bool,
    /// Search engines may index the page and its pictures.
    pub discoverable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_long_random_and_url_safe() {
        let (a, b) = (Slug::new(), Slug::new());
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), SLUG_LEN);
        assert_eq!(Slug::parse(a.as_str()), Some(a));
    }

    #[test]
    fn anything_else_is_not_a_slug() {
        for bad in [
            "",
            "short",
            &"a".repeat(44),
            &format!("{}/", "a".repeat(42)),
            &"é".repeat(22),
        ] {
            assert_eq!(Slug::parse(bad), None, "{bad}");
        }
    }
}
