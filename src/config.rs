//! Settings: read from flags or the environment by clap (which also writes `--help`), then checked
//! all at once so that a bad start lists every problem in one message.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use clap::Args;
use secrecy::SecretString;
use url::Url;

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
    /// Largest accepted photo upload, in bytes.
    #[arg(
        long,
        env = "MAX_UPLOAD_BYTES",
        default_value = "10485760",
        global = true
    )]
    pub max_upload_bytes: String,
    /// Long side, in pixels, of the stored photo (and of what the AI sees at high detail).
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
    /// On SIGTERM, how long in-flight requests (a generation included) may take to finish.
    #[arg(long, env = "SHUTDOWN_GRACE", default_value = "30s", global = true)]
    pub shutdown_grace: String,
    /// Comma-separated addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed; from anyone else those headers are ignored.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,
    /// Bearer token that unlocks /metrics on the main listener; unset: /metrics answers 404 there.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,
    /// A separate address (e.g. 127.0.0.1:9090) serving /metrics without a token, for a private network.
    #[arg(long, env = "METRICS_ADDR", global = true)]
    pub metrics_addr: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub host: IpAddr,
    pub port: u16,
    pub app_url: Url,
    pub data_dir: PathBuf,
    pub database: DatabaseConfig,
    pub jwt: JwtConfig,
    pub session: SessionConfig,
    pub cors_allowed_origins: Vec<HeaderValue>,
    pub login_throttle: ThrottleConfig,
    pub upload: UploadConfig,
    pub ai: AiConfig,
    pub billing: BillingConfig,
    pub shutdown_grace: Duration,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub metrics_token: Option<SecretString>,
    pub metrics_addr: Option<std::net::SocketAddr>,
}

#[derive(Debug, Clone)]
pub struct BillingConfig {
    /// `None`: payments are not configured.
    pub stripe: Option<StripeConfig>,
    /// `None`: the webhook endpoint refuses every event.
    pub webhook_secret: Option<SecretString>,
    pub past_due_grace: Duration,
}

#[derive(Debug, Clone)]
pub struct StripeConfig {
    pub secret_key: SecretString,
    pub price_basic: String,
    pub price_pro: String,
    /// `None`: Stripe's own API.
    pub api_base: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UploadConfig {
    pub max_bytes: usize,
    pub photo_max_side: u32,
}

#[derive(Debug, Clone)]
pub struct AiConfig {
    /// `None`: the offline generator.
    pub openai: Option<OpenAiConfig>,
    pub timeout: Duration,
    pub max_concurrency: usize,
}

#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    pub api_key: Option<SecretString>,
    /// `None`: api.openai.com.
    pub base_url: Option<String>,
    pub max_retries: usize,
    pub free: ModelChoice,
    pub basic: ModelChoice,
    pub pro: ModelChoice,
}

/// The model and image detail one plan gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelChoice {
    pub model: String,
    pub detail: Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Low,
    High,
}

#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    /// Holds the password, so it is kept secret.
    pub url: SecretString,
    pub backend: Backend,
    pub max_connections: u32,
    /// How long to retry an unreachable database at start.
    pub startup_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    MariaDb,
    Sqlite,
}

#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// `None`: generated on first start and kept in the data directory.
    pub secret: Option<SecretString>,
    pub ttl: Duration,
}

#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub idle_timeout: Duration,
    pub max_age: Duration,
}

#[derive(Debug, Clone)]
pub struct ThrottleConfig {
    pub max_failures: u32,
    pub window: Duration,
}

pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// Every problem found in the settings, reported together.
#[derive(Debug)]
pub struct ConfigError(pub Vec<String>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "invalid configuration:")?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    pub fn from_settings(s: &Settings) -> Result<Self, ConfigError> {
        let mut p = Problems::default();
        let host = p.parse("HOST", &s.host, |v| {
            v.parse::<IpAddr>().map_err(|e| e.to_string())
        });
        let port = p.parse("PORT", &s.port, |v| {
            v.parse::<u16>().map_err(|e| e.to_string())
        });
        let app_url = p.parse("APP_URL", &s.app_url, parse_app_url);
        let data_dir = PathBuf::from(&s.data_dir);
        let database = p.check("DATABASE_URL", database_url(s, &data_dir));
        let max_connections = p.parse("DB_MAX_CONNECTIONS", &s.db_max_connections, positive::<u32>);
        let jwt_secret = match &s.jwt_secret {
            Some(secret) if secret.len() < MIN_JWT_SECRET_BYTES => {
                p.add(format!(
                    "JWT_SECRET: must be at least {MIN_JWT_SECRET_BYTES} bytes (it has {})",
                    secret.len()
                ));
                None
            }
            Some(secret) => Some(SecretString::from(secret.clone())),
            None => None,
        };
        let jwt_ttl = p.parse("JWT_TTL", &s.jwt_ttl, parse_duration);
        let idle_timeout = p.parse(
            "SESSION_IDLE_TIMEOUT",
            &s.session_idle_timeout,
            parse_duration,
        );
        let max_age = p.parse("SESSION_MAX_AGE", &s.session_max_age, parse_duration);
        let cors = p.parse(
            "CORS_ALLOWED_ORIGINS",
            &s.cors_allowed_origins,
            parse_origins,
        );
        let max_failures = p.parse("LOGIN_MAX_FAILURES", &s.login_max_failures, positive::<u32>);
        let window = p.parse(
            "LOGIN_FAILURE_WINDOW",
            &s.login_failure_window,
            parse_duration,
        );
        let max_upload_bytes = p.parse("MAX_UPLOAD_BYTES", &s.max_upload_bytes, positive::<usize>);
        let photo_max_side = p.parse("PHOTO_MAX_SIDE", &s.photo_max_side, |v| {
            match v.parse::<u32>() {
                Ok(n) if (256..=4096).contains(&n) => Ok(n),
                _ => Err("must be a whole number from 256 to 4096".into()),
            }
        });
        let ai_timeout = p.parse("AI_TIMEOUT", &s.ai_timeout, parse_duration);
        let ai_concurrency = p.parse(
            "AI_MAX_CONCURRENCY",
            &s.ai_max_concurrency,
            positive::<usize>,
        );
        let openai = openai_config(s, &mut p);
        let stripe = stripe_config(s, &mut p);
        let past_due_grace = p.parse("PAST_DUE_GRACE", &s.past_due_grace, parse_duration);
        let startup_timeout = p.parse("DB_STARTUP_TIMEOUT", &s.db_startup_timeout, parse_duration);
        let shutdown_grace = p.parse("SHUTDOWN_GRACE", &s.shutdown_grace, parse_duration);
        let trusted_proxies = p.parse("TRUSTED_PROXIES", &s.trusted_proxies, parse_networks);
        let metrics_addr = match nonempty(&s.metrics_addr) {
            Some(addr) => p
                .check(
                    "METRICS_ADDR",
                    addr.parse()
                        .map_err(|_| format!("{addr:?} is not host:port")),
                )
                .map(Some),
            None => Some(None),
        };

