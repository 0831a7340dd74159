//! One builder per section of the settings, each producing the settings type of the part that
//! uses it. Every builder checks all of its fields before giving up, so problems in several
//! fields (and sections) are reported together; `None` means a problem was recorded.

use std::path::Path;

use secrecy::SecretString;
use url::Url;

use super::parse::{self, Problems, nonempty, positive, secret};
use super::settings::Settings;
use crate::ai::{AiConfig, Detail, ModelChoice, OpenAiConfig};
use crate::app::server::{self, ServerConfig};
use crate::auth::jwt::{JwtConfig, MIN_JWT_SECRET_BYTES};
use crate::auth::session::SessionConfig;
use crate::auth::throttle::ThrottleConfig;
use crate::billing::{BillingConfig, StripeConfig};
use crate::mail::{MailConfig, SmtpConfig};
use crate::services::generation::UploadConfig;
use crate::store::{Backend, DatabaseConfig};

pub fn database(s: &Settings, data_dir: &Path, p: &mut Problems) -> Option<DatabaseConfig> {
    let url = p.check("DATABASE_URL", database_url(s, data_dir));
    let max_connections = p.parse("DB_MAX_CONNECTIONS", &s.db_max_connections, positive::<u32>);
    let startup_timeout = p.parse("DB_STARTUP_TIMEOUT", &s.db_startup_timeout, parse::duration);
    let query_timeout = p.parse("DB_QUERY_TIMEOUT", &s.db_query_timeout, parse::duration);
    let (url, backend) = url?;
    Some(DatabaseConfig {
        url,
        backend,
        max_connections: max_connections?,
        startup_timeout: startup_timeout?,
        query_timeout: query_timeout?,
    })
}

