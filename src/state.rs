//! What every handler can reach: the services, the parts the routes read directly, and the
//! settings that only HTTP needs. Built once at start by [`crate::app::startup`]; no globals.

use std::sync::Arc;

use axum::http::HeaderValue;
use secrecy::SecretString;
use url::Url;

use crate::ai::Generator;
use crate::auth::jwt::Jwt;
use crate::auth::session::SessionConfig;
use crate::domain::fursona::FursonaId;
use crate::domain::usage::UsageClock;
use crate::services::accounts::Accounts;
use crate::services::admin::Administration;
use crate::services::emails::Emails;
use crate::services::generation::Generations;
use crate::services::health::DatabaseHealth;
use crate::services::pictures::Pictures;
use crate::services::sharing::Sharing;
use crate::services::subscriptions::Subscriptions;
use crate::store::Store;
use crate::support::kept::Kept;

/// A handle on the [`Services`]: axum clones the state for every extractor and middleware that
/// asks for it, so a clone must cost one reference count, not a copy of every service (that
/// copying took a quarter of the CPU of `GET /api/subscription/plans`).
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        AppState(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

pub struct Services {
    pub web: Arc<WebConfig>,
    pub store: Store,
    pub clock: UsageClock,
    pub jwt: Jwt,
    /// Which engine and models make fursonas, for the plans table.
    pub generator: Arc<dyn Generator>,
    pub accounts: Accounts,
    /// The admin console's use cases.
    pub admin: Administration,
    /// Mailed links: password reset, verification, address change.
    pub emails: Emails,
    pub generations: Generations,
    pub subscriptions: Subscriptions,
    pub health: DatabaseHealth,
    pub pictures: Pictures,
    pub sharing: Sharing,
    /// Each fursona's API JSON by id and revision, less what changes without an edit
    /// (`routes::shapes::FursonaBody::lasting_json`), for pages of history.
    pub fursona_json: Kept<(FursonaId, i64)>,
}

/// The settings only the HTTP layer reads.
#[derive(Debug)]
pub struct WebConfig {
    pub app_url: Url,
    pub cors_allowed_origins: Vec<HeaderValue>,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub metrics_token: Option<SecretString>,
    pub session: SessionConfig,
    pub max_upload_bytes: usize,
    /// `UPLOAD_READ_TIMEOUT`.
    pub upload_read_timeout: std::time::Duration,
}

impl WebConfig {
    /// Cookies get `Secure` and the `__Host-` prefix, and responses HSTS, behind https.
    pub fn is_https(&self) -> bool {
        self.app_url.scheme() == "https"
    }
}
