//! Stripe out: Checkout and the billing portal through the API and the pages, against a local
//! server that answers with Stripe's own example objects; and the app without Stripe.

use fursona::store::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::billing::{
    PRICE_BASIC, PRICE_PRO, app_with_stripe, deliver, event, stripe_fixture, subscription_of,
};
use crate::helpers::{TestApp, error_code, json, on_both_backends};
use crate::pages::{csrf_token, register_through_form};

on_both_backends!(
    checkout_creates_the_customer_once_and_a_session_for_the_servers_price,
    a_subscriber_is_sent_to_the_portal_instead_of_a_second_subscription,
    a_stripe_error_is_a_clear_502_and_writes_nothing,
    without_stripe_upgrading_is_refused_and_everything_else_works,
    the_pages_upgrade_through_checkout_and_wait_for_the_webhook,
);

const EMAIL: &str = "upgrader@example.com";
const CUSTOMER: &str = "cus_test_new";

/// A fake Stripe answering customers, Checkout and portal sessions.
pub async fn fake_stripe() -> MockServer {
    let server = MockServer::start().await;
    let mut customer = stripe_fixture("customer");
    customer["id"] = json!(CUSTOMER);
    let mut session = stripe_fixture("checkout_session");
    session["id"] = json!("cs_test_fursona");
    session["url"] = json!(format!("{}/pay/cs_test_fursona", server.uri()));
    session["mode"] = json!("subscription");
    let mut portal = stripe_fixture("billing_portal_session");
    portal["url"] = json!(format!("{}/portal/bps_test", server.uri()));
    for (route, body) in [
        ("/v1/customers", customer),
        ("/v1/checkout/sessions", session),
        ("/v1/billing_portal/sessions", portal),
    ] {
        Mock::given(method("POST"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    // Where the browser lands after being sent to Stripe.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<h1>Fake Stripe Checkout</h1>", "text/html"),
        )
        .mount(&server)
        .await;
    server
}

/// The form fields and idempotency keys of the requests sent to `route`.
pub async fn sent(server: &MockServer, route: &str) -> Vec<(Vec<(String, String)>, String)> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == route)
        .map(|r| {
            let fields = url::form_urlencoded::parse(&r.body).into_owned().collect();
            let key = r
                .headers
                .get("idempotency-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            (fields, key)
        })
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

async fn post_api(app: &TestApp, token: &str, route: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(route))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request")
}

async fn checkout_creates_the_customer_once_and_a_session_for_the_servers_price(backend: Backend) {
    let stripe = fake_stripe().await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let token = app.register(EMAIL).await;
    let user_id = json(app.get_authed("/api/auth/me", &token).await).await["user"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // The client cannot choose the price: extra fields are ignored.
    let response = post_api(
        &app,
        &token,
        "/api/subscription/checkout",
        json!({"plan": "basic", "price": PRICE_PRO}),
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
            "SELECT COUNT(*) FROM subscriptions WHERE stripe_customer_id = '{CUSTOMER}'"
        ))
        .await;
    assert_eq!(stored, 1, "the customer is stored");

    let sessions = sent(&stripe, "/v1/checkout/sessions").await;
    let (fields, first_key) = &sessions[0];
    assert_eq!(field(fields, "mode"), Some("subscription"));
    assert_eq!(field(fields, "customer"), Some(CUSTOMER));
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
    post_api(
        &app,
        &token,
        "/api/subscription/checkout",
        json!({"plan": "basic"}),
    )
    .await;
    // The original path works too, and the customer is not created again.
    let response = post_api(
        &app,
        &token,
        "/api/subscription/create-checkout",
        json!({"plan": "pro"}),
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
        let response = post_api(&app, &token, "/api/subscription/checkout", body.clone()).await;
        assert_eq!(response.status(), status, "{body}");
    }
    let anonymous = app
        .client
        .post(app.url("/api/subscription/checkout"))
        .json(&json!({"plan": "basic"}))
        .send()
        .await
        .expect("post");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

async fn a_subscriber_is_sent_to_the_portal_instead_of_a_second_subscription(backend: Backend) {
    let stripe = fake_stripe().await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let token = app.register(EMAIL).await;
    // No billing account yet: nothing to manage.
    let response = post_api(&app, &token, "/api/subscription/portal", json!({})).await;
    assert_eq!(error_code(response, StatusCode::CONFLICT).await, "conflict");

    post_api(
        &app,
        &token,
        "/api/subscription/checkout",
        json!({"plan": "basic"}),
    )
    .await;
    let sub = subscription_of(CUSTOMER, PRICE_BASIC, "active", json!({}));
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    deliver(
        &app,
        &event("evt_sub", "customer.subscription.created", now, sub),
    )
    .await;

    let response = post_api(
        &app,
        &token,
        "/api/subscription/checkout",
        json!({"plan": "pro"}),
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
        let response = post_api(&app, &token, route, json!({})).await;
        assert_eq!(response.status(), StatusCode::OK, "{route}");
        assert_eq!(
            json(response).await["url"],
            format!("{}/portal/bps_test", stripe.uri())
        );
    }
    let portal = sent(&stripe, "/v1/billing_portal/sessions").await;
    assert_eq!(field(&portal[0].0, "customer"), Some(CUSTOMER));
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
    let response = post_api(
        &app,
        &token,
        "/api/subscription/checkout",
        json!({"plan": "basic"}),
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
        let response = post_api(&app, &token, route, json!({"plan": "basic"})).await;
        assert_eq!(
            error_code(response, StatusCode::SERVICE_UNAVAILABLE).await,
            "payments_not_configured"
        );
    }
    let plans = json(
        app.client
            .get(app.url("/api/subscription/plans"))
            .send()
            .await
            .expect("plans"),
    )
    .await;
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

    register_through_form(&app, "pages@example.com").await;
    let html = app.html("/plans").await;
    assert!(html.contains("Payments are not set up"));
    assert!(!html.contains("action=\"/plans/checkout\""));
    let current = json(app.get_authed("/api/subscription/current", &token).await).await;
    assert_eq!(current["plan_type"], "free");
    assert_eq!(current["cancel_at_period_end"], false);
}

async fn the_pages_upgrade_through_checkout_and_wait_for_the_webhook(backend: Backend) {
    let stripe = fake_stripe().await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    register_through_form(&app, EMAIL).await;
    let html = app.html("/plans").await;
    assert!(html.contains("Your plan"));
    assert_eq!(
        html.matches("action=\"/plans/checkout\"").count(),
        2,
        "one upgrade button per paid plan"
    );
    let token = csrf_token(&html);
    let response = app
        .client
        .post(app.url("/plans/checkout"))
        .form(&[("csrf_token", token.as_str()), ("plan", "pro")])
        .send()
        .await
        .expect("upgrade");
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
    let waiting = app
        .client
        .get(app.url("/billing/success?session_id=cs_test_fursona"))
        .send()
        .await
        .expect("page");
    let html = waiting.text().await.expect("html");
    assert!(
        html.contains("data-testid=\"billing-waiting\"")
            && html.contains("hx-trigger=\"every 2s\"")
    );
    let sub = subscription_of(CUSTOMER, PRICE_PRO, "active", json!({}));
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    deliver(
        &app,
        &event("evt_paid_page", "customer.subscription.created", now, sub),
    )
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
        .client
        .post(app.url("/account/portal"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("portal");
    assert_eq!(portal.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        portal.headers()["location"],
        format!("{}/portal/bps_test", stripe.uri()).as_str()
    );
}
