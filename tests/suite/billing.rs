//! Billing: Stripe webhooks with real signatures over Stripe's own example objects, applied
//! exactly once and in the right order, and the plan endpoints.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use stripe_webhook::Webhook;

use crate::helpers::stripe::{
    CUSTOMER, PRICE_BASIC, PRICE_PRO, WEBHOOK_SECRET, app_with_stripe, checkout_completed, event,
    invoice, now, stripe_fixture, subscription,
};
use crate::helpers::{Backend, TestApp, error_code, json, on_both_backends};

on_both_backends!(
    a_subscription_goes_free_basic_pro_and_back_to_free_by_webhooks,
    an_event_delivered_five_times_at_once_and_five_times_in_a_row_applies_once,
    badly_signed_events_are_refused_and_change_nothing,
    a_stale_update_after_the_deletion_leaves_the_account_free,
    the_plan_comes_from_the_price_never_from_metadata,
    a_failure_inside_the_handler_answers_5xx_and_records_nothing,
    a_paid_invoice_resets_usage_once_per_period,
    a_failed_payment_marks_the_plan_past_due_with_a_notice,
    unknown_event_types_are_acknowledged_at_once,
    a_failed_payment_shows_a_notice_on_the_account_page,
);

const EMAIL: &str = "payer@example.com";

/// The account's Basic subscription starts, as Stripe reports it.
async fn subscribe_to_basic(app: &TestApp) {
    let created = event(
        "evt_c",
        "customer.subscription.created",
        now() - 90,
        subscription(PRICE_BASIC, "active", json!({})),
    );
    assert_eq!(app.deliver(&created).await.status(), StatusCode::OK);
}

/// Registers and links the account to the Stripe customer, as a finished Checkout does.
async fn subscriber(app: &TestApp) -> String {
    let token = app.register(EMAIL).await;
    let user_id = app.user_id(&token).await;
    let linked = app
        .deliver(&event(
            "evt_checkout",
            "checkout.session.completed",
            now() - 100,
            checkout_completed(&user_id),
        ))
        .await;
    assert_eq!(linked.status(), StatusCode::OK);
    token
}

async fn a_subscription_goes_free_basic_pro_and_back_to_free_by_webhooks(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    let token = subscriber(&app).await;
    assert_eq!(app.current_plan(&token).await["plan_type"], "free");

    let created = event(
        "evt_created",
        "customer.subscription.created",
        now() - 90,
        subscription(PRICE_BASIC, "active", json!({})),
    );
    assert_eq!(app.deliver(&created).await.status(), StatusCode::OK);
    let current = app.current_plan(&token).await;
    assert_eq!(current["plan_type"], "basic");
    assert_eq!(current["generations_limit"], 50);
    assert_eq!(current["status"], "active");

    let upgraded = event(
        "evt_updated",
        "customer.subscription.updated",
        now() - 80,
        subscription(PRICE_PRO, "active", json!({})),
    );
    assert_eq!(app.deliver(&upgraded).await.status(), StatusCode::OK);
    let current = app.current_plan(&token).await;
    assert_eq!(current["plan_type"], "pro");
    assert_eq!(current["generations_limit"], Value::Null);

    let deleted = event(
        "evt_deleted",
        "customer.subscription.deleted",
        now() - 70,
        subscription(PRICE_PRO, "canceled", json!({})),
    );
    assert_eq!(app.deliver(&deleted).await.status(), StatusCode::OK);
    let current = app.current_plan(&token).await;
    assert_eq!(current["plan_type"], "free");
    assert_eq!(current["generations_limit"], 5);
    assert_eq!(current["status"], "canceled");
}

async fn an_event_delivered_five_times_at_once_and_five_times_in_a_row_applies_once(
    backend: Backend,
) {
    let app = app_with_stripe(backend, None).await;
    subscriber(&app).await;
    let paid = event(
        "evt_paid_once",
        "invoice.paid",
        now() - 50,
        invoice("in_once", 999, now() - 3600),
    );
    let at_once = join_all((0..5).map(|_| app.deliver(&paid))).await;
    for response in at_once {
        assert_eq!(response.status(), StatusCode::OK);
    }
    for _ in 0..5 {
        let response = app.deliver(&paid).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(json(response).await["duplicate"], true);
    }
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM payment_history")
            .await,
        1
    );
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM stripe_events WHERE id = 'evt_paid_once'")
            .await,
        1
    );
}

