//! Reproductions of what an attacker or an unlucky order of events did to the service, each
//! now answered as it should be.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

use crate::helpers::openai::{app_with_fake_openai, ok_response};
use crate::helpers::stripe::{
    PRICE_BASIC, app_with_stripe, checkout_completed, event, invoice, now, subscription,
};
use crate::helpers::{Backend, PASSWORD, TestApp, error_code, json, on_both_backends};

on_both_backends!(
    a_payment_failure_older_than_the_state_it_would_change_changes_nothing,
    a_verified_event_the_app_ignores_is_acknowledged_whatever_its_object,
    two_logouts_within_a_second_both_end_the_tokens_issued_before_them,
    a_password_of_control_characters_is_refused,
    an_account_deleted_during_its_generation_gets_a_clear_answer_and_nothing_is_stored,
    a_broken_or_short_upload_body_is_refused_as_the_clients_error,
    a_visitors_session_lives_an_hour_not_a_week,
);

const EMAIL: &str = "hardy@example.com";

/// An account on the Basic plan through Stripe, paid 20 seconds ago.
async fn paying_subscriber(app: &TestApp) -> String {
    let token = app.register(EMAIL).await;
    let user_id = app.user_id(&token).await;
    let linked = event(
        "evt_link",
        "checkout.session.completed",
        now() - 120,
        checkout_completed(&user_id),
    );
    assert_eq!(app.deliver(&linked).await.status(), StatusCode::OK);
    let updated = event(
        "evt_sub",
        "customer.subscription.updated",
        now() - 60,
        subscription(PRICE_BASIC, "active", json!({})),
    );
    assert_eq!(app.deliver(&updated).await.status(), StatusCode::OK);
    let paid = event(
        "evt_paid",
        "invoice.paid",
        now() - 20,
        invoice("in_paid", 900, now() - 86_400),
    );
    assert_eq!(app.deliver(&paid).await.status(), StatusCode::OK);
    token
}

async fn a_payment_failure_older_than_the_state_it_would_change_changes_nothing(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    let token = paying_subscriber(&app).await;
    for (id, age, invoice_id) in [
        ("evt_old_failure", 8 * 86_400, "in_older"),
        ("evt_recent_failure", 40, "in_other"),
        ("evt_paid_invoice_failure", 5, "in_paid"),
    ] {
        let failed = event(
            id,
            "invoice.payment_failed",
            now() - age,
            invoice(invoice_id, 900, now()),
        );
        assert_eq!(app.deliver(&failed).await.status(), StatusCode::OK, "{id}");
        let plan = app.current_plan(&token).await;
        assert_eq!(plan["status"], "active", "{id}");
        assert_eq!(plan["past_due"], false, "{id}");
        assert_eq!(plan["generations_limit"], 50, "{id}");
    }
    // A failure newer than everything still counts.
    let fresh = event(
        "evt_fresh",
        "invoice.payment_failed",
        now(),
        invoice("in_next", 900, now()),
    );
    app.deliver(&fresh).await;
    assert_eq!(app.current_plan(&token).await["status"], "past_due");
}

async fn a_verified_event_the_app_ignores_is_acknowledged_whatever_its_object(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    for (id, kind) in [
        ("evt_dispute", "charge.dispute.funds_reinstated"),
        ("evt_intent", "payment_intent.succeeded"),
    ] {
        let odd = json!({
            "id": id, "object": "event", "type": kind, "created": now(),
            "api_version": "2019-12-03", "livemode": false, "pending_webhooks": 1,
            "request": null, "data": {"object": {"object": "mystery", "fields": [1, 2]}}
        })
        .to_string();
        let response = app.deliver(&odd).await;
        assert_eq!(response.status(), StatusCode::OK, "{kind}");
        assert_eq!(json(response).await["duplicate"], false);
        assert_eq!(
            json(app.deliver(&odd).await).await["duplicate"],
            true,
            "recorded once"
        );
    }
    // A type it acts on, with an object it cannot read, is still refused (Stripe retries).
    let unreadable = json!({
        "id": "evt_bad", "object": "event", "type": "invoice.paid", "created": now(),
        "livemode": false, "pending_webhooks": 1, "request": null,
        "data": {"object": {"object": "mystery"}}
    })
    .to_string();
    assert_eq!(
        app.deliver(&unreadable).await.status(),
        StatusCode::BAD_REQUEST
    );
}

