//! Registrations: limited per client address, and never in the way of logins.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{
    Backend, PASSWORD, TestApp, client_from, error_code, loopback, on_both_backends,
};

async fn registrations_per_address_are_limited(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.registrations.max_failures = 3).await;
    let register = |client: reqwest::Client, email: String| {
        let url = app.url("/api/auth/register");
        async move {
            client
                .post(url)
                .json(&json!({"email": email, "password": PASSWORD, "name": "Flood"}))
                .send()
                .await
                .expect("register")
        }
    };
    let here = client_from(loopback(1));
    assert_eq!(
        register(here.clone(), "one@example.com".into())
            .await
            .status(),
        StatusCode::CREATED
    );
    // A taken email costs a hash too, so it counts.
    assert_eq!(
        register(here.clone(), "one@example.com".into())
            .await
            .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        register(here.clone(), "two@example.com".into())
            .await
            .status(),
        StatusCode::CREATED
    );
    let refused = register(here.clone(), "three@example.com".into()).await;
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    assert_eq!(
        error_code(refused, StatusCode::TOO_MANY_REQUESTS).await,
        "too_many_requests"
    );
    // Another address is not held back.
    assert_eq!(
        register(client_from(loopback(2)), "three@example.com".into())
            .await
            .status(),
        StatusCode::CREATED
    );
}

async fn a_registration_flood_does_not_starve_logins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("taken@example.com").await;
    let stop = Arc::new(AtomicBool::new(false));
    let attempts = Arc::new(AtomicUsize::new(0));
    let mut flood = Vec::new();
    for n in 0..40 {
        let client = client_from(loopback(10 + (n % 20) as u8));
        let url = app.url("/api/auth/register");
        let (stop, attempts) = (stop.clone(), attempts.clone());
        flood.push(tokio::spawn(async move {
            // Bounded: at most 200 attempts per task, and never past the test.
            for _ in 0..200 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let _ = client
                    .post(&url)
                    .json(&json!({"email": "taken@example.com", "password": PASSWORD, "name": "F"}))
                    .send()
                    .await;
                attempts.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    // The flood is under way before the logins start.
    let started = tokio::time::Instant::now();
    while attempts.load(Ordering::Relaxed) < 40 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let users = client_from(loopback(2));
    for _ in 0..20 {
        let response = app.login_from(&users, "taken@example.com", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "a real login succeeds");
    }
    stop.store(true, Ordering::Relaxed);
    for task in flood {
        task.await.expect("flood task");
    }
}

on_both_backends!(
    registrations_per_address_are_limited,
    a_registration_flood_does_not_starve_logins,
);
