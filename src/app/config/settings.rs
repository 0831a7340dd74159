//! The raw settings: every flag with its environment name, default and `--help` line. Strings
//! throughout, so that [`super::Config::from_settings`] can report every problem at once.

use clap::Args;

/// Raw settings as typed by the operator. Every field is a string so that validation can report
/// all problems together instead of stopping at the first.
#[derive(Args, Clone)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1", global = true)]
    pub host: String,
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value = "3001", global = true)]
    pub port: String,
    /// Public URL of the site, used for links and redirects; https turns on Secure cookies and HSTS.
    #[arg(
        long,
        env = "APP_URL",
        default_value = "http://localhost:3001",
        global = true
    )]
    pub app_url: String,
    /// Directory for the SQLite database and the generated JWT secret.
    #[arg(long, env = "DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: String,
    /// mysql://user:password@host:port/db or sqlite://path; default: SQLite under DATA_DIR.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// MariaDB host, used when DATABASE_URL is unset (setting it selects MariaDB).
    #[arg(long, env = "DB_HOST", global = true)]
    pub db_host: Option<String>,
    /// MariaDB port.
    #[arg(long, env = "DB_PORT", default_value = "3306", global = true)]
    pub db_port: String,
    /// MariaDB user.
    #[arg(long, env = "DB_USER", default_value = "fursona", global = true)]
    pub db_user: String,
    /// MariaDB password.
    #[arg(long, env = "DB_PASSWORD", hide_env_values = true, global = true)]
    pub db_password: Option<String>,
    /// MariaDB database name.
    #[arg(long, env = "DB_NAME", default_value = "fursona", global = true)]
    pub db_name: String,
    /// Largest number of open database connections.
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value = "10", global = true)]
    pub db_max_connections: String,
    /// Secret for signing API tokens, at least 32 bytes; generated into DATA_DIR when unset.
    #[arg(long, env = "JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,
    /// Lifetime of an API token, e.g. 24h or 30m.
    #[arg(long, env = "JWT_TTL", default_value = "24h", global = true)]
    pub jwt_ttl: String,
    /// A signed-in page session ends after this long without a visit.
    #[arg(
        long,
        env = "SESSION_IDLE_TIMEOUT",
        default_value = "7d",
        global = true
    )]
    pub session_idle_timeout: String,
    /// A signed-in page session ends this long after sign-in, however active.
    #[arg(long, env = "SESSION_MAX_AGE", default_value = "30d", global = true)]
    pub session_max_age: String,
    /// Comma-separated origins allowed to call /api from a browser, e.g. https://app.example.com.
    #[arg(long, env = "CORS_ALLOWED_ORIGINS", default_value = "", global = true)]
    pub cors_allowed_origins: String,
    /// Failed logins allowed per client address, and per account, within LOGIN_FAILURE_WINDOW.
    #[arg(long, env = "LOGIN_MAX_FAILURES", default_value = "10", global = true)]
    pub login_max_failures: String,
    /// Window over which failed logins are counted.
    #[arg(
        long,
        env = "LOGIN_FAILURE_WINDOW",
        default_value = "1m",
        global = true
    )]
    pub login_failure_window: String,
    /// Registrations allowed per client address per hour (each costs a password hash).
    #[arg(
        long,
        env = "REGISTER_MAX_PER_HOUR",
        default_value = "10",
        global = true
    )]
    pub register_max_per_hour: String,
    /// Largest accepted photo upload, in bytes.
    #[arg(
        long,
        env = "MAX_UPLOAD_BYTES",
        default_value = "10485760",
        global = true
    )]
    pub max_upload_bytes: String,
    /// How long an upload's body may take to arrive whole; slower than 1 KiB/s is cut sooner.
    #[arg(
        long,
        env = "UPLOAD_READ_TIMEOUT",
        default_value = "30s",
        global = true
    )]
    pub upload_read_timeout: String,
    /// Long side, in pixels, of the stored photo and of what the AI sees at high detail (512 when
    /// no plan's photo goes to a model in high detail).
    #[arg(long, env = "PHOTO_MAX_SIDE", default_value = "1024", global = true)]
    pub photo_max_side: String,
    /// Which generator makes fursonas: auto (OpenAI when a key or base URL is set), openai, offline.
    #[arg(long, env = "AI_PROVIDER", default_value = "auto", global = true)]
    pub ai_provider: String,
    /// OpenAI API key.
    #[arg(long, env = "OPENAI_API_KEY", hide_env_values = true, global = true)]
    pub openai_api_key: Option<String>,
    /// Base URL of an OpenAI-compatible API (Ollama, vLLM, LM Studio); default api.openai.com.
    #[arg(long, env = "OPENAI_BASE_URL", global = true)]
    pub openai_base_url: Option<String>,
    /// Model for the free plan ("Basic AI").
    #[arg(
        long,
        env = "OPENAI_MODEL_FREE",
        default_value = "gpt-5.4-nano",
        global = true
    )]
    pub openai_model_free: String,
    /// Model for the basic plan ("Enhanced AI").
    #[arg(
        long,
        env = "OPENAI_MODEL_BASIC",
        default_value = "gpt-5.4-mini",
        global = true
    )]
    pub openai_model_basic: String,
    /// Model for the pro plan ("Best AI").
    #[arg(
        long,
        env = "OPENAI_MODEL_PRO",
        default_value = "gpt-5.4",
        global = true
    )]
    pub openai_model_pro: String,
    /// Image detail for the free plan: low (a 512 px view, 85 tokens) or high.
    #[arg(long, env = "OPENAI_DETAIL_FREE", default_value = "low", global = true)]
    pub openai_detail_free: String,
    /// Image detail for the basic plan.
    #[arg(
        long,
        env = "OPENAI_DETAIL_BASIC",
        default_value = "high",
        global = true
    )]
    pub openai_detail_basic: String,
    /// Image detail for the pro plan.
    #[arg(long, env = "OPENAI_DETAIL_PRO", default_value = "high", global = true)]
    pub openai_detail_pro: String,
    /// Reasoning effort sent to reasoning models: none, minimal, low, medium, high, or off (not
    /// sent, for models without reasoning). Reasoning tokens count against the answer's limit.
    #[arg(
        long,
        env = "OPENAI_REASONING_EFFORT",
        default_value = "low",
        global = true
    )]
    pub openai_reasoning_effort: String,
    /// How long one generation may wait for the AI, retries included.
    #[arg(long, env = "AI_TIMEOUT", default_value = "60s", global = true)]
    pub ai_timeout: String,
    /// Retries of a failed AI call (429, 5xx, connection errors), with backoff.
    #[arg(long, env = "AI_MAX_RETRIES", default_value = "3", global = true)]
    pub ai_max_retries: String,
    /// Generations running at once; further requests queue, paid plans first.
    #[arg(long, env = "AI_MAX_CONCURRENCY", default_value = "4", global = true)]
    pub ai_max_concurrency: String,
    /// Stripe secret key; without it payments are off and plans are set with `fursona admin`.
    #[arg(long, env = "STRIPE_SECRET_KEY", hide_env_values = true, global = true)]
    pub stripe_secret_key: Option<String>,
    /// Secret of the Stripe webhook endpoint (whsec_...), to verify events.
    #[arg(
        long,
        env = "STRIPE_WEBHOOK_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub stripe_webhook_secret: Option<String>,
    /// Stripe price id of the Basic plan (price_...).
    #[arg(long, env = "STRIPE_PRICE_BASIC", global = true)]
    pub stripe_price_basic: Option<String>,
    /// Stripe price id of the Pro plan (price_...).
    #[arg(long, env = "STRIPE_PRICE_PRO", global = true)]
    pub stripe_price_pro: Option<String>,
    /// Base URL of the Stripe API, for tests and staging; default Stripe's own.
    #[arg(long, env = "STRIPE_API_BASE", global = true)]
    pub stripe_api_base: Option<String>,
    /// How long a paid plan keeps its allowance after a failed payment.
    #[arg(long, env = "PAST_DUE_GRACE", default_value = "7d", global = true)]
    pub past_due_grace: String,
    /// How long to keep retrying the database at start (the Docker Compose race).
    #[arg(long, env = "DB_STARTUP_TIMEOUT", default_value = "60s", global = true)]
    pub db_startup_timeout: String,
    /// The longest any database call may take (connecting, waiting for a connection, each
    /// statement); past it the request answers 503 instead of hanging on a stalled database.
    #[arg(long, env = "DB_QUERY_TIMEOUT", default_value = "5s", global = true)]
    pub db_query_timeout: String,
    /// On SIGTERM, how long in-flight requests (a generation included) may take to finish.
    #[arg(long, env = "SHUTDOWN_GRACE", default_value = "30s", global = true)]
    pub shutdown_grace: String,
    /// How long a client may take to send a request's headers; then the connection is closed.
    #[arg(
        long,
        env = "HEADER_READ_TIMEOUT",
        default_value = "10s",
        global = true
    )]
    pub header_read_timeout: String,
    /// Open connections at most; more are closed at once. auto: the open-file limit less room
    /// for the database and files.
    #[arg(long, env = "MAX_CONNECTIONS", default_value = "auto", global = true)]
    pub max_connections: String,
    /// Open connections at most from one client address; more are closed at once.
    #[arg(
        long,
        env = "MAX_CONNECTIONS_PER_ADDRESS",
        default_value = "256",
        global = true
    )]
    pub max_connections_per_address: String,
    /// Comma-separated addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed; from anyone else those headers are ignored.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,
    /// Bearer token that unlocks /metrics on the main listener; unset: /metrics answers 404 there.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,
    /// SMTP server for mail: smtp://user:pass@host:587?tls=required (STARTTLS), smtps://user:pass@host:465
    /// (TLS) or smtp://host:25 (plain, a local relay); unset: email is off.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    /// Sender of every mail, e.g. "Fursona Generator <no-reply@example.com>"; required with SMTP_URL.
    #[arg(long, env = "MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// Generating waits until the account's email address is verified (needs SMTP_URL).
    #[arg(
        long,
        env = "REQUIRE_VERIFIED_EMAIL",
        default_value = "false",
        global = true
    )]
    pub require_verified_email: String,
    /// A separate address (e.g. 127.0.0.1:9090) serving /metrics without a token, for a private network.
    #[arg(long, env = "METRICS_ADDR", global = true)]
    pub metrics_addr: Option<String>,
}
