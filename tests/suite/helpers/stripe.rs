//! Stripe: the app configured for it, fake Stripe servers answering with Stripe's own example
//! objects (`tests/fixtures/stripe/`), and webhook events signed the way Stripe signs them.

use reqwest::Response;
use secrecy::SecretString;
use serde_json::{Value, json};
use stripe_webhook::Webhook;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Backend, Config, StripeConfig, TestApp, fixture};

pub const WEBHOOK_SECRET: &str = "whsec_test_0123456789abcdef";
pub const PRICE_BASIC: &str = "price_basic_test";
pub const PRICE_PRO: &str = "price_pro_test";
/// The Stripe customer and subscription the webhook tests' events are about.
pub const CUSTOMER: &str = "cus_test_fursona";
pub const SUBSCRIPTION: &str = "sub_test_fursona";
/// The customer [`fake_stripe`] creates.
pub const CHECKOUT_CUSTOMER: &str = "cus_test_new";

/// An app with Stripe configured; `api_base` points the client at a fake Stripe.
pub async fn app_with_stripe(backend: Backend, api_base: Option<String>) -> TestApp {
    TestApp::spawn_with(backend, |c| configure_stripe(c, api_base)).await
}

pub fn configure_stripe(config: &mut Config, api_base: Option<String>) {
    config.billing.stripe = Some(StripeConfig {
        secret_key: SecretString::from("sk_test_fursona"),
        price_basic: PRICE_BASIC.into(),
        price_pro: PRICE_PRO.into(),
        api_base,
    });
    config.billing.webhook_secret = Some(SecretString::from(WEBHOOK_SECRET));
}

/// A fake Stripe answering customers, Checkout and portal sessions.
pub async fn fake_stripe() -> MockServer {
    let server = MockServer::start().await;
    let mut customer = stripe_fixture("customer");
    customer["id"] = json!(CHECKOUT_CUSTOMER);
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

/// A fake Stripe that cancels [`SUBSCRIPTION`] (or refuses to, with another `status`).
pub async fn fake_stripe_cancelling(status: u16) -> MockServer {
    let server = MockServer::start().await;
    let mut canceled = stripe_fixture("subscription");
    canceled["status"] = json!("canceled");
    let template = if status == 200 {
        ResponseTemplate::new(200).set_body_json(canceled)
    } else {
        ResponseTemplate::new(status)
            .set_body_json(json!({"error": {"type": "api_error", "message": "try later"}}))
    };
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/subscriptions/{SUBSCRIPTION}")))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// The form fields and idempotency keys of the requests a fake Stripe received on `route`.
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

/// A form field of a request [`sent`] to Stripe.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// One of Stripe's example objects from `tests/fixtures/stripe/`.
pub fn stripe_fixture(name: &str) -> Value {
    serde_json::from_slice(&fixture(&format!("stripe/{name}.json"))).expect("fixture JSON")
}

/// Now, as Stripe's timestamps count it.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Stripe's example subscription of [`CUSTOMER`], with our ids, price, status and period.
pub fn subscription(price: &str, status: &str, metadata: Value) -> Value {
    subscription_of(CUSTOMER, price, status, metadata)
}

/// Stripe's example subscription of `customer`, with our ids, price, status and period.
pub fn subscription_of(customer: &str, price: &str, status: &str, metadata: Value) -> Value {
    let mut sub = stripe_fixture("subscription");
    sub["id"] = json!(SUBSCRIPTION);
    sub["customer"] = json!(customer);
    sub["status"] = json!(status);
    sub["metadata"] = metadata;
    sub["cancel_at_period_end"] = json!(false);
    let item = &mut sub["items"]["data"][0];
    item["price"]["id"] = json!(price);
    item["current_period_start"] = json!(now() - 86_400);
    item["current_period_end"] = json!(now() + 29 * 86_400);
    sub
}

/// Stripe's example invoice of [`CUSTOMER`]'s subscription, for a 30-day period.
pub fn invoice(id: &str, amount: i64, period_start: i64) -> Value {
    let mut invoice = stripe_fixture("invoice");
    invoice["id"] = json!(id);
    invoice["customer"] = json!(CUSTOMER);
    invoice["amount_paid"] = json!(amount);
    invoice["amount_due"] = json!(amount);
    invoice["currency"] = json!("usd");
    invoice["parent"]["subscription_details"]["subscription"] = json!(SUBSCRIPTION);
    invoice["lines"]["data"][0]["period"] =
        json!({"start": period_start, "end": period_start + 30 * 86_400});
    invoice
}

/// Stripe's example Checkout session, finished by `user_id` for [`CUSTOMER`].
pub fn checkout_completed(user_id: &str) -> Value {
    let mut session = stripe_fixture("checkout_session");
    session["client_reference_id"] = json!(user_id);
    session["customer"] = json!(CUSTOMER);
    session["subscription"] = json!(SUBSCRIPTION);
    session["mode"] = json!("subscription");
    session
}

/// Stripe's example event envelope around `object`.
pub fn event(id: &str, kind: &str, created: i64, object: Value) -> String {
    let mut event = stripe_fixture("event");
    event["id"] = json!(id);
    event["type"] = json!(kind);
    event["created"] = json!(created);
    event["data"] = json!({"object": object});
    event.to_string()
}

/// The `Stripe-Signature` header for `payload` signed at `at` with [`WEBHOOK_SECRET`]
/// (HMAC-SHA256 over `timestamp.body`).
pub fn signature(payload: &str, at: i64) -> String {
    Webhook::generate_test_header(payload, WEBHOOK_SECRET, Some(at))
}

impl TestApp {
    /// `POST /api/webhook/stripe` with an event signed the way Stripe signs it.
    pub async fn deliver(&self, payload: &str) -> Response {
        self.deliver_signed(payload, Some(signature(payload, now())))
            .await
    }

    /// `POST /api/webhook/stripe` with any signature header, or none.
    pub async fn deliver_signed(&self, payload: &str, signature: Option<String>) -> Response {
        let mut request = self
            .client
            .post(self.url("/api/webhook/stripe"))
            .header("content-type", "application/json")
            .body(payload.to_owned());
        if let Some(signature) = signature {
            request = request.header("stripe-signature", signature);
        }
        request.send().await.expect("webhook")
    }
}

impl TestApp {
    /// Links the account behind `token` to [`CUSTOMER`], as a finished Checkout does.
    pub async fn link_stripe_customer(&self, token: &str) {
        let user_id = self.user_id(token).await;
        let linked = self
            .deliver(&event(
                "evt_checkout_link",
                "checkout.session.completed",
                now() - 100,
                checkout_completed(&user_id),
            ))
            .await;
        assert_eq!(linked.status(), reqwest::StatusCode::OK);
    }
}
