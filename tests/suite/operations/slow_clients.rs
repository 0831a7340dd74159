//! Slow and oversized uploads: nobody unauthenticated holds an upload place or has a byte of the
//! body read, a signed-in body that crawls is cut with 408, and a declared oversize is refused
//! at once.

use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::raw::{
    anonymous_form, connect, drip, read_until_closed, signed_in_form, status_of, upload_head,
};
use crate::helpers::{Backend, TestApp, on_both_backends};
use tokio::io::AsyncWriteExt;

/// Long enough for the whole test; the drips stop when the test ends anyway.
const DRIP_FOR: Duration = Duration::from_secs(40);

async fn slow_uploads_do_not_stop_other_generations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut drips = Vec::new();
    // Two visitors with a form's token, at 1 byte/s.
    for _ in 0..2 {
        // A form's session; its token would be the body's first field, never read that far.
        let (cookie, _) = anonymous_form(&app).await;
        let head = upload_head("/generate", 100_000, &[("Cookie", &cookie)]);
        drips.push(drip(connect(&app).await, head, DRIP_FOR));
    }
    // Four accounts uploading through the API at 1 byte/s.
    for n in 0..4 {
        let token = app.register(&format!("slow{n}@example.com")).await;
        let bearer = format!("Bearer {token}");
        let head = upload_head(
            "/api/fursona/generate",
            100_000,
            &[("Authorization", &bearer)],
        );
        drips.push(drip(connect(&app).await, head, DRIP_FOR));
    }
    let mut drips_started = Vec::new();
    for mut drip in drips {
        drip.sent_at_least(2).await;
        drips_started.push(drip);
    }
    let token = app.register("patient@example.com").await;
    let generated = tokio::time::timeout(Duration::from_secs(2), app.generate(&token))
        .await
        .expect("another user's generation answers within 2 s");
    assert_eq!(generated.status(), StatusCode::CREATED);

    // The visitors were answered (sent to sign in) without their bodies; the accounts' crawling
    // bodies are cut with 408.
    let mut answers = Vec::new();
    for drip in drips_started {
        let answer = tokio::time::timeout(Duration::from_secs(25), drip.answer)
            .await
            .expect("answered within the read timeout")
            .expect("drip task");
        answers.push(status_of(&answer));
    }
    for anonymous in &answers[..2] {
        assert!(
            matches!(anonymous, Some(s) if *s != 408 && *s != 201),
            "a visitor is turned away, not read: {anonymous:?}"
        );
    }
    for signed_in in &answers[2..] {
        assert_eq!(*signed_in, Some(408), "a crawling body is cut");
    }
}

async fn a_declared_oversize_is_refused_at_once_and_the_connection_closed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("big@example.com").await;
    let (cookie, _) = signed_in_form(&app, "big@example.com").await;
    let bearer = format!("Bearer {token}");
    let huge = 100 * 1024 * 1024 * 1024_u64;
    let heads = [
        upload_head("/api/fursona/generate", huge, &[("Authorization", &bearer)]),
        upload_head("/generate", huge, &[("Cookie", &cookie)]),
    ];
    for head in heads {
        let mut stream = connect(&app).await;
        stream.write_all(head.as_bytes()).await.expect("head");
        let answer = read_until_closed(&mut stream, Duration::from_secs(5))
            .await
            .expect("answered and closed at once, without waiting for the body");
        assert_eq!(status_of(&answer), Some(413), "{answer}");
    }
}

on_both_backends!(
    slow_uploads_do_not_stop_other_generations,
    a_declared_oversize_is_refused_at_once_and_the_connection_closed,
);