/// The database comes from `DATABASE_URL`, else from the original design's `DB_*` variables
/// (MariaDB), else an SQLite file in the data directory.
fn database_url(s: &Settings, data_dir: &Path) -> Result<(SecretString, Backend), String> {
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

pub fn jwt(s: &Settings, p: &mut Problems) -> Option<JwtConfig> {
    let secret = match s.jwt_secret.as_deref() {
        Some(secret) if secret.len() < MIN_JWT_SECRET_BYTES => {
            p.add(format!(
                "JWT_SECRET: must be at least {MIN_JWT_SECRET_BYTES} bytes (it has {})",
                secret.len()
            ));
            None
        }
        Some(secret) => Some(Some(SecretString::from(secret.to_owned()))),
        None => Some(None),
    };
    let ttl = p.parse("JWT_TTL", &s.jwt_ttl, parse::duration);
    Some(JwtConfig {
        secret: secret?,
        ttl: ttl?,
    })
}

pub fn session(s: &Settings, p: &mut Problems) -> Option<SessionConfig> {
    let idle_timeout = p.parse(
        "SESSION_IDLE_TIMEOUT",
        &s.session_idle_timeout,
        parse::duration,
    );
    let max_age = p.parse("SESSION_MAX_AGE", &s.session_max_age, parse::duration);
    Some(SessionConfig {
        idle_timeout: idle_timeout?,
        max_age: max_age?,
    })
}

pub fn login_throttle(s: &Settings, p: &mut Problems) -> Option<ThrottleConfig> {
    let max_failures = p.parse("LOGIN_MAX_FAILURES", &s.login_max_failures, positive::<u32>);
    let window = p.parse(
        "LOGIN_FAILURE_WINDOW",
        &s.login_failure_window,
        parse::duration,
    );
    Some(ThrottleConfig {
        max_failures: max_failures?,
        window: window?,
    })
}

/// The accept loop's limits; `MAX_CONNECTIONS=auto` is sized from the open-file limit, less the
/// database pool.
pub fn server(s: &Settings, p: &mut Problems) -> Option<ServerConfig> {
    let header_read_timeout = p.parse(
        "HEADER_READ_TIMEOUT",
        &s.header_read_timeout,
        parse::duration,
    );
    let db_connections = s.db_max_connections.parse::<u32>().unwrap_or(10);
    let max_connections = p.parse("MAX_CONNECTIONS", &s.max_connections, |v| {
        if v == "auto" {
            Ok(server::default_max_connections(db_connections))
        } else {
            positive::<usize>(v)
        }
    });
    let max_connections_per_address = p.parse(
        "MAX_CONNECTIONS_PER_ADDRESS",
        &s.max_connections_per_address,
        positive::<usize>,
    );
    Some(ServerConfig {
        header_read_timeout: header_read_timeout?,
        max_connections: max_connections?,
        max_connections_per_address: max_connections_per_address?,
    })
}

/// Registrations per client address, counted by the same windows as failed logins.
pub fn registrations(s: &Settings, p: &mut Problems) -> Option<ThrottleConfig> {
    let max = p.parse(
        "REGISTER_MAX_PER_HOUR",
        &s.register_max_per_hour,
        positive::<u32>,
    );
    Some(ThrottleConfig {
        max_failures: max?,
        window: std::time::Duration::from_secs(3600),
    })
}

pub fn upload(s: &Settings, p: &mut Problems) -> Option<UploadConfig> {
    let max_bytes = p.parse("MAX_UPLOAD_BYTES", &s.max_upload_bytes, positive::<usize>);
    let photo_max_side = p.parse("PHOTO_MAX_SIDE", &s.photo_max_side, |v| {
        match v.parse::<u32>() {
            Ok(n) if (256..=4096).contains(&n) => Ok(n),
            _ => Err("must be a whole number from 256 to 4096".into()),
        }
    });
    let read_timeout = p.parse(
        "UPLOAD_READ_TIMEOUT",
        &s.upload_read_timeout,
        parse::duration,
    );
    Some(UploadConfig {
        max_bytes: max_bytes?,
        photo_max_side: photo_max_side?,
        read_timeout: read_timeout?,
    })
}

pub fn ai(s: &Settings, p: &mut Problems) -> Option<AiConfig> {
    let timeout = p.parse("AI_TIMEOUT", &s.ai_timeout, parse::duration);
    let max_concurrency = p.parse(
        "AI_MAX_CONCURRENCY",
        &s.ai_max_concurrency,
        positive::<usize>,
    );
    let openai = openai(s, p);
    Some(AiConfig {
        openai: openai?,
        timeout: timeout?,
        max_concurrency: max_concurrency?,
    })
}

/// `Some(None)`: offline. `None`: a problem was recorded.
fn openai(s: &Settings, p: &mut Problems) -> Option<Option<OpenAiConfig>> {
    let key = nonempty(&s.openai_api_key);
    let base_url = nonempty(&s.openai_base_url);
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
    let base_url = base_url.and_then(|u| p.check("OPENAI_BASE_URL", parse::base_url(u)));
    let max_retries = p.parse("AI_MAX_RETRIES", &s.ai_max_retries, |v| {
        v.parse::<usize>()
            .ok()
            .filter(|n| *n <= 10)
            .ok_or_else(|| "must be 0 to 10".to_owned())
    });
    let reasoning_effort = p.parse(
        "OPENAI_REASONING_EFFORT",
        &s.openai_reasoning_effort,
        parse::reasoning_effort,
    );
    let free = model_choice(p, "FREE", &s.openai_model_free, &s.openai_detail_free);
    let basic = model_choice(p, "BASIC", &s.openai_model_basic, &s.openai_detail_basic);
    let pro = model_choice(p, "PRO", &s.openai_model_pro, &s.openai_detail_pro);
    Some(Some(OpenAiConfig {
        api_key: secret(&s.openai_api_key),
        base_url,
        max_retries: max_retries?,
        reasoning_effort: reasoning_effort?,
        free: free?,
        basic: basic?,
        pro: pro?,
    }))
}

fn model_choice(p: &mut Problems, plan: &str, model: &str, detail: &str) -> Option<ModelChoice> {
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
}

pub fn billing(s: &Settings, p: &mut Problems) -> Option<BillingConfig> {
    let stripe = stripe(s, p);
    let past_due_grace = p.parse("PAST_DUE_GRACE", &s.past_due_grace, parse::duration);
    Some(BillingConfig {
        stripe: stripe?,
        webhook_secret: secret(&s.stripe_webhook_secret),
        past_due_grace: past_due_grace?,
    })
}

/// `Some(None)`: payments off. Prices are required once a key is set.
fn stripe(s: &Settings, p: &mut Problems) -> Option<Option<StripeConfig>> {
    let Some(secret_key) = secret(&s.stripe_secret_key) else {
        return Some(None);
    };
    let mut price = |name: &str, value: &Option<String>| {
        let price = nonempty(value).map(str::to_owned);
        if price.is_none() {
            p.add(format!(
                "{name}: required when STRIPE_SECRET_KEY is set (a price_... id)"
            ));
        }
        price
    };
    let price_basic = price("STRIPE_PRICE_BASIC", &s.stripe_price_basic);
    let price_pro = price("STRIPE_PRICE_PRO", &s.stripe_price_pro);
    let api_base = match nonempty(&s.stripe_api_base) {
        Some(base) => Some(p.check("STRIPE_API_BASE", parse::base_url(base))?),
        None => None,
    };
    Some(Some(StripeConfig {
        secret_key,
        price_basic: price_basic?,
        price_pro: price_pro?,
        api_base,
    }))
}

pub fn mail(s: &Settings, p: &mut Problems) -> Option<MailConfig> {
    let require_verified_email = p.parse(
        "REQUIRE_VERIFIED_EMAIL",
        &s.require_verified_email,
        |v| match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" | "" => Ok(false),
            _ => Err("must be true or false".into()),
        },
    );
    let smtp = match nonempty(&s.smtp_url) {
        None => Some(None),
        Some(url) => {
            let url = p.check("SMTP_URL", smtp_url(url));
            let from = match nonempty(&s.mail_from) {
                Some(from) => p.check(
                    "MAIL_FROM",
                    from.parse::<lettre::message::Mailbox>()
                        .map_err(|_| format!("{from:?} is not an address or Name <address>")),
                ),
                None => {
                    p.add("MAIL_FROM: required when SMTP_URL is set".into());
                    None
                }
            };
            Some(Some(SmtpConfig {
                url: url?,
                from: from?,
            }))
        }
    };
    let require_verified_email = require_verified_email?;
    if require_verified_email && matches!(smtp, Some(None)) {
        p.add("REQUIRE_VERIFIED_EMAIL: needs SMTP_URL, or nobody could verify an address".into());
    }
    Some(MailConfig {
        smtp: smtp?,
        require_verified_email,
    })
}

/// Checks the SMTP URL's form; problems never repeat the URL, which may hold a password.
fn smtp_url(url: &str) -> Result<SecretString, String> {
    let parsed = Url::parse(url).map_err(|_| "is not a URL".to_owned())?;
    if !matches!(parsed.scheme(), "smtp" | "smtps") {
        return Err("must start with smtp:// or smtps://".into());
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("must name the mail server's host".into());
    }
    let tls = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v);
    if tls.is_some_and(|tls| tls != "required" && tls != "opportunistic") {
        return Err("tls= must be required or opportunistic".into());
    }
    Ok(SecretString::from(url.to_owned()))
}