        match (
            host,
            port,
            app_url,
            database,
            max_connections,
            jwt_ttl,
            idle_timeout,
            max_age,
            cors,
            max_failures,
            window,
            max_upload_bytes,
            photo_max_side,
            ai_timeout,
            ai_concurrency,
            openai,
            stripe,
            past_due_grace,
            startup_timeout,
            shutdown_grace,
            trusted_proxies,
            metrics_addr,
        ) {
            (
                Some(host),
                Some(port),
                Some(app_url),
                Some((url, backend)),
                Some(max_connections),
                Some(jwt_ttl),
                Some(idle_timeout),
                Some(max_age),
                Some(cors_allowed_origins),
                Some(max_failures),
                Some(window),
                Some(max_bytes),
                Some(photo_max_side),
                Some(timeout),
                Some(max_concurrency),
                Some(openai),
                Some(stripe),
                Some(past_due_grace),
                Some(startup_timeout),
                Some(shutdown_grace),
                Some(trusted_proxies),
                Some(metrics_addr),
            ) if p.0.is_empty() => Ok(Config {
                host,
                port,
                app_url,
                data_dir,
                database: DatabaseConfig {
                    url,
                    backend,
                    max_connections,
                    startup_timeout,
                },
                jwt: JwtConfig {
                    secret: jwt_secret,
                    ttl: jwt_ttl,
                },
                session: SessionConfig {
                    idle_timeout,
                    max_age,
                },
                cors_allowed_origins,
                login_throttle: ThrottleConfig {
                    max_failures,
                    window,
                },
                upload: UploadConfig {
                    max_bytes,
                    photo_max_side,
                },
                ai: AiConfig {
                    openai,
                    timeout,
                    max_concurrency,
                },
                shutdown_grace,
                trusted_proxies,
                metrics_token: nonempty(&s.metrics_token).map(|t| SecretString::from(t.to_owned())),
                metrics_addr,
                billing: BillingConfig {
                    stripe,
                    webhook_secret: nonempty(&s.stripe_webhook_secret)
                        .map(|secret| SecretString::from(secret.to_owned())),
                    past_due_grace,
                },
            }),
            _ => Err(ConfigError(p.0)),
        }
    }

    /// Cookies get `Secure` and the `__Host-` prefix, and responses HSTS, behind https.
    pub fn is_https(&self) -> bool {
        self.app_url.scheme() == "https"
    }
}

#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn add(&mut self, problem: String) {
        self.0.push(problem);
    }

    fn parse<T>(
        &mut self,
        name: &str,
        input: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        self.check(name, parse(input))
    }

    fn check<T>(&mut self, name: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|e| self.add(format!("{name}: {e}"))).ok()
    }
}

fn positive<T: std::str::FromStr + PartialOrd + Default>(v: &str) -> Result<T, String> {
    match v.parse::<T>() {
        Ok(n) if n > T::default() => Ok(n),
        _ => Err("must be a whole number above 0".into()),
    }
}

/// `Some(None)`: offline. `None`: a problem was recorded.
fn openai_config(s: &Settings, p: &mut Problems) -> Option<Option<OpenAiConfig>> {
    let key = s.openai_api_key.as_deref().filter(|k| !k.trim().is_empty());
    let base_url = s
        .openai_base_url
        .as_deref()
        .filter(|u| !u.trim().is_empty());
    let use_openai = match s.ai_provider.as_str() {
        "auto" => key.is_some() || base_url.is_some(),
        "openai" => true,
        "offline" => false,
        other => {
            p.add(format!(
                "AI_PROVIDER: {other:?} is not one of auto, openai, offline"
            ));
            return None;
        }
    };
    if !use_openai {
        return Some(None);
    }
    if key.is_none() && base_url.is_none() {
        p.add("OPENAI_API_KEY: AI_PROVIDER=openai needs a key (or OPENAI_BASE_URL for a local server)".into());
    }
    let base_url = base_url.and_then(|u| p.check("OPENAI_BASE_URL", parse_base_url(u)));
    let max_retries = p.parse("AI_MAX_RETRIES", &s.ai_max_retries, |v| {
        v.parse::<usize>()
            .ok()
            .filter(|n| *n <= 10)
            .ok_or_else(|| "must be 0 to 10".to_owned())
    });
    let mut choice = |plan: &str, model: &str, detail: &str| {
        let detail = match detail {
            "low" => Some(Detail::Low),
            "high" => Some(Detail::High),
            other => {
                p.add(format!(
                    "OPENAI_DETAIL_{plan}: {other:?} is not low or high"
                ));
                None
            }
        };
        if model.trim().is_empty() {
            p.add(format!("OPENAI_MODEL_{plan}: must name a model"));
        }
        detail.map(|detail| ModelChoice {
            model: model.trim().to_owned(),
            detail,
        })
    };
    let free = choice("FREE", &s.openai_model_free, &s.openai_detail_free);
    let basic = choice("BASIC", &s.openai_model_basic, &s.openai_detail_basic);
    let pro = choice("PRO", &s.openai_model_pro, &s.openai_detail_pro);
    match (free, basic, pro, max_retries) {
        (Some(free), Some(basic), Some(pro), Some(max_retries)) => Some(Some(OpenAiConfig {
            api_key: key.map(|k| SecretString::from(k.to_owned())),
            base_url,
            max_retries,
            free,
            basic,
            pro,
        })),
        _ => None,
    }
}

