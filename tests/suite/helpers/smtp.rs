//! A real SMTP server for the mail tests: aiosmtpd (`tests/smtp/sink.py`) as a process on a free
//! loopback port, writing each message it receives into a directory, parsed (headers and both
//! parts). `AIOSMTPD_PYTHON` names the Python that has aiosmtpd (scripts/test installs it into
//! target/aiosmtpd).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use reqwest::{Response, StatusCode};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::process::{free_port, scratch_dir};
use super::{Backend, Config, TestApp};
use fursona::mail::{MailConfig, SmtpConfig};

pub const MAIL_FROM: &str = "Fursona Generator <no-reply@fursona.test>";

fn python() -> PathBuf {
    std::env::var_os("AIOSMTPD_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/aiosmtpd/bin/python"),
        PathBuf::from,
    )
}

/// One message as the server received it.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    pub rcpt_tos: Vec<String>,
    pub headers: std::collections::HashMap<String, String>,
    pub content_type: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or_else(
            || panic!("no {name} header in {:?}", self.headers),
            String::as_str,
        )
    }

    pub fn subject(&self) -> &str {
        self.header("subject")
    }

    pub fn text(&self) -> &str {
        self.text.as_deref().expect("a text/plain part")
    }

    pub fn html(&self) -> &str {
        self.html.as_deref().expect("a text/html part")
    }

    /// The path and query of the first link to `path` in the plain-text part, checked to be in
    /// the HTML part too, e.g. `/reset-password?token=...`.
    pub fn link(&self, path: &str) -> String {
        let marker = format!("http://localhost:3001{path}");
        let text = self.text();
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("no link to {path} in:\n{text}"));
        let url: String = text[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        assert!(self.html().contains(&url), "the HTML part lacks {url}");
        url.trim_start_matches("http://localhost:3001").to_owned()
    }

    /// The `token` of the link to `path`.
    pub fn token(&self, path: &str) -> String {
        let link = self.link(path);
        let url = url::Url::parse(&format!("http://x{link}")).expect("link");
        url.query_pairs()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned())
            .expect("a token in the link")
    }
}

/// The aiosmtpd process, stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        Self::start_on(free_port()).await
    }

    /// On a chosen port (one the app was told about while nothing listened there).
    pub async fn start_on(port: u16) -> SmtpServer {
        let dir = scratch_dir("smtp");
        let python = python();
        assert!(
            python.exists(),
            "{} is missing: ./scripts/test installs aiosmtpd (pip install -r tests/smtp/requirements.txt)",
            python.display()
        );
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/sink.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start aiosmtpd");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("aiosmtpd starts within 20 s")
            .expect("read");
        assert_eq!(ready.as_deref(), Some("ready"), "aiosmtpd did not start");
        SmtpServer {
            port,
            dir,
            child: Some(child),
        }
    }

    /// Where the app should send: plain SMTP on loopback.
    pub fn url(&self) -> String {
        smtp_url(self.port)
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .expect("mail dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).expect("read")).expect("mail json"))
            .collect()
    }

    /// Waits (polling, up to 30 s) until `count` messages have arrived, and returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} of {count} mails arrived within 30 s",
                messages.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The first message to `recipient` after the first `after` messages, waiting (polling, up
    /// to 30 s) for it.
    pub async fn wait_for_mail_to(&self, recipient: &str, after: usize) -> Received {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let messages = self.messages();
            if let Some(found) = messages
                .iter()
                .skip(after)
                .find(|m| m.rcpt_tos.iter().any(|r| r == recipient))
            {
                return found.clone();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no mail to {recipient} after the first {after} within 30 s: {messages:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.start_kill();
        }
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

pub fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// Email on, sending to `url`.
pub fn configure_mail(config: &mut Config, url: &str) {
    config.mail = MailConfig {
        smtp: Some(SmtpConfig {
            url: SecretString::from(url.to_owned()),
            from: MAIL_FROM.parse().expect("mailbox"),
        }),
        require_verified_email: false,
    };
}

/// An app that mails through a fresh SMTP server.
pub async fn app_with_mail(backend: Backend) -> (TestApp, SmtpServer) {
    app_with_mail_and(backend, |_| {}).await
}

pub async fn app_with_mail_and(
    backend: Backend,
    customize: impl FnOnce(&mut Config),
) -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(backend, |c| {
        configure_mail(c, &url);
        customize(c);
    })
    .await;
    (app, smtp)
}

impl TestApp {
    /// `POST /api/auth/forgot-password`.
    pub async fn forgot_password(&self, email: &str) -> Response {
        self.post_json("/api/auth/forgot-password", &json!({"email": email}))
            .await
    }

    /// `POST /api/auth/reset-password`.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> Response {
        self.post_json(
            "/api/auth/reset-password",
            &json!({"token": token, "new_password": new_password}),
        )
        .await
    }

    /// `POST /api/auth/verify-email`.
    pub async fn verify_email(&self, token: &str) -> Response {
        self.post_json("/api/auth/verify-email", &json!({"token": token}))
            .await
    }

    /// `POST /api/auth/resend-verification`.
    pub async fn resend_verification(&self, token: &str) -> Response {
        self.post_api("/api/auth/resend-verification", token, &json!({}))
            .await
    }

    /// `POST /api/account/email`.
    pub async fn change_email(&self, token: &str, new_email: &str, password: &str) -> Response {
        self.post_api(
            "/api/account/email",
            token,
            &json!({"new_email": new_email, "password": password}),
        )
        .await
    }

    /// `user.email_verified` from `GET /api/auth/me`.
    pub async fn email_verified(&self, token: &str) -> bool {
        let me: Value = self.me(token).await.json().await.expect("json");
        me["user"]["email_verified"]
            .as_bool()
            .expect("email_verified")
    }

    /// Polls the outbox (up to 30 s) until `sql` counts `expected` rows.
    pub async fn wait_for_count(&self, sql: &str, expected: i64) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let n = self.sql_scalar_i64(sql).await;
            if n == expected {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{sql} stayed {n}, not {expected}, for 30 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Asserts a status and returns the JSON body.
pub async fn expect_json(response: Response, status: StatusCode) -> Value {
    let got = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}
