//! Settings: read from flags or the environment by clap ([`Settings`], which also writes
//! `--help`), then checked all at once so that a bad start lists every problem in one message.
//! Each part owns its settings type; the builders in [`sections`] fill them in.

mod parse;
mod sections;
mod settings;

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use secrecy::SecretString;
use url::Url;

use crate::ai::AiConfig;
use crate::app::server::ServerConfig;
use crate::auth::jwt::JwtConfig;
use crate::auth::session::SessionConfig;
use crate::auth::throttle::ThrottleConfig;
use crate::billing::BillingConfig;
use crate::mail::MailConfig;
use crate::services::generation::UploadConfig;
use crate::store::DatabaseConfig;
use parse::{Problems, nonempty};
pub use settings::Settings;

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
    /// `REGISTER_MAX_PER_HOUR` registrations per client address per hour.
    pub registrations: ThrottleConfig,
    pub upload: UploadConfig,
    pub ai: AiConfig,
    pub billing: BillingConfig,
    pub mail: MailConfig,
    pub shutdown_grace: Duration,
    /// The accept loop: header read timeout, connection caps.
    pub server: ServerConfig,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub metrics_token: Option<SecretString>,
    pub metrics_addr: Option<SocketAddr>,
}

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
        let config = Self::assemble(s, &mut p);
        match config {
            Some(config) if p.0.is_empty() => Ok(config),
            _ => Err(ConfigError(p.0)),
        }
    }

    /// Every field is read (and its problems recorded) before any `?` gives up.
    fn assemble(s: &Settings, p: &mut Problems) -> Option<Self> {
        let host = p.parse("HOST", &s.host, |v| {
            v.parse::<IpAddr>().map_err(|e| e.to_string())
        });
        let port = p.parse("PORT", &s.port, |v| {
            v.parse::<u16>().map_err(|e| e.to_string())
        });
        let app_url = p.parse("APP_URL", &s.app_url, parse::app_url);
        let data_dir = PathBuf::from(&s.data_dir);
        let database = sections::database(s, &data_dir, p);
        let jwt = sections::jwt(s, p);
        let session = sections::session(s, p);
        let cors = p.parse(
            "CORS_ALLOWED_ORIGINS",
            &s.cors_allowed_origins,
            parse::origins,
        );
        let login_throttle = sections::login_throttle(s, p);
        let registrations = sections::registrations(s, p);
        let upload = sections::upload(s, p);
        let ai = sections::ai(s, p);
        let billing = sections::billing(s, p);
        let mail = sections::mail(s, p);
        let shutdown_grace = p.parse("SHUTDOWN_GRACE", &s.shutdown_grace, parse::duration);
        let server = sections::server(s, p);
        let trusted_proxies = p.parse("TRUSTED_PROXIES", &s.trusted_proxies, parse::networks);
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
        Some(Config {
            host: host?,
            port: port?,
            app_url: app_url?,
            data_dir,
            database: database?,
            jwt: jwt?,
            session: session?,
            cors_allowed_origins: cors?,
            login_throttle: login_throttle?,
            registrations: registrations?,
            upload: upload?,
            ai: ai?,
            billing: billing?,
            mail: mail?,
            shutdown_grace: shutdown_grace?,
            server: server?,
            trusted_proxies: trusted_proxies?,
            metrics_token: parse::secret(&s.metrics_token),
            metrics_addr: metrics_addr?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Backend;
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

    #[test]
    fn smtp_needs_a_sender_and_never_shows_its_password() {
        let s = settings(&["--smtp-url", "ftp://u:hunter2-smtp@mail.example"]);
        let text = Config::from_settings(&s).expect_err("invalid").to_string();
        assert!(
            text.contains("SMTP_URL") && text.contains("MAIL_FROM"),
            "{text}"
        );
        assert!(!text.contains("hunter2-smtp"), "{text}");

        let s = settings(&[
            "--smtp-url",
            "smtp://u:hunter2-smtp@mail.example:587?tls=required",
            "--mail-from",
            "Fursona Generator <no-reply@example.com>",
            "--require-verified-email",
            "true",
        ]);
        let config = Config::from_settings(&s).expect("valid");
        assert!(config.mail.require_verified_email);
        assert!(!format!("{config:?}").contains("hunter2-smtp"));
    }

    #[test]
    fn verified_email_cannot_be_required_without_smtp() {
        let s = settings(&["--require-verified-email", "true"]);
        let text = Config::from_settings(&s).expect_err("invalid").to_string();
        assert!(text.contains("REQUIRE_VERIFIED_EMAIL"), "{text}");
    }
}
