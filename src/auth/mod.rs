//! Who is asking: password hashing, API tokens, page sessions with CSRF, login throttling and
//! the device cookies that keep it from locking owners out.

pub mod device;
pub mod jwt;
pub mod password;
pub mod session;
pub mod throttle;
