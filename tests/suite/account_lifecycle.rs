//! Changing the password, exporting everything and deleting the account, through the API and
//! the account page.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::pages::{csrf_token, html_at, log_in_through_form};
use crate::helpers::stripe::{
    PRICE_BASIC, app_with_stripe, event, fake_stripe_cancelling, subscription_of,
};
use crate::helpers::{Backend, PASSWORD, TestApp, client, error_code, json, on_both_backends};

on_both_backends!(
    changing_the_password_needs_the_current_one_and_ends_every_token_and_other_session,
    the_account_page_changes_the_password_under_a_new_session_id,
    deleting_the_account_cancels_the_subscription_and_removes_everything,
    a_failed_stripe_cancellation_deletes_nothing,
    the_export_holds_the_account_the_plan_and_every_fursona,
    deleting_through_the_page_needs_the_box_ticked_and_the_password,
    guessing_the_current_password_is_throttled_like_logins,
);

const EMAIL: &str = "lifecycle@example.com";
const NEW_PASSWORD: &str = "a brand new passphrase";

async fn changing_the_password_needs_the_current_one_and_ends_every_token_and_other_session(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let old_token = app.register(EMAIL).await;
    // Another device, signed in on the pages.
    let elsewhere = client();
    log_in_through_form(&elsewhere, &app.address, EMAIL, PASSWORD).await;

    let wrong = app.change_password(&old_token, "nope", NEW_PASSWORD).await;
    assert_eq!(
        error_code(wrong, StatusCode::FORBIDDEN).await,
        "wrong_password"
    );
    let short = app.change_password(&old_token, PASSWORD, "short").await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.login(EMAIL, PASSWORD).await.status(),
        StatusCode::OK,
        "nothing changed yet"
    );

    let changed = app
        .change_password(&old_token, PASSWORD, NEW_PASSWORD)
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let new_token = json(changed).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(app.me(&old_token).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.me(&new_token).await.status(), StatusCode::OK);
    assert_eq!(
        app.login(EMAIL, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(EMAIL, NEW_PASSWORD).await.status(),
        StatusCode::OK
    );
    let home = html_at(&elsewhere, &app.url("/")).await;
    assert!(
        !home.contains("Signed in as"),
        "the other device's session ended"
    );
}

async fn the_account_page_changes_the_password_under_a_new_session_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let html = app.html("/account").await;
    let token = csrf_token(&html);
    let response = app
        .post_form(
            "/account/password",
            &[
                ("csrf_token", token.as_str()),
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers().get("set-cookie").is_some(),
        "a new session id"
    );
    let home = app.html("/").await;
    assert!(
        home.contains("Signed in as"),
        "this browser stays signed in"
    );
    assert_eq!(
        app.login(EMAIL, NEW_PASSWORD).await.status(),
        StatusCode::OK
    );
}

/// An account on Basic through Stripe, with one fursona.
async fn subscriber_with_a_fursona(app: &TestApp) -> String {
    let token = app.register(EMAIL).await;
    app.sql_execute("UPDATE subscriptions SET stripe_customer_id = 'cus_test_fursona'")
        .await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let created = event(
        "evt_sub",
        "customer.subscription.created",
        now,
        subscription_of("cus_test_fursona", PRICE_BASIC, "active", json!({})),
    );
    assert_eq!(app.deliver(&created).await.status(), StatusCode::OK);
    assert_eq!(app.generate(&token).await.status(), StatusCode::CREATED);
    token
}

async fn counts(app: &TestApp) -> [i64; 4] {
    let mut out = [0; 4];
    for (slot, table) in
        out.iter_mut()
            .zip(["users", "subscriptions", "fursonas", "payment_history"])
    {
        *slot = app
            .sql_scalar_i64(&format!("SELECT COUNT(*) FROM {table}"))
            .await;
    }
    out
}

async fn deleting_the_account_cancels_the_subscription_and_removes_everything(backend: Backend) {
    let stripe = fake_stripe_cancelling(200).await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let token = subscriber_with_a_fursona(&app).await;
    let wrong = app.delete_account(&token, "nope").await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert_eq!(counts(&app).await[0], 1, "nothing deleted");

    let deleted = app.delete_account(&token, PASSWORD).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(counts(&app).await, [0, 0, 0, 0]);
    let cancelled = stripe.received_requests().await.unwrap_or_default();
    assert_eq!(
        cancelled.len(),
        1,
        "the subscription was cancelled at Stripe"
    );
    assert_eq!(app.me(&token).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login(EMAIL, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn a_failed_stripe_cancellation_deletes_nothing(backend: Backend) {
    let stripe = fake_stripe_cancelling(500).await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let token = subscriber_with_a_fursona(&app).await;
    let response = app.delete_account(&token, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(counts(&app).await[..3], [1, 1, 1]);
}

async fn the_export_holds_the_account_the_plan_and_every_fursona(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    for _ in 0..2 {
        app.generate(&token).await;
    }
    let response = app.export(&token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    let export = json(response).await;
    assert_eq!(export["account"]["email"], EMAIL);
    assert_eq!(export["subscription"]["plan"], "free");
    assert_eq!(export["subscription"]["generations_used"], 2);
    let fursonas = export["fursonas"].as_array().expect("fursonas");
    assert_eq!(fursonas.len(), 2);
    assert!(fursonas.iter().all(|f| {
        f["image_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("/api/fursona/"))
    }));
    assert!(
        export.to_string().find("password").is_none(),
        "no password hash in an export"
    );
}

async fn deleting_through_the_page_needs_the_box_ticked_and_the_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let html = app.html("/account").await;
    assert!(
        html.contains("action=\"/account/delete\"") && html.contains("href=\"/account/export\"")
    );
    let token = csrf_token(&html);
    let unticked = app
        .post_form(
            "/account/delete",
            &[("csrf_token", token.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(unticked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(counts(&app).await[0], 1);
    let no_csrf = app
        .post_form(
            "/account/delete",
            &[("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
    let deleted = app
        .post_form(
            "/account/delete",
            &[
                ("csrf_token", token.as_str()),
                ("password", PASSWORD),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(counts(&app).await[0], 0);
    let home = app.html("/").await;
    assert!(!home.contains("Signed in as"));
}

async fn guessing_the_current_password_is_throttled_like_logins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    for n in 0..10 {
        let guess = app.delete_account(&token, &format!("guess {n}")).await;
        assert_eq!(guess.status(), StatusCode::FORBIDDEN);
    }
    let throttled = app.delete_account(&token, PASSWORD).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().contains_key("retry-after"));
    assert_eq!(counts(&app).await[0], 1, "still there");
}