/// "10.0.0.1, 172.16.0.0/12": single addresses become /32 or /128 networks.
fn parse_networks(v: &str) -> Result<Vec<ipnet::IpNet>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            n.parse::<ipnet::IpNet>()
                .or_else(|_| n.parse::<IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("{n:?} is not an address or a network like 10.0.0.0/8"))
        })
        .collect()
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// `Some(None)`: payments off. Prices are required once a key is set.
fn stripe_config(s: &Settings, p: &mut Problems) -> Option<Option<StripeConfig>> {
    let Some(secret_key) = nonempty(&s.stripe_secret_key) else {
        return Some(None);
    };
    let price = |name: &str, value: &Option<String>, p: &mut Problems| {
        let price = nonempty(value).map(str::to_owned);
        if price.is_none() {
            p.add(format!(
                "{name}: required when STRIPE_SECRET_KEY is set (a price_... id)"
            ));
        }
        price
    };
    let price_basic = price("STRIPE_PRICE_BASIC", &s.stripe_price_basic, p);
    let price_pro = price("STRIPE_PRICE_PRO", &s.stripe_price_pro, p);
    let api_base = match nonempty(&s.stripe_api_base) {
        Some(base) => Some(p.check("STRIPE_API_BASE", parse_base_url(base))?),
        None => None,
    };
    Some(Some(StripeConfig {
        secret_key: SecretString::from(secret_key.to_owned()),
        price_basic: price_basic?,
        price_pro: price_pro?,
        api_base,
    }))
}

fn parse_base_url(v: &str) -> Result<String, String> {
    let url =
        Url::parse(v).map_err(|e| format!("{e} (expected e.g. http://127.0.0.1:11434/v1)"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http or https URL".into());
    }
    Ok(v.trim_end_matches('/').to_owned())
}

fn parse_app_url(v: &str) -> Result<Url, String> {
    let url = Url::parse(v).map_err(|e| format!("{e} (expected e.g. https://fursona.example)"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("must be an http or https URL with a host".into());
    }
    Ok(url)
}

fn parse_duration(v: &str) -> Result<Duration, String> {
    match humantime::parse_duration(v) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err("must be longer than zero".into()),
        Err(e) => Err(format!("{e} (expected e.g. 30s, 15m, 24h, 7d)")),
    }
}

fn parse_origins(v: &str) -> Result<Vec<HeaderValue>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let url = Url::parse(origin).map_err(|_| format!("{origin:?} is not an origin"))?;
            let serialized = url.origin().ascii_serialization();
            if serialized != origin.trim_end_matches('/') {
                return Err(format!(
                    "{origin:?} is not an origin (scheme://host[:port])"
                ));
            }
            HeaderValue::from_str(&serialized).map_err(|e| e.to_string())
        })
        .collect()
}