async fn badly_signed_events_are_refused_and_change_nothing(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    let token = subscriber(&app).await;
    let payload = event(
        "evt_forged",
        "customer.subscription.created",
        now(),
        subscription(PRICE_PRO, "active", json!({})),
    );
    let tampered = payload.replace(PRICE_PRO, PRICE_BASIC);
    let sign = |body: &str, secret: &str, at: i64| {
        Some(Webhook::generate_test_header(body, secret, Some(at)))
    };
    let cases = [
        (
            "tampered body",
            tampered.clone(),
            sign(&payload, WEBHOOK_SECRET, now()),
        ),
        (
            "wrong secret",
            payload.clone(),
            sign(&payload, "whsec_someone_else", now()),
        ),
        (
            "301 s old",
            payload.clone(),
            sign(&payload, WEBHOOK_SECRET, now() - 301),
        ),
        (
            "301 s in the future",
            payload.clone(),
            sign(&payload, WEBHOOK_SECRET, now() + 301),
        ),
        ("missing header", payload.clone(), None),
        (
            "malformed header",
            payload.clone(),
            Some("garbage".to_owned()),
        ),
        (
            "v0 only",
            payload.clone(),
            sign(&payload, WEBHOOK_SECRET, now()).map(|s| s.replace("v1=", "v0=")),
        ),
    ];
    for (case, body, signature) in cases {
        let response = app.deliver_signed(&body, signature).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{case}");
        assert_eq!(
            json(response).await["error"]["code"],
            "invalid_signature",
            "{case}"
        );
    }
    assert_eq!(app.current_plan(&token).await["plan_type"], "free");
    // Bodies that are not even text, or too large, are refused in JSON too.
    let binary = app
        .client
        .post(app.url("/api/webhook/stripe"))
        .header("stripe-signature", "t=1,v1=00")
        .body(vec![0xff, 0xfe, 0x00])
        .send()
        .await
        .expect("webhook");
    assert_eq!(binary.status(), StatusCode::BAD_REQUEST);
    assert!(json(binary).await["error"]["code"].is_string());
    let huge = app
        .client
        .post(app.url("/api/webhook/stripe"))
        .header("stripe-signature", "t=1,v1=00")
        .body(vec![b'a'; 600 * 1024])
        .send()
        .await
        .expect("webhook");
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(huge).await["error"]["code"].is_string());
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM stripe_events WHERE id = 'evt_forged'")
            .await,
        0
    );

    // While the signing secret rolls, Stripe signs with both: either may match.
    let rolled = format!(
        "{},v1={}",
        sign(&payload, "whsec_old_secret", now()).expect("header"),
        "00".repeat(32)
    );
    let both = format!(
        "{rolled},{}",
        sign(&payload, WEBHOOK_SECRET, now())
            .expect("header")
            .split(',')
            .nth(1)
            .expect("v1")
    );
    assert_eq!(
        app.deliver_signed(&payload, Some(both)).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.current_plan(&token).await["plan_type"], "pro");
}

async fn a_stale_update_after_the_deletion_leaves_the_account_free(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    let token = subscriber(&app).await;
    let created = event(
        "evt_c",
        "customer.subscription.created",
        now() - 90,
        subscription(PRICE_BASIC, "active", json!({})),
    );
    let stale_update = event(
        "evt_u",
        "customer.subscription.updated",
        now() - 60,
        subscription(PRICE_PRO, "active", json!({})),
    );
    let deleted = event(
        "evt_d",
        "customer.subscription.deleted",
        now() - 30,
        subscription(PRICE_PRO, "canceled", json!({})),
    );
    for payload in [&created, &deleted, &stale_update] {
        assert_eq!(app.deliver(payload).await.status(), StatusCode::OK);
    }
    let current = app.current_plan(&token).await;
    assert_eq!(
        current["plan_type"], "free",
        "the older update arrived last and changed nothing"
    );
    assert_eq!(current["status"], "canceled");
}

