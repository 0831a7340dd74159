//! Building and running the app. Production (`main`) and the tests start it through the same
//! two calls: [`Application::build`] connects, migrates and binds; [`Application::run_until`]
//! serves until told to stop, then drains and closes the pool.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};

use super::config::Config;
use super::server::{self, ServerConfig};
use crate::ai::{self, queue::GenerationQueue};
use crate::auth::jwt::Jwt;
use crate::auth::password::Passwords;
use crate::auth::throttle::LoginThrottle;
use crate::billing::Payments;
use crate::domain::usage::{Clock, SystemClock, UsageClock};
use crate::mail::Mailer;
use crate::routes;
use crate::services::accounts::Accounts;
use crate::services::admin::Administration;
use crate::services::emails::Emails;
use crate::services::generation::{Generations, PhotoPipeline};
use crate::services::health::DatabaseHealth;
use crate::services::outbox::Outbox;
use crate::services::pictures::Pictures;
use crate::services::sharing::Sharing;
use crate::services::subscriptions::Subscriptions;
use crate::state::{AppState, Services, WebConfig};
use crate::store::{SessionStore, Store};
use crate::support::kept::Kept;

const EXPIRED_SESSION_SWEEP: Duration = Duration::from_secs(3600);
const SETTLE_EVERY: Duration = Duration::from_secs(60);
const MIN_STALE_RESERVATION: Duration = Duration::from_secs(5 * 60);
const OUTBOX_STOP_WAIT: Duration = Duration::from_secs(25);
const FIRST_CONNECT_RETRY: Duration = Duration::from_millis(250);
const MAX_CONNECT_RETRY: Duration = Duration::from_secs(5);