/// The database comes from `DATABASE_URL`, else from the original design's `DB_*` variables
/// (MariaDB), else an SQLite file in the data directory.
fn database_url(
    s: &Settings,
    data_dir: &std::path::Path,
) -> Result<(SecretString, Backend), String> {
    if let Some(url) = &s.database_url {
        let backend = match url.split_once("://").map(|(scheme, _)| scheme) {
            Some("mysql" | "mariadb") => Backend::MariaDb,
            Some("sqlite") => Backend::Sqlite,
            _ => return Err("must start with mysql:// or sqlite://".into()),
        };
        // sqlx only knows the mysql scheme; mariadb:// is accepted as an alias.
        let url = url.replacen("mariadb://", "mysql://", 1);
        return Ok((SecretString::from(url), backend));
    }
    if let Some(host) = &s.db_host {
        let port: u16 = s
            .db_port
            .parse()
            .map_err(|_| format!("DB_PORT {:?} is not a port number", s.db_port))?;
        let mut url = Url::parse("mysql://localhost").map_err(|e| e.to_string())?;
        url.set_host(Some(host))
            .map_err(|e| format!("DB_HOST {host:?}: {e}"))?;
        let credentials_ok = url.set_port(Some(port)).is_ok()
            && url.set_username(&s.db_user).is_ok()
            && url.set_password(s.db_password.as_deref()).is_ok();
        if !credentials_ok {
            return Err("DB_PORT, DB_USER or DB_PASSWORD cannot form a URL".into());
        }
        url.set_path(&s.db_name);
        return Ok((SecretString::from(String::from(url)), Backend::MariaDb));
    }
    let path = data_dir.join("fursona.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    Ok((SecretString::from(url), Backend::Sqlite))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use secrecy::ExposeSecret;

    #[derive(Parser)]
    struct TestCli {
        #[command(flatten)]
        settings: Settings,
    }

    fn settings(args: &[&str]) -> Settings {
        let mut argv = vec!["fursona"];
        argv.extend_from_slice(args);
        TestCli::try_parse_from(argv).expect("flags parse").settings
    }

    #[test]
    fn defaults_select_sqlite_in_the_data_directory() {
        let mut s = settings(&[]);
        s.database_url = None;
        s.db_host = None;
        s.jwt_secret = None;
        let config = Config::from_settings(&s).expect("defaults are valid");
        assert_eq!(config.database.backend, Backend::Sqlite);
        assert_eq!(config.port, 3001);
        assert!(config.database.url.expose_secret().contains("fursona.db"));
    }

    #[test]
    fn db_variables_build_an_escaped_mariadb_url() {
        let mut s = settings(&[
            "--db-host",
            "db",
            "--db-user",
            "app",
            "--db-password",
            "p@ss/w",
        ]);
        s.database_url = None;
        let config = Config::from_settings(&s).expect("valid");
        assert_eq!(config.database.backend, Backend::MariaDb);
        assert_eq!(
            config.database.url.expose_secret(),
            "mysql://app:p%40ss%2Fw@db:3306/fursona"
        );
    }

    #[test]
    fn every_problem_is_reported_together() {
        let s = settings(&[
            "--port",
            "99999",
            "--database-url",
            "postgres://x",
            "--jwt-secret",
            "short",
            "--jwt-ttl",
            "soon",
            "--cors-allowed-origins",
            "https://ok.example,not a url",
        ]);
        let err = Config::from_settings(&s).expect_err("invalid");
        let text = err.to_string();
        for name in [
            "PORT",
            "DATABASE_URL",
            "JWT_SECRET",
            "JWT_TTL",
            "CORS_ALLOWED_ORIGINS",
        ] {
            assert!(text.contains(name), "{name} missing from {text}");
        }
        assert_eq!(err.0.len(), 5);
    }

    #[test]
    fn debug_output_hides_secrets() {
        let s = settings(&[
            "--database-url",
            "mysql://u:hunter2-db@h/d",
            "--jwt-secret",
            "0123456789abcdef0123456789abcdef-secret",
        ]);
        let config = Config::from_settings(&s).expect("valid");
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2-db"));
        assert!(!debug.contains("abcdef-secret"));
    }
}
