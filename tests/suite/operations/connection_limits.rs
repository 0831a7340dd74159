//! Half-open connections: heads that never finish are closed after `HEADER_READ_TIMEOUT`, one
//! address cannot hold more than `MAX_CONNECTIONS_PER_ADDRESS`, and others are still served.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::AsyncWriteExt;

use crate::helpers::raw::{connect_from, read_until_closed};
use crate::helpers::{Backend, TestApp, client_from, loopback};

const HALF_A_HEAD: &[u8] = b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_from_one_address_leave_health_answering() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.server.max_connections_per_address = 100;
        c.server.header_read_timeout = Duration::from_secs(30);
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..300 {
        let mut stream = connect_from(&app, loopback(1)).await.expect("connect");
        // Past the cap the server may already have closed it: writing may fail, that is fine.
        let _ = stream.write_all(HALF_A_HEAD).await;
        held.push(stream);
    }
    // Those over the cap were closed at once, unanswered.
    let mut closed = 0;
    for stream in held.iter_mut().rev().take(100) {
        if read_until_closed(stream, Duration::from_secs(2))
            .await
            .is_some()
        {
            closed += 1;
        }
    }
    assert!(closed >= 100, "over the cap, closed at once: {closed}");
    let other = client_from(loopback(2));
    let health = tokio::time::timeout(Duration::from_secs(1), other.get(app.url("/health")).send())
        .await
        .expect("/health from another address answers within 1 s")
        .expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    drop(held);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_header_is_cut_after_the_header_read_timeout() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.server.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    let mut stream = connect_from(&app, loopback(1)).await.expect("connect");
    stream.write_all(HALF_A_HEAD).await.expect("half a head");
    assert!(
        read_until_closed(&mut stream, Duration::from_secs(10))
            .await
            .is_some(),
        "closed by the server"
    );
    // A connection that sends nothing at all is closed too.
    let mut silent = connect_from(&app, loopback(1)).await.expect("connect");
    assert!(
        read_until_closed(&mut silent, Duration::from_secs(10))
            .await
            .is_some(),
        "closed by the server"
    );
}
