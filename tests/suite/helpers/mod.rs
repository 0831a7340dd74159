//! The harness: the real app, built by the same `Application::build` production uses, on port 0
//! against a fresh database per test (a new MariaDB database or a new SQLite file).
//!
//! - this module: `TestApp` and `TestDb`, the configuration every test starts from, the clock,
//!   clients, fixtures and the API's error shape;
//! - [`api`]: `TestApp`'s helpers for the JSON API, one per endpoint;
//! - [`admin`]: the admin console's API, one helper per endpoint, and making administrators;
//! - [`pages`]: the HTML pages: CSRF tokens, forms, session cookies;
//! - [`stripe`]: fake Stripe servers, Stripe's example objects, signed webhook events;
//! - [`openai`]: a fake OpenAI's answers and the app configured to call it;
//! - [`openapi`]: the OpenAPI document and its operations;
//! - [`process`]: the real binary, started as a process;
//! - [`raw`]: raw TCP clients: slow bodies, half heads, the page session by hand;
//! - [`relay`]: a cuttable link to MariaDB, to take the database away;
//! - [`smtp`]: a real SMTP server (aiosmtpd) that keeps what it receives, and the mail endpoints;
//! - [`browser`]: Chromium through chromedriver;
//! - [`coding`]: requests that accept brotli or gzip, and their bodies decoded.
//!
//! The app's own modules are named here only (`fursona::...`), so that renaming them is a change
//! in this file.

pub mod admin;
pub mod api;
pub mod browser;
pub mod coding;
pub mod openai;
pub mod openapi;
pub mod pages;
pub mod process;
pub mod raw;
pub mod relay;
pub mod smtp;
pub mod stripe;
pub mod validator;

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

pub use fursona::ai::{AiConfig, Detail, ModelChoice, OpenAiConfig};
pub use fursona::app::config::Config;
pub use fursona::app::server::ServerConfig;
use fursona::app::startup::Application;
pub use fursona::auth::jwt::JwtConfig;
pub use fursona::auth::session::SessionConfig;
pub use fursona::auth::throttle::ThrottleConfig;
pub use fursona::billing::{BillingConfig, StripeConfig};
pub use fursona::domain::usage::calendar_month;
use fursona::domain::usage::{Clock, now};
pub use fursona::services::generation::UploadConfig;
pub use fursona::store::{Backend, DatabaseConfig};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::Value;
use sqlx::Connection;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub const JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-0123456789";
pub const PASSWORD: &str = "correct horse battery staple";

/// Runs each listed `async fn name(backend: Backend)` as two tests, `name::sqlite` and
/// `name::mariadb`.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mariadb() {
                super::$name($crate::helpers::Backend::MariaDb).await
            }
        }
    )+};
}
pub(crate) use on_both_backends;

/// MariaDB server for tests; every test creates its own database on it.
pub fn mariadb_admin_url() -> String {
    std::env::var("TEST_MARIADB_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

/// A database that exists for one test. Dropped when the test passes; kept for inspection when
/// it fails.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub dir: PathBuf,
    mariadb_name: Option<String>,
}

impl TestDb {
    pub async fn create(backend: Backend) -> TestDb {
        let id = Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("fursona-test-{id}"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        match backend {
            Backend::Sqlite => TestDb {
                backend,
                url: format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
                dir,
                mariadb_name: None,
            },
            Backend::MariaDb => {
                let name = format!("fursona_test_{}", &id[..16]);
                let admin = mariadb_admin_url();
                let mut conn = sqlx::MySqlConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("MariaDB at {admin} is required for the tests: {e}")
                    });
                sqlx::query(&format!("CREATE DATABASE `{name}`"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                TestDb {
                    backend,
                    url: format!("{}/{name}", admin.trim_end_matches('/')),
                    dir,
                    mariadb_name: Some(name),
                }
            }
        }
    }

    /// Stands in for a database that has been moved to a restarted app.
    fn placeholder() -> TestDb {
        TestDb {
            backend: Backend::Sqlite,
            url: String::new(),
            dir: PathBuf::new(),
            mariadb_name: None,
        }
    }

    /// A statement against this database, to set up state directly.
    pub async fn execute(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("sqlite");
                sqlx::query(sql).execute(&mut conn).await.expect(sql);
            }
            Backend::MariaDb => {
                let mut conn = sqlx::MySqlConnection::connect(&self.url)
                    .await
                    .expect("mariadb");
                sqlx::query(sql).execute(&mut conn).await.expect(sql);
            }
        }
    }

    /// A number from this database (a count, a counter), to inspect state.
    pub async fn scalar_i64(&self, sql: &str) -> i64 {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("sqlite");
                sqlx::query_scalar(sql)
                    .fetch_one(&mut conn)
                    .await
                    .expect(sql)
            }
            Backend::MariaDb => {
                let mut conn = sqlx::MySqlConnection::connect(&self.url)
                    .await
                    .expect("mariadb");
                sqlx::query_scalar(sql)
                    .fetch_one(&mut conn)
                    .await
                    .expect(sql)
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "test failed: keeping {} and {}",
                self.url,
                self.dir.display()
            );
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.mariadb_name.take() {
            let admin = mariadb_admin_url();
            let shown = name.clone();
            // Drop runs inside the test's runtime, which cannot block on itself.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    let mut conn = sqlx::MySqlConnection::connect(&admin)
                        .await
                        .map_err(std::io::Error::other)?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS `{name}`"))
                        .execute(&mut conn)
                        .await
                        .map_err(std::io::Error::other)?;
                    Ok::<_, std::io::Error>(())
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("could not drop test database {shown}");
            }
        }
    }
}

