//! Prometheus metrics: behind a token on the public address, or on a private one.

use reqwest::StatusCode;

use crate::helpers::process::free_port;
use crate::helpers::{Backend, TestApp, on_both_backends};

on_both_backends!(metrics_are_served_only_with_the_token_or_on_the_private_address);

async fn metrics_are_served_only_with_the_token_or_on_the_private_address(backend: Backend) {
    let private = free_port();
    let app = TestApp::spawn_with(backend, |c| {
        c.metrics_token = Some(secrecy::SecretString::from("metrics-secret-token"));
        c.metrics_addr = Some(format!("127.0.0.1:{private}").parse().expect("addr"));
    })
    .await;
    let token = app.register("metered@example.com").await;
    assert_eq!(app.generate(&token).await.status(), StatusCode::CREATED);

    let anonymous = app.get("/metrics").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = app.get_authed("/metrics", &token).await;
    assert_eq!(
        wrong.status(),
        StatusCode::UNAUTHORIZED,
        "a user's token is not the metrics token"
    );
    let scraped = app.get_authed("/metrics", "metrics-secret-token").await;
    assert_eq!(scraped.status(), StatusCode::OK);
    let text = scraped.text().await.expect("text");
    for expected in [
        "http_requests_total{",
        "route=\"/api/fursona/generate\"",
        "status=\"201\"",
        "http_request_duration_seconds_bucket{",
        "generations_total{",
        "outcome=\"stored\"",
        "ai_request_duration_seconds_bucket{",
        "db_pool_connections{",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert!(!text.contains(&token), "no secrets in metrics");

    let private = reqwest::get(format!("http://127.0.0.1:{private}/metrics"))
        .await
        .expect("private");
    assert_eq!(private.status(), StatusCode::OK);
    assert!(
        private
            .text()
            .await
            .expect("text")
            .contains("http_requests_total")
    );

    let without = TestApp::spawn(backend).await;
    let hidden = without.get("/metrics").await;
    assert_eq!(
        hidden.status(),
        StatusCode::NOT_FOUND,
        "off unless configured"
    );
}
