//! The monthly allowance of generations through the API: the last one raced, the answer at the
//! limit, a new month, and a generation left pending by a crash.

use futures::future::join_all;
use reqwest::StatusCode;

use crate::helpers::api::generated;
use crate::helpers::{Backend, TestApp, calendar_month, fixture, json, on_both_backends};

on_both_backends!(
    the_last_free_generation_raced_thirty_times_goes_to_exactly_one_request,
    at_the_limit_the_answer_names_the_plan_the_limit_and_the_reset,
    a_new_month_starts_a_new_free_period,
    a_generation_left_pending_by_a_crash_is_given_back_at_the_next_start,
);

const EMAIL: &str = "maker@example.com";

async fn the_last_free_generation_raced_thirty_times_goes_to_exactly_one_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let photo = fixture("photos/chelsea.webp");
    for round in 1..=3i64 {
        // Four of five used: one generation left.
        app.sql_execute("UPDATE subscriptions SET generations_used = 4")
            .await;
        let requests = (0..30).map(|_| app.generate_json(&token, &photo, "image/webp"));
        let statuses: Vec<StatusCode> = join_all(requests)
            .await
            .iter()
            .map(|r| r.status())
            .collect();
        let created = statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count();
        let refused = statuses
            .iter()
            .filter(|s| **s == StatusCode::PAYMENT_REQUIRED)
            .count();
        assert_eq!((created, refused), (1, 29), "round {round}: {statuses:?}");
        let (used, stored) = app.usage_and_results(EMAIL).await;
        assert_eq!(used, 5, "round {round}: usage equals the limit");
        assert_eq!(stored, round, "round {round}: one new result");
    }
}

async fn at_the_limit_the_answer_names_the_plan_the_limit_and_the_reset(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    app.sql_execute("UPDATE subscriptions SET generations_used = 5")
        .await;
    let response = app.generate(&token).await;
    assert_eq!(response.status(), StatusCode::PAYMENT_REQUIRED);
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "limit_reached");
    assert_eq!(body["error"]["plan"], "free");
    assert_eq!(body["error"]["limit"], 5);
    let (_, month_end) = calendar_month(time::OffsetDateTime::now_utc());
    let resets = body["error"]["resets_at"].as_str().expect("resets_at");
    assert_eq!(
        time::OffsetDateTime::parse(resets, &time::format_description::well_known::Rfc3339)
            .expect("date"),
        month_end
    );
    assert_eq!(app.usage_and_results(EMAIL).await, (5, 0));
}

async fn a_new_month_starts_a_new_free_period(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    app.sql_execute("UPDATE subscriptions SET generations_used = 5")
        .await;
    let photo = fixture("photos/chelsea.webp");
    assert_eq!(
        app.generate_json(&token, &photo, "image/webp")
            .await
            .status(),
        StatusCode::PAYMENT_REQUIRED
    );

    let (_, this_month_end) = calendar_month(time::OffsetDateTime::now_utc());
    let into_next_month =
        this_month_end - time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    app.clock.advance(into_next_month);
    let body = generated(app.generate_json(&token, &photo, "image/webp").await).await;
    assert_eq!(body["usage"]["used"], 1);
    assert_eq!(body["usage"]["remaining"], 4);
    let (_, next_month_end) = calendar_month(this_month_end + time::Duration::hours(1));
    let period_end = body["usage"]["period_end"].as_str().expect("period end");
    assert_eq!(
        time::OffsetDateTime::parse(period_end, &time::format_description::well_known::Rfc3339)
            .expect("date"),
        next_month_end
    );
    let me = json(app.me(&token).await).await;
    assert_eq!(me["subscription"]["generations_used"], 1);
}

async fn a_generation_left_pending_by_a_crash_is_given_back_at_the_next_start(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register(EMAIL).await;
    // What a process that died between reserving and storing leaves behind: a charged
    // generation and its pending reservation.
    app.sql_execute("UPDATE subscriptions SET generations_used = 1")
        .await;
    app.sql_execute(
        "INSERT INTO generation_reservations (id, user_id, period_start, created_at) \
         SELECT X'0192f0a0b1c27d3e8f9a0b1c2d3e4f50', user_id, current_period_start, updated_at \
         FROM subscriptions",
    )
    .await;
    // A fresh reservation is left alone: it may belong to a generation still running.
    let app = app.restart().await;
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 0));

    app.clock.advance(time::Duration::minutes(10));
    let app = app.restart().await;
    let mut settled = false;
    for _ in 0..50 {
        if app.usage_and_results(EMAIL).await == (0, 0) {
            settled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(settled, "the stale generation was given back");
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM generation_reservations")
            .await,
        0
    );
}
