//! MariaDB stalled rather than gone: connections stay open and nothing comes back, as with a hung
//! server or a dead link. Every request that needs the database answers within the query timeout.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::helpers::json;
use crate::helpers::relay::app_behind_relay;

/// MariaDB only: an embedded SQLite file cannot stall like a server behind a network.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_mariadb_stalls_every_request_answers_503_within_the_query_timeout() {
    let (app, relay, _port, _target) = app_behind_relay().await;
    let token = app.register("stall@example.com").await;
    app.register_through_form("stall-page@example.com").await;
    assert_eq!(app.get("/history").await.status(), StatusCode::OK);
    assert_eq!(app.health().await.status(), StatusCode::OK);

    relay.pause();
    // The default DB_QUERY_TIMEOUT is 5 s; 8 s is only the bound after which a request hangs.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(8))
        .build()
        .expect("client");
    let started = Instant::now();
    let (me, generated, page, health) = tokio::join!(
        client
            .get(app.url("/api/auth/me"))
            .bearer_auth(&token)
            .send(),
        app.generate(&token),
        app.get("/history"),
        client.get(app.url("/health")).send(),
    );
    let me = me.expect("me answered, not hung");
    assert_eq!(me.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(me.headers().contains_key("retry-after"));
    assert_eq!(json(me).await["error"]["code"], "service_unavailable");
    assert_eq!(generated.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(generated.headers().contains_key("retry-after"));
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.headers().contains_key("retry-after"));
    let html = page.text().await.expect("html");
    assert!(html.contains("<html"), "a page, not a bare error: {html}");
    assert!(html.contains("try again"), "{html}");
    let health = health.expect("health answered");
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "answered within the timeout"
    );

    relay.resume();
    let mut back = false;
    for _ in 0..40 {
        if app.me(&token).await.status() == StatusCode::OK {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(back, "the service recovers once the database answers again");
    // Nothing half-written: the generation that timed out is either fully stored and counted, or
    // neither (its reservation settled).
    let (used, stored) = app.usage_and_results("stall@example.com").await;
    let pending = app
        .sql_scalar_i64("SELECT COUNT(*) FROM generation_reservations")
        .await;
    assert_eq!(used - pending, stored, "usage matches what was stored");
}
