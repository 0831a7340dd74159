//! What every handler can reach. Built once at start by [`crate::startup`]; no globals.

use std::sync::Arc;

use crate::auth::jwt::Jwt;
use crate::auth::password::Passwords;
use crate::auth::throttle::LoginThrottle;
use crate::config::Config;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub jwt: Jwt,
    pub passwords: Passwords,
    pub login_throttle: LoginThrottle,
}