async fn two_logouts_within_a_second_both_end_the_tokens_issued_before_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.register(EMAIL).await;
    assert_eq!(app.logout(&first).await.status(), StatusCode::OK);
    let second = json(app.login(EMAIL, PASSWORD).await).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(app.me(&second).await.status(), StatusCode::OK);
    assert_eq!(app.logout(&second).await.status(), StatusCode::OK);
    assert_eq!(app.me(&second).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.me(&first).await.status(), StatusCode::UNAUTHORIZED);
    let third = json(app.login(EMAIL, PASSWORD).await).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(
        app.me(&third).await.status(),
        StatusCode::OK,
        "a new login works"
    );
}

async fn a_password_of_control_characters_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .post_json(
            "/api/auth/register",
            &json!({"email": EMAIL, "password": "\u{0}".repeat(8), "name": "Nul"}),
        )
        .await;
    assert_eq!(
        error_code(response, StatusCode::UNPROCESSABLE_ENTITY).await,
        "validation_failed"
    );
    let spaced = app
        .post_json(
            "/api/auth/register",
            &json!({"email": EMAIL, "password": "        spaces  fine", "name": "Spacey"}),
        )
        .await;
    assert_eq!(spaced.status(), StatusCode::CREATED);
}

async fn an_account_deleted_during_its_generation_gets_a_clear_answer_and_nothing_is_stored(
    backend: Backend,
) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_response().set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    let app = app_with_fake_openai(backend, &server).await;
    let token = app.register(EMAIL).await;
    let generating = app.generate(&token);
    let deleting = async {
        // Once the generation is charged and waiting for the AI.
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.delete_account(&token, PASSWORD).await
    };
    let (generated, deleted) = tokio::join!(generating, deleting);
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let status = generated.status();
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(status.is_client_error(), "{status}");
    assert_eq!(app.sql_scalar_i64("SELECT COUNT(*) FROM fursonas").await, 0);
}

/// Sends `head` then `body` as one raw request, closes the sending side, and returns the
/// status line of the answer.
async fn raw(app: &TestApp, head: String, body: &[u8]) -> String {
    let address = app
        .url("")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    stream.write_all(body).await.expect("body");
    stream.shutdown().await.expect("half-close");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("an answer within 10 s")
        .expect("read");
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn a_broken_or_short_upload_body_is_refused_as_the_clients_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let chunked = format!(
        "POST /api/fursona/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    assert!(raw(&app, chunked, b"zz\r\n").await.contains(" 400 "));
    let photo = crate::helpers::fixture("photos/chelsea.webp");
    let mut body =
        b"--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.webp\"\r\n\r\n"
            .to_vec();
    body.extend_from_slice(&photo[..photo.len() / 2]);
    let short = format!(
        "POST /api/fursona/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\r\n",
        body.len() + photo.len()
    );
    let status = raw(&app, short, &body).await;
    assert!(
        !status.contains(" 201 ") && !status.contains(" 500 "),
        "{status}"
    );
    assert_eq!(app.sql_scalar_i64("SELECT COUNT(*) FROM fursonas").await, 0);
}

async fn a_visitors_session_lives_an_hour_not_a_week(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page = reqwest::get(app.url("/login")).await.expect("login page");
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("fursona_session"))
        .expect("a session for the form")
        .to_owned();
    let max_age: i64 = cookie
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age="))
        .and_then(|v| v.parse().ok())
        .expect("Max-Age");
    assert!((1..=3600).contains(&max_age), "{cookie}");
}
