//! Stripe out: Checkout and the billing portal through the API and the pages, against a local
//! server that answers with Stripe's own example objects; and the app without Stripe.

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::pages::csrf_token;
use crate::helpers::stripe::{
    CHECKOUT_CUSTOMER, PRICE_BASIC, PRICE_PRO, app_with_stripe, event, fake_stripe, field, sent,
    subscription_of,
};
use crate::helpers::{Backend, TestApp, error_code, json, on_both_backends};

on_both_backends!(
    checkout_creates_the_customer_once_and_a_session_for_the_servers_price,
    a_subscriber_is_sent_to_the_portal_instead_of_a_second_subscription,
    a_stripe_error_is_a_clear_502_and_writes_nothing,
    without_stripe_upgrading_is_refused_and_everything_else_works,
    the_pages_upgrade_through_checkout_and_wait_for_the_webhook,
);

const EMAIL: &str = "upgrader@example.com";

async fn checkout_creates_the_customer_once_and_a_session_for_the_servers_price(backend: Backend) {
    let stripe = fake_stripe().await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let token = app.register(EMAIL).await;
    let user_id = app.user_id(&token).await;

    // The client cannot choose the price: extra fields are ignored.
    let response = app
        .post_api(
            "/api/subscription/checkout",
            &token,
            &json!({"plan": "basic", "price": PRICE_PRO}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        json(response).await["url"],
        format!("{}/pay/cs_test_fursona", stripe.uri())
    );

    let customers = sent(&stripe, "/v1/customers").await;
    assert_eq!(customers.len(), 1);
    let (fields, key) = &customers[0];
    assert_eq!(field(fields, "email"), Some(EMAIL));
    assert_eq!(field(fields, "metadata[user_id]"), Some(user_id.as_str()));
    assert!(!key.is_empty(), "an idempotency key on the customer");
    let stored = app
        .sql_scalar_i64(&format!(
            "SELECT COUNT(*) FROM subscriptions WHERE stripe_customer_id = '{CHECKOUT_CUSTOMER}'"
        ))
        .await;
    assert_eq!(stored, 1, "the customer is stored");

    let sessions = sent(&stripe, "/v1/checkout/sessions").await;
    let (fields, first_key) = &sessions[0];
    assert_eq!(field(fields, "mode"), Some("subscription"));
    assert_eq!(field(fields, "customer"), Some(CHECKOUT_CUSTOMER));
    assert_eq!(field(fields, "client_reference_id"), Some(user_id.as_str()));
    assert_eq!(field(fields, "metadata[user_id]"), Some(user_id.as_str()));
    assert_eq!(field(fields, "line_items[0][price]"), Some(PRICE_BASIC));
    assert_eq!(field(fields, "line_items[0][quantity]"), Some("1"));
    assert_eq!(
        field(fields, "success_url"),
        Some("http://localhost:3001/billing/success?session_id={CHECKOUT_SESSION_ID}")
    );
    assert_eq!(
        field(fields, "cancel_url"),
        Some("http://localhost:3001/plans")
    );

    // A double click sends the same key, so Stripe answers with the same session.
    app.post_api(
        "/api/subscription/checkout",
        &token,
        &json!({"plan": "basic"}),
    )
    .await;
    // The original path works too, and the customer is not created again.
    let response = app
        .post_api(
            "/api/subscription/create-checkout",
            &token,
            &json!({"plan": "pro"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let sessions = sent(&stripe, "/v1/checkout/sessions").await;
    assert_eq!(sessions.len(), 3);
    assert_eq!(
        &sessions[1].1, first_key,
        "same plan, same moment: same key"
    );
    assert_ne!(&sessions[2].1, first_key);
    assert_eq!(
        field(&sessions[2].0, "line_items[0][price]"),
        Some(PRICE_PRO)
    );
    assert_eq!(sent(&stripe, "/v1/customers").await.len(), 1);

    for (body, status) in [
        (json!({"plan": "free"}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"plan": "gold"}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"plan": 2}), StatusCode::BAD_REQUEST),
    ] {
        let response = app
            .post_api("/api/subscription/checkout", &token, &body)
            .await;
        assert_eq!(response.status(), status, "{body}");
    }
    let anonymous = app
        .post_json("/api/subscription/checkout", &json!({"plan": "basic"}))
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

async fn a_subscriber_is_sent_to_the_portal_instead_of_a_second_subscription(backend: Backend) {
    let stripe = fake_stripe().await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let token = app.register(EMAIL).await;
    // No billing account yet: nothing to manage.
    let response = app
        .post_api("/api/subscription/portal", &token, &json!({}))
        .await;
    assert_eq!(error_code(response, StatusCode::CONFLICT).await, "conflict");

    app.post_api(
        "/api/subscription/checkout",
        &token,
        &json!({"plan": "basic"}),
    )
    .await;
    let sub = subscription_of(CHECKOUT_CUSTOMER, PRICE_BASIC, "active", json!({}));
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    app.deliver(&event("evt_sub", "customer.subscription.created", now, sub))
        .await;

    let response = app
        .post_api(
            "/api/subscription/checkout",
            &token,
            &json!({"plan": "pro"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        json(response).await["error"]["message"]
            .as_str()
            .expect("message")
            .contains("billing portal")
    );
    for route in [
        "/api/subscription/portal",
        "/api/subscription/create-portal",
    ] {
        let response = app.post_api(route, &token, &json!({})).await;
        assert_eq!(response.status(), StatusCode::OK, "{route}");
        assert_eq!(
            json(response).await["url"],
            format!("{}/portal/bps_test", stripe.uri())
        );
    }
    let portal = sent(&stripe, "/v1/billing_portal/sessions").await;
    assert_eq!(field(&portal[0].0, "customer"), Some(CHECKOUT_CUSTOMER));
    assert_eq!(
        field(&portal[0].0, "return_url"),
        Some("http://localhost:3001/account")
    );
    assert!(!portal[0].1.is_empty());
}

async fn a_stripe_error_is_a_clear_502_and_writes_nothing(backend: Backend) {
    let stripe = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "type": "invalid_request_error", "message": "No such price: 'price_basic_test'",
            "param": "line_items[0][price]", "code": "resource_missing"}})))
        .mount(&stripe)
        .await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let token = app.register(EMAIL).await;
    let response = app
        .post_api(
            "/api/subscription/checkout",
            &token,
            &json!({"plan": "basic"}),
        )
        .await;
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "payment_service_error");
    assert!(
        !body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("sk_test")
    );
    let linked = app
        .sql_scalar_i64("SELECT COUNT(*) FROM subscriptions WHERE stripe_customer_id IS NOT NULL")
        .await;
    assert_eq!(linked, 0, "no customer was stored");
}

