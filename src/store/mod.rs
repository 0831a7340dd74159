//! The only place with SQL. One enum over the two concrete pools: the shared SQL is written once
//! and run against either through [`with_pool!`]; the few statements that differ by dialect sit
//! side by side in the match arms where they are needed.

pub mod admin;
pub mod billing;
pub mod fursonas;
mod ids;
pub mod mail;
mod sessions;
pub mod shares;
pub mod usage;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use secrecy::ExposeSecret;
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

pub use sessions::SessionStore;

#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    /// Holds the password, so it is kept secret.
    pub url: secrecy::SecretString,
    pub backend: Backend,
    pub max_connections: u32,
    /// How long to retry an unreachable database at start.
    pub startup_timeout: Duration,
    /// The bound on every database call: connecting, acquiring, each statement or transaction.
    pub query_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    MariaDb,
    Sqlite,
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    /// sqlx bounds connecting and acquiring but not a statement on an open connection whose
    /// server has stopped answering: every call is bounded here instead.
    query_timeout: Duration,
}

#[derive(Clone, Debug)]
pub enum Pool {
    MySql(MySqlPool),
    Sqlite(SqlitePool),
}

/// Runs `$body` with `$pool` bound to whichever concrete pool the store holds, within the store's
/// query timeout. The body is compiled once per backend, so the same query text and row types
/// serve both; it yields a `Result` whose error comes from `sqlx::Error`.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {{
        let store: &$crate::store::Store = $store;
        match store.pool() {
            $crate::store::Pool::MySql($pool) => store.bounded(async { $body }).await,
            $crate::store::Pool::Sqlite($pool) => store.bounded(async { $body }).await,
        }
    }};
}
pub(crate) use with_pool;

impl Store {
    /// Opens the pool; nothing is connected until the first query.
    pub async fn connect(config: &DatabaseConfig) -> Result<Self, sqlx::Error> {
        let url = config.url.expose_secret();
        let timeout = config.query_timeout;
        let pool = match config.backend {
            Backend::MariaDb => {
                let options = MySqlConnectOptions::from_str(url)?
                    .charset("utf8mb4")
                    .timezone(Some("+00:00".into()));
                // One direct attempt first: the pool would quietly retry an unreachable server
                // until its acquire timeout, and the caller wants to see each failure.
                let connection =
                    tokio::time::timeout(timeout, sqlx::ConnectOptions::connect(&options))
                        .await
                        .map_err(|_| sqlx::Error::PoolTimedOut)??;
                sqlx::Connection::close(connection).await?;
                let pool = MySqlPoolOptions::new()
                    .max_connections(config.max_connections)
                    .acquire_timeout(timeout)
                    // sqlx already pings each connection when it comes back to the pool and
                    // drops it if broken; a second ping on the way out doubled every query's
                    // round trips.
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?;
                Pool::MySql(pool)
            }
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(timeout);
                let pool = SqlitePoolOptions::new()
                    .max_connections(config.max_connections)
                    .acquire_timeout(timeout)
                    .connect_with(options)
                    .await?;
                Pool::Sqlite(pool)
            }
        };
        Ok(Store {
            pool,
            query_timeout: timeout,
        })
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn query_timeout(&self) -> Duration {
        self.query_timeout
    }

    /// `call` within the query timeout; past it the call is dropped (an open transaction rolls
    /// back) and answers as an unreachable database does.
    pub async fn bounded<T, E: From<sqlx::Error>>(
        &self,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        tokio::time::timeout(self.query_timeout, call)
            .await
            .unwrap_or_else(|_| Err(E::from(sqlx::Error::PoolTimedOut)))
    }

    /// Applies the embedded migrations of the active backend.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match &self.pool {
            Pool::MySql(pool) => sqlx::migrate!("migrations/mysql").run(pool).await,
            Pool::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await,
        }
    }

    /// A round trip to the database, for the health check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_pool!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(drop))
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::MySql(pool) => pool.close().await,
            Pool::Sqlite(pool) => pool.close().await,
        }
    }

    /// Open connections and how many of them are idle, for the metrics.
    pub fn pool_state(&self) -> (u32, u32) {
        let (size, idle) = match &self.pool {
            Pool::MySql(pool) => (pool.size(), pool.num_idle()),
            Pool::Sqlite(pool) => (pool.size(), pool.num_idle()),
        };
        (size, u32::try_from(idle).unwrap_or(u32::MAX))
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::MySql(_) => Backend::MariaDb,
            Pool::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Lets a caller turn the one database error it expects into its own error, right where the
/// query runs (e.g. a duplicate email becomes a 409).
pub trait ResultExt<T> {
    fn on_unique_violation<E>(self, error: impl FnOnce() -> E) -> Result<T, E>
    where
        E: From<sqlx::Error>;
}

impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn on_unique_violation<E>(self, error: impl FnOnce() -> E) -> Result<T, E>
    where
        E: From<sqlx::Error>,
    {
        self.map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => error(),
            _ => E::from(e),
        })
    }
}