pub struct Application {
    listener: TcpListener,
    /// `METRICS_ADDR`: /metrics without a token, on its own (private) address.
    metrics_listener: Option<TcpListener>,
    router: axum::Router,
    state: AppState,
    sessions: SessionStore,
    /// Sends queued mail; `None` when email is off.
    outbox: Option<Outbox>,
    shutdown_grace: Duration,
    settle_after: Duration,
    server: ServerConfig,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// As [`Application::build`], with the clock usage periods are counted by (tests move it).
    pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
        let store = connect_and_migrate(&config).await?;
        let sessions = SessionStore::new(&store)
            .await
            .context("cannot set up the session store")?;
        let usage_clock = UsageClock::new(clock.clone(), config.billing.past_due_grace);
        let jwt = Jwt::from_config(
            &config.jwt,
            &config.data_dir,
            &config.app_url,
            clock.clone(),
        )?;
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        let web = WebConfig {
            app_url: config.app_url.clone(),
            cors_allowed_origins: config.cors_allowed_origins.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
            metrics_token: config.metrics_token.clone(),
            session: config.session.clone(),
            max_upload_bytes: config.upload.max_bytes,
            upload_read_timeout: config.upload.read_timeout,
        };
        let session_layer = session_layer(&web, sessions.clone());
        let listener = TcpListener::bind((config.host, config.port))
            .await
            .with_context(|| format!("cannot listen on {}:{}", config.host, config.port))?;
        routes::metrics::handle();
        let metrics_listener = match config.metrics_addr {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on METRICS_ADDR {addr}"))?,
            ),
            None => None,
        };
        let generator = ai::from_config(&config.ai);
        let payments = config
            .billing
            .stripe
            .as_ref()
            .map(Payments::new)
            .transpose()
            .context("cannot set up the Stripe client")?;
        if payments.is_none() {
            tracing::info!(
                "STRIPE_SECRET_KEY is not set: payments are off; plans are set with `fursona admin`"
            );
        }
        tracing::info!(
            engine = generator.engine().as_str(),
            "fursona generator ready"
        );
        let outbox_wake = Arc::new(Notify::new());
        let outbox = match &config.mail.smtp {
            Some(smtp) => {
                let mailer = Mailer::new(smtp, &config.app_url).map_err(anyhow::Error::msg)?;
                tracing::info!(from = %smtp.from, "email is on");
                Some(Outbox::new(
                    store.clone(),
                    mailer,
                    clock.clone(),
                    outbox_wake.clone(),
                ))
            }
            None => {
                tracing::info!(
                    "SMTP_URL is not set: email is off; `fursona admin reset-link` makes reset links"
                );
                None
            }
        };
        let accounts = Accounts {
            store: store.clone(),
            passwords: Passwords::new(cpus)?,
            login_throttle: LoginThrottle::new(config.login_throttle.clone(), clock.clone()),
            device_cookies: jwt.device_cookies(),
            registrations: LoginThrottle::new(config.registrations.clone(), clock.clone()),
            jwt: jwt.clone(),
            clock: usage_clock.clone(),
            payments: payments.clone(),
            mail_enabled: outbox.is_some(),
            outbox_wake: outbox_wake.clone(),
        };
        let emails = Emails::new(
            accounts.clone(),
            outbox.is_some(),
            config.mail.require_verified_email,
            outbox_wake,
        );
        let generations = Generations::new(
            store.clone(),
            generator.clone(),
            GenerationQueue::new(config.ai.max_concurrency),
            PhotoPipeline::new(&config.upload, generator.sees_high_detail(), cpus)?,
            usage_clock.clone(),
        )
        .requiring_verified_email(config.mail.require_verified_email);
        let subscriptions = Subscriptions {
            store: store.clone(),
            payments,
            webhook_secret: config.billing.webhook_secret.clone(),
            app_url: config.app_url.clone(),
            clock: usage_clock.clone(),
            mail_enabled: outbox.is_some(),
        };
        let sharing = Sharing {
            store: store.clone(),
            clock: usage_clock.clone(),
            // Guessing share links is limited like guessing passwords.
            guesses: LoginThrottle::new(config.login_throttle.clone(), clock),
        };
        let admin = Administration {
            store: store.clone(),
            clock: usage_clock.clone(),
            accounts: accounts.clone(),
        };
        let state = AppState::new(Services {
            admin,
            web: Arc::new(web),
            store,
            clock: usage_clock,
            jwt,
            generator,
            accounts,
            emails,
            generations,
            subscriptions,
            health: DatabaseHealth::default(),
            pictures: Pictures::new(cpus)?,
            sharing,
            fursona_json: Kept::new(routes::shapes::KEPT_JSON_BYTES),
        });
        Ok(Application {
            listener,
            metrics_listener,
            router: routes::router(state.clone(), session_layer),
            state,
            sessions,
            outbox,
            shutdown_grace: config.shutdown_grace,
            server: config.server.clone(),
            settle_after: (config.ai.timeout * 2).max(MIN_STALE_RESERVATION),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then stops accepting, lets in-flight requests (and
    /// generations whose client left) finish within `SHUTDOWN_GRACE`, gives back whatever is
    /// still pending, and closes the pool.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.local_addr()?;
        tracing::info!(%addr, backend = ?self.state.store.backend(), "serving");
        let sweeper = tokio::spawn(
            self.sessions
                .continuously_delete_expired(EXPIRED_SESSION_SWEEP),
        );
        let settler = tokio::spawn(settle_periodically(
            self.state.generations.clone(),
            self.settle_after,
        ));
        let stop_outbox = CancellationToken::new();
        let outbox = self
            .outbox
            .map(|outbox| tokio::spawn(outbox.run(stop_outbox.clone())));
        let metrics_server = self.metrics_listener.map(|listener| {
            let state = self.state.clone();
            let router = axum::Router::new().route(
                "/metrics",
                axum::routing::get(move || {
                    let state = state.clone();
                    async move { routes::metrics::render(&state) }
                }),
            );
            tokio::spawn(async move { axum::serve(listener, router).await })
        });
        let grace = self.shutdown_grace;
        let (stopping_tx, stopping_rx) = tokio::sync::watch::channel(None);
        let serve = server::serve(self.listener, self.router, self.server, async move {
            shutdown.await;
            let _ = stopping_tx.send(Some(tokio::time::Instant::now() + grace));
        });
        let mut stopping = stopping_rx.clone();
        let deadline = async move {
            match stopping.wait_for(Option::is_some).await.map(|d| *d) {
                Ok(Some(deadline)) => tokio::time::sleep_until(deadline).await,
                _ => std::future::pending().await,
            }
        };
        let served = tokio::select! {
            () = serve => Ok(()),
            () = deadline => {
                tracing::warn!(?grace, "grace period over: stopping with requests still in flight");
                Ok(())
            }
        };
        sweeper.abort();
        settler.abort();
        // A mail being sent finishes; the rest waits in the outbox for the next start.
        stop_outbox.cancel();
        if let Some(outbox) = outbox
            && tokio::time::timeout(OUTBOX_STOP_WAIT, outbox)
                .await
                .is_err()
        {
            tracing::warn!("the outbox did not stop in time; its claimed mail is retried later");
        }
        if let Some(server) = metrics_server {
            server.abort();
        }
        let left = (*stopping_rx.borrow()).map_or(grace, |deadline| {
            deadline.saturating_duration_since(tokio::time::Instant::now())
        });
        self.state.generations.drain(left).await;
        self.state.store.close().await;
        tracing::info!("stopped");
        served
    }
}

/// Gives back generations left pending by a process that died mid-way: at start, then every
/// minute. A reservation is stale well after the AI timeout, so none in flight is touched.
async fn settle_periodically(generations: Generations, stale_after: Duration) {
    let mut ticks = tokio::time::interval(SETTLE_EVERY);
    loop {
        ticks.tick().await;
        if let Err(e) = generations.settle_stale_reservations(stale_after).await {
            tracing::warn!(error = %e, "settling stale reservations failed; will retry");
        }
    }
}

/// Connects to the configured database and applies the embedded migrations. An unreachable
/// database (still starting, say) is retried with backoff for `DB_STARTUP_TIMEOUT`.
pub async fn connect_and_migrate(config: &Config) -> anyhow::Result<Store> {
    let deadline = tokio::time::Instant::now() + config.database.startup_timeout;
    let mut delay = FIRST_CONNECT_RETRY;
    let mut attempt = 1;
    let store = loop {
        match Store::connect(&config.database).await {
            Ok(store) => break store,
            Err(e) if is_unreachable(&e) && tokio::time::Instant::now() + delay < deadline => {
                tracing::warn!(attempt, error = %e, retry_in = ?delay, "database not reachable yet");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_CONNECT_RETRY);
                attempt += 1;
            }
            Err(e) => return Err(anyhow::Error::new(e).context("cannot connect to the database")),
        }
    };
    store
        .migrate()
        .await
        .context("cannot apply database migrations")?;
    Ok(store)
}

/// Worth waiting for: the server is not there (yet). Wrong credentials or an unknown database
/// are configuration errors and fail at once.
fn is_unreachable(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_)
    )
}

fn session_layer(config: &WebConfig, store: SessionStore) -> SessionManagerLayer<SessionStore> {
    let https = config.is_https();
    // `__Host-` makes the browser refuse the cookie unless Secure, host-only and for path /.
    let name = if https {
        "__Host-fursona_session"
    } else {
        "fursona_session"
    };
    let idle =
        time::Duration::try_from(config.session.idle_timeout).unwrap_or(time::Duration::WEEK);
    SessionManagerLayer::new(store)
        .with_name(name)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(https)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested: finishing in-flight requests");
}
