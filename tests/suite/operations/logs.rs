//! The binary's logs: one access line per request, and never a secret.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::pages::{cookie_value, csrf_token, session_cookie};
use crate::helpers::process::{free_port, fursona, register_at, scratch_dir, serve_on, terminate};
use crate::helpers::{JWT_SECRET, PASSWORD, client};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_have_one_line_per_request_and_never_a_secret() {
    let dir = scratch_dir("logs");
    let port = free_port();
    let child = serve_on(
        fursona(&dir)
            .env("JWT_SECRET", JWT_SECRET)
            .env("RUST_LOG", "debug"),
        port,
    )
    .await;

    let base = format!("http://127.0.0.1:{port}");
    let api = client();
    let token = register_at(&base, "logs@example.com").await;
    let me = api
        .get(format!("{base}/api/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), StatusCode::OK);
    let wrong = "wrong-password-typed-by-mistake";
    api.post(format!("{base}/api/auth/login"))
        .json(&json!({"email": "logs@example.com", "password": wrong}))
        .send()
        .await
        .expect("login");
    let login_page = api.get(format!("{base}/login")).send().await.expect("page");
    let cookie = cookie_value(&session_cookie(login_page.headers()).expect("session cookie"));
    let csrf = csrf_token(&login_page.text().await.expect("html"));
    api.post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "logs@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("page login");
    api.post(format!("{base}/api/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("logout");

    let (status, output) = terminate(child).await;
    assert!(status.success());
    let secret_file = std::fs::read_to_string(dir.join("data/jwt_secret")).unwrap_or_default();
    for secret in [
        PASSWORD,
        wrong,
        token.as_str(),
        cookie.as_str(),
        csrf.as_str(),
        JWT_SECRET,
    ] {
        assert!(
            !output.contains(secret),
            "a secret appears in the logs: {secret}"
        );
    }
    assert!(
        secret_file.is_empty(),
        "JWT_SECRET was set, so no secret file is written"
    );
    let signature = token.rsplit('.').next().expect("signature");
    assert!(!output.contains(signature));

    let access_lines: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("finished processing request"))
        .collect();
    let me_line = access_lines
        .iter()
        .find(|line| line.contains("path=\"/api/auth/me\""))
        .expect("an access line for /api/auth/me");
    for field in ["method=GET", "status=200", "latency=", "request{id="] {
        assert!(me_line.contains(field), "{field} missing: {me_line}");
    }
    let requests_sent = 7; // health poll(s) come on top
    assert!(access_lines.len() >= requests_sent, "{access_lines:#?}");
    std::fs::remove_dir_all(dir).expect("cleanup");
}