/// The configuration every test starts from; a test changes what it is about.
pub fn test_config(db: &TestDb) -> Config {
    Config {
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        app_url: url::Url::parse("http://localhost:3001").expect("url"),
        data_dir: db.dir.join("data"),
        database: DatabaseConfig {
            url: SecretString::from(db.url.clone()),
            backend: db.backend,
            max_connections: 5,
            startup_timeout: Duration::from_secs(10),
            query_timeout: Duration::from_secs(5),
        },
        jwt: JwtConfig {
            secret: Some(SecretString::from(JWT_SECRET)),
            // Tokens expire by the app's clock, which tests move months ahead.
            ttl: Duration::from_secs(400 * 24 * 3600),
        },
        session: SessionConfig {
            idle_timeout: Duration::from_secs(7 * 24 * 3600),
            max_age: Duration::from_secs(30 * 24 * 3600),
        },
        cors_allowed_origins: Vec::new(),
        login_throttle: ThrottleConfig {
            max_failures: 10,
            window: Duration::from_secs(60),
        },
        // Tests register many accounts from one address.
        registrations: ThrottleConfig {
            max_failures: 1000,
            window: Duration::from_secs(3600),
        },
        upload: UploadConfig {
            max_bytes: 10 * 1024 * 1024,
            photo_max_side: 1024,
            read_timeout: Duration::from_secs(30),
        },
        ai: AiConfig {
            openai: None,
            timeout: Duration::from_secs(10),
            max_concurrency: 4,
        },
        shutdown_grace: Duration::from_secs(10),
        server: ServerConfig {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 4096,
            max_connections_per_address: 1024,
        },
        trusted_proxies: Vec::new(),
        metrics_token: None,
        metrics_addr: None,
        billing: BillingConfig {
            stripe: None,
            webhook_secret: None,
            past_due_grace: Duration::from_secs(7 * 24 * 3600),
        },
        mail: fursona::mail::MailConfig::default(),
    }
}

/// A clock the test can move forward, e.g. into next month.
#[derive(Default)]
pub struct TestClock {
    offset_secs: AtomicI64,
}

impl TestClock {
    pub fn advance(&self, by: time::Duration) {
        self.offset_secs
            .fetch_add(by.whole_seconds(), Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> time::OffsetDateTime {
        now() + time::Duration::seconds(self.offset_secs.load(Ordering::SeqCst))
    }
}

pub struct TestApp {
    pub address: String,
    pub clock: Arc<TestClock>,
    pub config: Config,
    pub db: TestDb,
    /// Keeps cookies, never follows redirects, so sessions and redirects can be asserted.
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, customize: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_on(TestDb::create(backend).await, customize).await
    }

    /// The app on a database the test created (to reach it another way, through a relay say).
    pub async fn spawn_on(db: TestDb, customize: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = test_config(&db);
        customize(&mut config);
        Self::start(db, config, Arc::default()).await
    }

    async fn start(db: TestDb, config: Config, clock: Arc<TestClock>) -> TestApp {
        let app = Application::build_with_clock(config.clone(), clock.clone())
            .await
            .expect("app builds");
        let address = format!("http://{}", app.local_addr().expect("bound"));
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        TestApp {
            address,
            clock,
            config,
            db,
            client: client(),
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    /// Stops the server gracefully and starts a new one on the same database and settings.
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let db = std::mem::replace(&mut self.db, TestDb::placeholder());
        Self::start(db, self.config.clone(), self.clock.clone()).await
    }

    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stopped cleanly");
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A statement against the test's database, to set up state directly.
    pub async fn sql_execute(&self, sql: &str) {
        self.db.execute(sql).await;
    }

    /// A number from the test's database, to inspect state.
    pub async fn sql_scalar_i64(&self, sql: &str) -> i64 {
        self.db.scalar_i64(sql).await
    }

    /// A user's counted generations and stored results, read straight from the database.
    pub async fn usage_and_results(&self, email: &str) -> (i64, i64) {
        let used = self
            .sql_scalar_i64(&format!(
                "SELECT s.generations_used FROM subscriptions s JOIN users u ON u.id = s.user_id \
                 WHERE u.email = '{email}'"
            ))
            .await;
        let stored = self
            .sql_scalar_i64(&format!(
                "SELECT COUNT(*) FROM fursonas f JOIN users u ON u.id = f.user_id WHERE u.email = '{email}'"
            ))
            .await;
        (used, stored)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

pub fn client() -> reqwest::Client {
    client_from(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// A client whose requests come from another loopback address (127.0.0.2, ...), to act as
/// another machine.
pub fn client_from(address: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(address)
        .build()
        .expect("client")
}

pub fn loopback(last: u8) -> IpAddr {
    IpAddr::from_str(&format!("127.0.0.{last}")).expect("ip")
}

pub async fn json(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

/// Asserts the API's error shape and returns the code.
pub async fn error_code(response: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status, "unexpected status");
    let body = json(response).await;
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "error without message: {body}");
    body["error"]["code"]
        .as_str()
        .expect("error code")
        .to_owned()
}

/// A test image from `tests/fixtures/` (`photos/...` or `bad/...`).
pub fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// A photo as the original design's JSON field: a base64 data URL with a declared type.
pub fn data_url(declared_type: &str, bytes: &[u8]) -> String {
    use base64::Engine;
    format!(
        "data:{declared_type};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A photo as a browser's upload form sends it: multipart field `image`.
pub fn image_form(bytes: Vec<u8>, file_name: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part("image", image_part(bytes, file_name))
}

/// The photo's part of an upload form.
pub fn image_part(bytes: Vec<u8>, file_name: &str) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned())
}
