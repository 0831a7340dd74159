//! `/health` and CORS.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, TestApp, json, on_both_backends};

on_both_backends!(
    health_reports_the_database,
    cors_answers_only_listed_origins_and_only_under_api,
);

async fn health_reports_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.health().await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        json(response).await,
        json!({"status": "ok", "database": "ok"})
    );
}

async fn cors_answers_only_listed_origins_and_only_under_api(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.cors_allowed_origins = vec!["https://app.example".parse().expect("origin")];
    })
    .await;
    let preflight = |origin: &'static str, path: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url(path))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://app.example", "/api/auth/login")
        .await
        .expect("preflight");
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let refused = preflight("https://evil.example", "/api/auth/login")
        .await
        .expect("preflight");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let page = app
        .client
        .get(app.url("/login"))
        .header("origin", "https://app.example")
        .send()
        .await
        .expect("page");
    assert!(
        page.headers().get("access-control-allow-origin").is_none(),
        "pages never"
    );

    let default = TestApp::spawn(backend).await;
    let response = default
        .client
        .get(default.url("/health"))
        .header("origin", "https://app.example")
        .send()
        .await
        .expect("health");
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "none by default"
    );
}
