//! Who is asking: password hashing, API tokens, page sessions with CSRF, and login throttling.

pub mod jwt;
pub mod password;
pub mod session;
pub mod throttle;