async fn the_plan_comes_from_the_price_never_from_metadata(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    let token = subscriber(&app).await;
    let lying = subscription(
        PRICE_BASIC,
        "active",
        json!({"planType": "pro", "plan": "pro"}),
    );
    assert_eq!(
        app.deliver(&event(
            "evt_meta",
            "customer.subscription.created",
            now() - 10,
            lying
        ))
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(app.current_plan(&token).await["plan_type"], "basic");

    // A price that is not ours is logged and leaves the plan alone.
    let unknown = subscription("price_not_ours", "active", json!({}));
    assert_eq!(
        app.deliver(&event(
            "evt_unknown",
            "customer.subscription.updated",
            now() - 5,
            unknown
        ))
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(app.current_plan(&token).await["plan_type"], "basic");
}

async fn a_failure_inside_the_handler_answers_5xx_and_records_nothing(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    subscriber(&app).await;
    // The database fails mid-event: the payment table is gone.
    app.sql_execute("DROP TABLE payment_history").await;
    let paid = event(
        "evt_fails",
        "invoice.paid",
        now() - 5,
        invoice("in_fails", 999, now()),
    );
    let response = app.deliver(&paid).await;
    assert!(response.status().is_server_error(), "{}", response.status());
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM stripe_events WHERE id = 'evt_fails'")
            .await,
        0
    );
}

async fn a_paid_invoice_resets_usage_once_per_period(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    let token = subscriber(&app).await;
    subscribe_to_basic(&app).await;
    app.sql_execute("UPDATE subscriptions SET generations_used = 7")
        .await;
    let period = now() - 60;
    app.deliver(&event(
        "evt_paid_1",
        "invoice.paid",
        now() - 50,
        invoice("in_1", 999, period),
    ))
    .await;
    assert_eq!(app.current_plan(&token).await["generations_used"], 0);

    app.sql_execute("UPDATE subscriptions SET generations_used = 2")
        .await;
    // Another paid invoice for the same period (a proration, say) does not reset again.
    app.deliver(&event(
        "evt_paid_2",
        "invoice.paid",
        now() - 40,
        invoice("in_2", 150, period),
    ))
    .await;
    assert_eq!(app.current_plan(&token).await["generations_used"], 2);
    // The next period's invoice does.
    app.deliver(&event(
        "evt_paid_3",
        "invoice.paid",
        now() - 30,
        invoice("in_3", 999, period + 30 * 86_400),
    ))
    .await;
    assert_eq!(app.current_plan(&token).await["generations_used"], 0);
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM payment_history WHERE status = 'paid'")
            .await,
        3
    );
}

async fn a_failed_payment_marks_the_plan_past_due_with_a_notice(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    let token = subscriber(&app).await;
    subscribe_to_basic(&app).await;
    let failed = event(
        "evt_failed",
        "invoice.payment_failed",
        now() - 10,
        invoice("in_failed", 999, now()),
    );
    assert_eq!(app.deliver(&failed).await.status(), StatusCode::OK);
    let current = app.current_plan(&token).await;
    assert_eq!(current["status"], "past_due");
    assert_eq!(current["past_due"], true);
    assert_eq!(
        current["plan_type"], "basic",
        "the plan is kept through the grace period"
    );
    assert_eq!(current["generations_limit"], 50);
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM payment_history WHERE status = 'failed'")
            .await,
        1
    );

    // Past the grace period the allowance falls to the free one until the invoice is paid.
    app.clock.advance(time::Duration::days(8));
    assert_eq!(app.current_plan(&token).await["generations_limit"], 5);
    app.deliver(&event(
        "evt_recovered",
        "invoice.paid",
        now() - 5,
        invoice("in_failed", 999, now()),
    ))
    .await;
    let current = app.current_plan(&token).await;
    assert_eq!(current["past_due"], false);
    assert_eq!(current["generations_limit"], 50);
}

/// The account page tells a subscriber whose payment failed.
async fn a_failed_payment_shows_a_notice_on_the_account_page(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    app.register_through_form(EMAIL).await;
    let html = app.html("/account").await;
    assert!(!html.contains("data-testid=\"payment-failed\""));
    // Linked to its Stripe customer, as a finished Checkout leaves it.
    app.sql_execute(&format!(
        "UPDATE subscriptions SET stripe_customer_id = '{CUSTOMER}' WHERE user_id = (SELECT id FROM users WHERE email = '{EMAIL}')"
    ))
    .await;
    subscribe_to_basic(&app).await;
    app.deliver(&event(
        "evt_f",
        "invoice.payment_failed",
        now() - 10,
        invoice("in_f", 999, now()),
    ))
    .await;
    let html = app.html("/account").await;
    assert!(html.contains("data-testid=\"payment-failed\""), "{html}");
    assert!(
        html.contains("9.99 USD") && html.contains("failed"),
        "the failed payment is listed"
    );
}

async fn unknown_event_types_are_acknowledged_at_once(backend: Backend) {
    let app = app_with_stripe(backend, None).await;
    let token = subscriber(&app).await;
    let other = event(
        "evt_other",
        "customer.created",
        now(),
        stripe_fixture("customer"),
    );
    assert_eq!(app.deliver(&other).await.status(), StatusCode::OK);
    assert_eq!(app.current_plan(&token).await["plan_type"], "free");
    let anonymous = app.get("/api/subscription/current").await;
    assert_eq!(
        error_code(anonymous, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );
}
