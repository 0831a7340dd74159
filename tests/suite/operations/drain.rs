//! Graceful shutdown: on SIGTERM the listener closes, a generation in flight finishes within the
//! grace period, and one that outlasts it is given back.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::openai::ok_response;
use crate::helpers::process::{
    free_port, fursona, register_at, scratch_dir, serve_on, sigterm, terminate_wait,
};
use crate::helpers::{JWT_SECRET, client, data_url, fixture};

/// A server with a slow fake AI, one generation in flight, then SIGTERM. Returns the in-flight
/// request's outcome, the exit status and output, and (used, stored, pending) afterwards.
async fn stop_during_a_slow_generation(
    ai_delay: Duration,
    grace: &str,
) -> (
    Option<StatusCode>,
    std::process::ExitStatus,
    String,
    (i64, i64, i64),
) {
    let ai = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ok_response().set_delay(ai_delay))
        .mount(&ai)
        .await;
    let dir = scratch_dir("drain");
    let port = free_port();
    let child = serve_on(
        fursona(&dir)
            .env("JWT_SECRET", JWT_SECRET)
            .env("OPENAI_BASE_URL", format!("{}/v1", ai.uri()))
            .env("OPENAI_API_KEY", "sk-test")
            .env("SHUTDOWN_GRACE", grace),
        port,
    )
    .await;
    let base = format!("http://127.0.0.1:{port}");
    let token = register_at(&base, "slow@example.com").await;
    let photo = fixture("photos/chelsea.webp");
    let url = format!("{base}/api/fursona/generate");
    let in_flight = tokio::spawn(async move {
        let image = data_url("image/webp", &photo);
        client()
            .post(url)
            .bearer_auth(token)
            .json(&json!({"image": image}))
            .send()
            .await
    });
    for _ in 0..100 {
        if !ai.received_requests().await.unwrap_or_default().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        ai.received_requests().await.unwrap_or_default().len(),
        1,
        "the generation reached the AI"
    );

    sigterm(&child).await;
    // New connections are refused at once, while the generation is still waiting on the AI.
    let mut refused = false;
    for _ in 0..40 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(refused, "the listener closed");
    let answered = in_flight.await.expect("task").ok().map(|r| r.status());
    let (status, output) = terminate_wait(child).await;

    let url = format!("sqlite://{}", dir.join("data/fursona.db").display());
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("db");
    let mut count =
        async |sql: &str| -> i64 { sqlx::query_scalar(sql).fetch_one(&mut db).await.expect(sql) };
    let state = (
        count("SELECT generations_used FROM subscriptions").await,
        count("SELECT COUNT(*) FROM fursonas").await,
        count("SELECT COUNT(*) FROM generation_reservations").await,
    );
    std::fs::remove_dir_all(dir).expect("cleanup");
    (answered, status, output, state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_slow_generation_finish_then_exits_cleanly() {
    let (answered, status, output, state) =
        stop_during_a_slow_generation(Duration::from_secs(3), "20s").await;
    assert_eq!(
        answered,
        Some(StatusCode::CREATED),
        "the in-flight generation was answered"
    );
    assert!(status.success(), "exit 0: {output}");
    assert!(output.contains("stopped"));
    assert_eq!(
        state,
        (1, 1, 0),
        "charged once, stored once, nothing pending"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generation_outlasting_the_grace_period_is_given_back() {
    let (answered, status, output, state) =
        stop_during_a_slow_generation(Duration::from_secs(8), "1s").await;
    assert_eq!(
        answered, None,
        "the connection was closed at the end of the grace period"
    );
    assert!(status.success(), "exit 0: {output}");
    assert!(
        output.contains("gave back an unfinished generation"),
        "{output}"
    );
    assert_eq!(
        state,
        (0, 0, 0),
        "not charged for nothing, nothing left pending"
    );
}