async fn without_stripe_upgrading_is_refused_and_everything_else_works(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    for route in ["/api/subscription/checkout", "/api/subscription/portal"] {
        let response = app.post_api(route, &token, &json!({"plan": "basic"})).await;
        assert_eq!(
            error_code(response, StatusCode::SERVICE_UNAVAILABLE).await,
            "payments_not_configured"
        );
    }
    let plans = json(app.get("/api/subscription/plans").await).await;
    assert_eq!(plans["payments_enabled"], false);
    let ids: Vec<&str> = plans["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, ["free", "basic", "pro"]);
    assert_eq!(plans["plans"][1]["price_cents"], 999);
    assert_eq!(plans["plans"][2]["price_cents"], 1999);
    assert_eq!(plans["plans"][2]["monthly_limit"], Value::Null);
    assert_eq!(
        plans["plans"][0]["features"],
        json!(["Basic AI", "Community"])
    );
    assert_eq!(
        plans["plans"][2]["features"],
        json!(["Best AI", "Priority", "History", "Early Access"])
    );

    let webhook = app
        .client
        .post(app.url("/api/webhook/stripe"))
        .body("{}")
        .send()
        .await
        .expect("webhook");
    assert_eq!(webhook.status(), StatusCode::SERVICE_UNAVAILABLE);

    app.register_through_form("pages@example.com").await;
    let html = app.html("/plans").await;
    assert!(html.contains("Payments are not set up"));
    assert!(!html.contains("action=\"/plans/checkout\""));
    let current = app.current_plan(&token).await;
    assert_eq!(current["plan_type"], "free");
    assert_eq!(current["cancel_at_period_end"], false);
}

async fn the_pages_upgrade_through_checkout_and_wait_for_the_webhook(backend: Backend) {
    let stripe = fake_stripe().await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    app.register_through_form(EMAIL).await;
    let html = app.html("/plans").await;
    assert!(html.contains("Your plan"));
    assert_eq!(
        html.matches("action=\"/plans/checkout\"").count(),
        2,
        "one upgrade button per paid plan"
    );
    let token = csrf_token(&html);
    let response = app
        .post_form(
            "/plans/checkout",
            &[("csrf_token", token.as_str()), ("plan", "pro")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("{}/pay/cs_test_fursona", stripe.uri()).as_str()
    );
    assert_eq!(
        field(
            &sent(&stripe, "/v1/checkout/sessions").await[0].0,
            "line_items[0][price]"
        ),
        Some(PRICE_PRO)
    );

    // Back from Checkout: the plan is not changed by the redirect, only by the webhook.
    let waiting = app.get("/billing/success?session_id=cs_test_fursona").await;
    let html = waiting.text().await.expect("html");
    assert!(
        html.contains("data-testid=\"billing-waiting\"")
            && html.contains("hx-trigger=\"every 2s\"")
    );
    let sub = subscription_of(CHECKOUT_CUSTOMER, PRICE_PRO, "active", json!({}));
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    app.deliver(&event(
        "evt_paid_page",
        "customer.subscription.created",
        now,
        sub,
    ))
    .await;
    let status = app.html("/billing/status").await;
    assert!(
        status.contains("data-testid=\"billing-confirmed\"") && status.contains("Pro"),
        "{status}"
    );
    assert!(!status.contains("<html"), "a fragment for htmx");

    let account = app.html("/account").await;
    assert!(account.contains("data-testid=\"account-plan\">Pro<"));
    assert!(account.contains("0 of") || account.contains("unlimited"));
    assert!(account.contains("action=\"/account/portal\""));
    let csrf = csrf_token(&account);
    let portal = app
        .post_form("/account/portal", &[("csrf_token", csrf.as_str())])
        .await;
    assert_eq!(portal.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        portal.headers()["location"],
        format!("{}/portal/bps_test", stripe.uri()).as_str()
    );
}
