//! The outbound half of billing: the three Stripe calls the app makes (create a customer, open a
//! Checkout Session for a subscription, open the Billing Portal), on top of async-stripe.
//!
//! Every call is a single attempt carrying the caller's idempotency key: a double click replays
//! the first answer instead of creating a second object, and retrying is left to the user (the
//! caller answers 502). Errors are flattened to a log-friendly message that never holds the key.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use stripe::{ApiErrors, Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_billing::billing_portal_session::CreateBillingPortalSession;
use stripe_billing::subscription::CancelSubscription;
use stripe_checkout::CheckoutSessionMode;
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionSubscriptionData,
};
use stripe_core::customer::CreateCustomer;

/// async-stripe sets no timeout of its own, and a hung connection must not hold a user's request
/// open forever. It bounds our single attempt.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Stripe replaces this with the session id when it redirects to the success URL.
const CHECKOUT_SESSION_ID_PLACEHOLDER: &str = "{CHECKOUT_SESSION_ID}";

/// The metadata key under which every Stripe object we create names our user.
const USER_ID_METADATA_KEY: &str = "user_id";

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// Stripe answered with an error, or could not be reached, or answered something unparseable.
    /// Message for logs (never secrets).
    #[error("Stripe request failed: {0}")]
    Request(String),
    /// The client or a request was set up wrongly (bad key or base URL, empty idempotency key, a
    /// success URL without the session placeholder); nothing was sent to Stripe.
    #[error("invalid Stripe configuration: {0}")]
    Config(String),
}

/// A Stripe API client; cheap to clone.
#[derive(Clone)]
pub struct StripeClient {
    client: Client,
}

// Written by hand so that no future field can leak the secret key into logs.
impl fmt::Debug for StripeClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeClient").finish_non_exhaustive()
    }
}

/// What a subscription Checkout Session is opened with.
pub struct CheckoutRequest<'a> {
    pub customer_id: &'a str,
    pub price_id: &'a str,
    /// Our user id, sent as client_reference_id and metadata["user_id"].
    pub user_id: &'a str,
    /// Must contain the literal `{CHECKOUT_SESSION_ID}` placeholder (Stripe fills it in).
    pub success_url: &'a str,
    pub cancel_url: &'a str,
}

impl StripeClient {
    /// `api_base`: None = Stripe's default; Some("http://127.0.0.1:1234") for tests/staging (add
    /// the trailing slash if missing).
    ///
    /// # Errors
    /// [`StripeError::Config`] if the key is empty or not a valid header value, or `api_base` is
    /// not an absolute http(s) URL.
    pub fn new(secret_key: &str, api_base: Option<&str>) -> Result<Self, StripeError> {
        if secret_key.trim().is_empty() {
            return Err(StripeError::Config("the secret key is empty".into()));
        }
        // `Once` is also the library's default; spelled out because retrying is the caller's call.
        let mut builder = ClientBuilder::new(secret_key)
            .request_strategy(RequestStrategy::Once)
            .timeout(REQUEST_TIMEOUT);
        if let Some(api_base) = api_base {
            builder = builder.url(normalised_api_base(api_base)?);
        }
        let client = builder.build().map_err(config_error)?;
        Ok(Self { client })
    }

    /// POST /v1/customers with email, name and metadata[user_id]; returns the customer id
    /// (cus_...).
    ///
    /// # Errors
    /// [`StripeError::Request`] if Stripe refuses or cannot be reached; [`StripeError::Config`]
    /// for an unusable idempotency key.
    pub async fn create_customer(
        &self,
        email: &str,
        name: &str,
        user_id: &str,
        idempotency_key: &str,
    ) -> Result<String, StripeError> {
        let request = CreateCustomer::new()
            .email(email)
            .name(name)
            .metadata(user_metadata(user_id));
        let customer = request
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(request_error)?;
        Ok(customer.id.as_str().to_owned())
    }

    /// POST /v1/checkout/sessions: mode=subscription, customer, client_reference_id=user_id,
    /// metadata[user_id] (on the session and on the subscription it creates), one line item
    /// {price, quantity 1}, success_url, cancel_url. Returns the session's `url`.
    ///
    /// # Errors
    /// [`StripeError::Request`] if Stripe refuses, cannot be reached, or returns a session without
    /// a `url`; [`StripeError::Config`] if `success_url` lacks `{CHECKOUT_SESSION_ID}` or the
    /// idempotency key is unusable.
    pub async fn create_checkout_session(
        &self,
        request: &CheckoutRequest<'_>,
        idempotency_key: &str,
    ) -> Result<String, StripeError> {
        // Without the placeholder the success page cannot tell which session it is confirming.
        if !request
            .success_url
            .contains(CHECKOUT_SESSION_ID_PLACEHOLDER)
        {
            return Err(StripeError::Config(format!(
                "success_url must contain {CHECKOUT_SESSION_ID_PLACEHOLDER}"
            )));
        }
        let session = checkout_session_request(request)
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(request_error)?;
        let url = session.url.ok_or_else(|| {
            StripeError::Request(format!("Checkout Session {} has no url", session.id))
        })?;
        non_empty_url(url, "Checkout Session")
    }

    /// POST /v1/billing_portal/sessions with customer and return_url; returns its `url`.
    ///
    /// # Errors
    /// [`StripeError::Request`] if Stripe refuses, cannot be reached, or returns no `url`;
    /// [`StripeError::Config`] for an unusable idempotency key.
    pub async fn create_portal_session(
        &self,
        customer_id: &str,
        return_url: &str,
        idempotency_key: &str,
    ) -> Result<String, StripeError> {
        let session = CreateBillingPortalSession::new()
            .customer(customer_id)
            .return_url(return_url)
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(request_error)?;
        non_empty_url(session.url, "Billing Portal session")
    }

    /// DELETE /v1/subscriptions/{id}: ends the subscription now (an account being deleted).
    pub async fn cancel_subscription(&self, subscription_id: &str) -> Result<(), StripeError> {
        CancelSubscription::new(subscription_id)
            .customize()
            .request_strategy(RequestStrategy::Once)
            .send(&self.client)
            .await
            .map(drop)
            .map_err(request_error)
    }
}

fn checkout_session_request(request: &CheckoutRequest<'_>) -> CreateCheckoutSession {
    let mut line_item = CreateCheckoutSessionLineItems::new();
    line_item.price = Some(request.price_id.to_owned());
    line_item.quantity = Some(1);
    // The subscription outlives the session, so it carries the user id too (for its webhooks).
    let mut subscription_data = CreateCheckoutSessionSubscriptionData::new();
    subscription_data.metadata = Some(user_metadata(request.user_id));
    CreateCheckoutSession::new()
        .mode(CheckoutSessionMode::Subscription)
        .customer(request.customer_id)
        .client_reference_id(request.user_id)
        .metadata(user_metadata(request.user_id))
        .line_items(vec![line_item])
        .subscription_data(subscription_data)
        .success_url(request.success_url)
        .cancel_url(request.cancel_url)
}

fn user_metadata(user_id: &str) -> HashMap<String, String> {
    HashMap::from([(USER_ID_METADATA_KEY.to_owned(), user_id.to_owned())])
}

/// One attempt that sends `Idempotency-Key: key`. The key is checked here, because the library
/// would only fail on it once the request is being sent, with a less helpful message.
fn idempotent(key: &str) -> Result<RequestStrategy, StripeError> {
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(StripeError::Config(
            "the idempotency key may only hold visible ASCII characters".into(),
        ));
    }
    let key = IdempotencyKey::new(key)
        .map_err(|err| StripeError::Config(format!("unusable idempotency key: {err}")))?;
    Ok(RequestStrategy::Idempotent(key))
}

/// Makes `api_base` an absolute http(s) URL ending in `/`, which async-stripe appends `v1/...` to.
fn normalised_api_base(api_base: &str) -> Result<String, StripeError> {
    let invalid = |why: &str| StripeError::Config(format!("api_base {api_base:?} {why}"));
    let url = url::Url::parse(api_base).map_err(|err| invalid(&format!("is not a URL: {err}")))?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return Err(invalid("must be an http(s) URL with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    let mut base = url.to_string();
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(base)
}

fn non_empty_url(url: String, object: &str) -> Result<String, StripeError> {
    if url.trim().is_empty() {
        return Err(StripeError::Request(format!("{object} has an empty url")));
    }
    Ok(url)
}

/// The builder's messages name the faulty setting, never its value, so they are safe to keep.
fn config_error(err: stripe::StripeError) -> StripeError {
    match err {
        stripe::StripeError::ConfigError(message) | stripe::StripeError::ClientError(message) => {
            StripeError::Config(message)
        }
        other => StripeError::Config(other.to_string()),
    }
}

fn request_error(err: stripe::StripeError) -> StripeError {
    StripeError::Request(match err {
        stripe::StripeError::Stripe(error, status) => describe_api_error(&error, status),
        stripe::StripeError::JSONDeserialize(message) => {
            format!("unexpected answer from Stripe: {message}")
        }
        stripe::StripeError::ClientError(message) => format!("could not reach Stripe: {message}"),
        stripe::StripeError::ConfigError(message) => format!("request not sent: {message}"),
        stripe::StripeError::Timeout => {
            format!(
                "no answer from Stripe within {}s",
                REQUEST_TIMEOUT.as_secs()
            )
        }
    })
}

/// E.g. `HTTP 400 invalid_request_error (code resource_missing, param line_items[0][price]): No
/// such price: 'price_x'`. The library's own Display is a multi-line Debug dump.
fn describe_api_error(error: &ApiErrors, status: u16) -> String {
    let mut details = Vec::new();
    if let Some(code) = &error.code {
        details.push(format!("code {}", code.as_str()));
    }
    if let Some(decline_code) = &error.decline_code {
        details.push(format!("decline code {decline_code}"));
    }
    if let Some(param) = &error.param {
        details.push(format!("param {param}"));
    }
    let mut description = format!("HTTP {status} {}", error.type_.as_str());
    if !details.is_empty() {
        description.push_str(&format!(" ({})", details.join(", ")));
    }
    let message = error.message.as_deref().unwrap_or("no message");
    format!("{description}: {message}")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use serde_json::{Value, json};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    use super::*;

    const SECRET_KEY: &str = "sk_test_51FursonaSecretKeyForTests";
    const USER_ID: &str = "0191f3a2-7c1e-7d3b-9a4e-5f6a7b8c9d0e";
    const CUSTOMER_ID: &str = "cus_FursonaTest123";
    const SESSION_ID: &str = "cs_test_fursona_session_1";
    const CHECKOUT_URL: &str = "https://checkout.stripe.com/c/pay/cs_test_fursona_session_1";
    const PORTAL_URL: &str = "https://billing.stripe.com/p/session/test_fursona";
    const SUCCESS_URL: &str =
        "https://fursona.example/billing/success?session_id={CHECKOUT_SESSION_ID}";
    const CANCEL_URL: &str = "https://fursona.example/plans";
    const RETURN_URL: &str = "https://fursona.example/account";

    /// One of Stripe's published example objects, as Stripe would send it.
    fn fixture(name: &str) -> Value {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/stripe")
            .join(name);
        let text = std::fs::read_to_string(&file).expect("fixture file");
        serde_json::from_str(&text).expect("fixture JSON")
    }

    fn customer_answer() -> Value {
        let mut customer = fixture("customer.json");
        customer["id"] = json!(CUSTOMER_ID);
        customer["email"] = json!("fox@example.com");
        customer["name"] = json!("Foxy");
        customer["metadata"] = json!({ "user_id": USER_ID });
        customer
    }

    fn checkout_session_answer() -> Value {
        let mut session = fixture("checkout_session.json");
        session["id"] = json!(SESSION_ID);
        session["mode"] = json!("subscription");
        session["customer"] = json!(CUSTOMER_ID);
        session["client_reference_id"] = json!(USER_ID);
        session["metadata"] = json!({ "user_id": USER_ID });
        session["success_url"] = json!(SUCCESS_URL);
        session["cancel_url"] = json!(CANCEL_URL);
        session["url"] = json!(CHECKOUT_URL);
        session
    }

    fn portal_session_answer() -> Value {
        let mut session = fixture("billing_portal_session.json");
        session["customer"] = json!(CUSTOMER_ID);
        session["return_url"] = json!(RETURN_URL);
        session["url"] = json!(PORTAL_URL);
        session
    }

    fn stripe_error(status: u16, error: Value) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_json(json!({ "error": error }))
    }

    fn no_such_price() -> ResponseTemplate {
        stripe_error(
            400,
            json!({
                "type": "invalid_request_error",
                "message": "No such price: 'price_x'",
                "param": "line_items[0][price]",
                "code": "resource_missing",
            }),
        )
    }

    async fn stripe_answering(
        http_method: &str,
        api_path: &str,
        answer: ResponseTemplate,
    ) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method(http_method))
            .and(path(api_path))
            .respond_with(answer)
            .mount(&server)
            .await;
        server
    }

    fn client_for(server: &MockServer) -> StripeClient {
        StripeClient::new(SECRET_KEY, Some(&server.uri())).expect("client")
    }

    fn checkout_request() -> CheckoutRequest<'static> {
        CheckoutRequest {
            customer_id: CUSTOMER_ID,
            price_id: "price_basic_test",
            user_id: USER_ID,
            success_url: SUCCESS_URL,
            cancel_url: CANCEL_URL,
        }
    }

    /// The one request the fake received; more than one would mean the client retried.
    async fn only_request(server: &MockServer) -> Request {
        let mut requests = server.received_requests().await.expect("request recording");
        assert_eq!(requests.len(), 1, "expected exactly one request to Stripe");
        requests.remove(0)
    }

    fn header<'r>(request: &'r Request, name: &str) -> &'r str {
        request
            .headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .expect("ASCII header")
    }

    /// The form-encoded body, decoded (`line_items[0][price]`, not `line_items%5B0%5D...`).
    fn form(request: &Request) -> HashMap<String, String> {
        url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect()
    }

    fn assert_sent_as_stripe_expects(request: &Request, api_path: &str, idempotency_key: &str) {
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), api_path);
        assert_eq!(
            header(request, "authorization"),
            format!("Bearer {SECRET_KEY}")
        );
        assert_eq!(header(request, "idempotency-key"), idempotency_key);
        assert_eq!(
            header(request, "content-type"),
            "application/x-www-form-urlencoded"
        );
    }

    fn assert_form_has(form: &HashMap<String, String>, field: &str, expected: &str) {
        assert_eq!(
            form.get(field).map(String::as_str),
            Some(expected),
            "form field {field} in {form:?}"
        );
    }

    fn request_error_message(result: Result<String, StripeError>) -> String {
        match result {
            Err(StripeError::Request(message)) => message,
            other => panic!("expected a request error, got {other:?}"),
        }
    }

    fn config_error_message<T: fmt::Debug>(result: Result<T, StripeError>) -> String {
        match result {
            Err(StripeError::Config(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    async fn assert_nothing_sent(server: &MockServer) {
        let received = server.received_requests().await.expect("request recording");
        assert!(
            received.is_empty(),
            "{} requests reached Stripe",
            received.len()
        );
    }

    #[tokio::test]
    async fn creating_a_customer_posts_email_name_and_user_id_and_returns_the_customer_id() {
        let server = stripe_answering(
            "POST",
            "/v1/customers",
            ResponseTemplate::new(200).set_body_json(customer_answer()),
        )
        .await;

        let customer_id = client_for(&server)
            .create_customer("fox@example.com", "Foxy", USER_ID, "customer-key-1")
            .await
            .expect("customer id");

        assert_eq!(customer_id, CUSTOMER_ID);
        let request = only_request(&server).await;
        assert_sent_as_stripe_expects(&request, "/v1/customers", "customer-key-1");
        let form = form(&request);
        assert_form_has(&form, "email", "fox@example.com");
        assert_form_has(&form, "name", "Foxy");
        assert_form_has(&form, "metadata[user_id]", USER_ID);
        assert_eq!(form.len(), 3, "nothing else is sent: {form:?}");
    }

    #[tokio::test]
    async fn creating_a_checkout_session_asks_for_a_subscription_to_one_price_and_returns_its_url()
    {
        let server = stripe_answering(
            "POST",
            "/v1/checkout/sessions",
            ResponseTemplate::new(200).set_body_json(checkout_session_answer()),
        )
        .await;

        let url = client_for(&server)
            .create_checkout_session(&checkout_request(), "checkout-key-1")
            .await
            .expect("checkout url");

        assert_eq!(url, CHECKOUT_URL);
        let request = only_request(&server).await;
        assert_sent_as_stripe_expects(&request, "/v1/checkout/sessions", "checkout-key-1");
        let form = form(&request);
        assert_form_has(&form, "mode", "subscription");
        assert_form_has(&form, "customer", CUSTOMER_ID);
        assert_form_has(&form, "client_reference_id", USER_ID);
        assert_form_has(&form, "metadata[user_id]", USER_ID);
        assert_form_has(&form, "subscription_data[metadata][user_id]", USER_ID);
        assert_form_has(&form, "line_items[0][price]", "price_basic_test");
        assert_form_has(&form, "line_items[0][quantity]", "1");
        assert!(
            !form.contains_key("line_items[1][price]"),
            "one line item only"
        );
        assert_form_has(&form, "success_url", SUCCESS_URL);
        assert!(form["success_url"].contains("{CHECKOUT_SESSION_ID}"));
        assert_form_has(&form, "cancel_url", CANCEL_URL);
    }

    #[tokio::test]
    async fn creating_a_portal_session_posts_the_customer_and_return_url_and_returns_its_url() {
        let server = stripe_answering(
            "POST",
            "/v1/billing_portal/sessions",
            ResponseTemplate::new(200).set_body_json(portal_session_answer()),
        )
        .await;

        let url = client_for(&server)
            .create_portal_session(CUSTOMER_ID, RETURN_URL, "portal-key-1")
            .await
            .expect("portal url");

        assert_eq!(url, PORTAL_URL);
        let request = only_request(&server).await;
        assert_sent_as_stripe_expects(&request, "/v1/billing_portal/sessions", "portal-key-1");
        let form = form(&request);
        assert_form_has(&form, "customer", CUSTOMER_ID);
        assert_form_has(&form, "return_url", RETURN_URL);
        assert_eq!(form.len(), 2, "nothing else is sent: {form:?}");
    }

    #[tokio::test]
    async fn a_stripe_error_answer_becomes_a_request_error_with_stripes_explanation() {
        let server = stripe_answering("POST", "/v1/checkout/sessions", no_such_price()).await;

        let result = client_for(&server)
            .create_checkout_session(&checkout_request(), "checkout-key-2")
            .await;

        let message = request_error_message(result);
        assert_eq!(
            message,
            "HTTP 400 invalid_request_error (code resource_missing, param line_items[0][price]): \
             No such price: 'price_x'"
        );
        only_request(&server).await;
    }

    #[tokio::test]
    async fn a_stripe_server_error_is_a_request_error_and_is_not_retried() {
        let answer = stripe_error(
            500,
            json!({ "type": "api_error", "message": "Something went wrong on Stripe's end." }),
        );
        let server = stripe_answering("POST", "/v1/customers", answer).await;

        let result = client_for(&server)
            .create_customer("fox@example.com", "Foxy", USER_ID, "customer-key-2")
            .await;

        let message = request_error_message(result);
        assert!(message.contains("HTTP 500 api_error"), "{message}");
        assert!(
            message.contains("Something went wrong on Stripe's end."),
            "{message}"
        );
        only_request(&server).await;
    }

    #[tokio::test]
    async fn a_server_error_page_that_is_not_stripe_json_is_a_request_error_and_is_not_retried() {
        let answer = ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>");
        let server = stripe_answering("POST", "/v1/billing_portal/sessions", answer).await;

        let result = client_for(&server)
            .create_portal_session(CUSTOMER_ID, RETURN_URL, "portal-key-2")
            .await;

        let message = request_error_message(result);
        assert!(
            message.contains("unexpected answer from Stripe"),
            "{message}"
        );
        only_request(&server).await;
    }

    #[tokio::test]
    async fn a_checkout_session_answer_without_a_url_is_an_error() {
        let mut session = checkout_session_answer();
        session["url"] = Value::Null;
        let server = stripe_answering(
            "POST",
            "/v1/checkout/sessions",
            ResponseTemplate::new(200).set_body_json(session),
        )
        .await;

        let result = client_for(&server)
            .create_checkout_session(&checkout_request(), "checkout-key-3")
            .await;

        let message = request_error_message(result);
        assert!(message.contains(SESSION_ID), "names the session: {message}");
        assert!(message.contains("no url"), "{message}");
    }

    #[tokio::test]
    async fn an_answer_missing_a_required_field_is_a_request_error() {
        let mut session = portal_session_answer();
        session.as_object_mut().expect("object").remove("url");
        let server = stripe_answering(
            "POST",
            "/v1/billing_portal/sessions",
            ResponseTemplate::new(200).set_body_json(session),
        )
        .await;

        let result = client_for(&server)
            .create_portal_session(CUSTOMER_ID, RETURN_URL, "portal-key-3")
            .await;

        let message = request_error_message(result);
        assert!(
            message.contains("unexpected answer from Stripe"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn an_unreachable_stripe_is_a_request_error() {
        // A port that was free a moment ago: nothing listens there.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        let port = listener.local_addr().expect("address").port();
        drop(listener);
        let client = StripeClient::new(SECRET_KEY, Some(&format!("http://127.0.0.1:{port}")))
            .expect("client");

        let result = client
            .create_customer("fox@example.com", "Foxy", USER_ID, "customer-key-3")
            .await;

        let message = request_error_message(result);
        assert!(message.contains("could not reach Stripe"), "{message}");
    }

    #[tokio::test]
    async fn a_success_url_without_the_session_placeholder_is_refused_before_calling_stripe() {
        let server = stripe_answering(
            "POST",
            "/v1/checkout/sessions",
            ResponseTemplate::new(200).set_body_json(checkout_session_answer()),
        )
        .await;
        let request = CheckoutRequest {
            success_url: "https://fursona.example/billing/success",
            ..checkout_request()
        };

        let result = client_for(&server)
            .create_checkout_session(&request, "checkout-key-4")
            .await;

        let message = config_error_message(result);
        assert!(message.contains("{CHECKOUT_SESSION_ID}"), "{message}");
        assert_nothing_sent(&server).await;
    }

    #[tokio::test]
    async fn an_empty_or_non_ascii_idempotency_key_is_refused_before_calling_stripe() {
        let server = stripe_answering(
            "POST",
            "/v1/customers",
            ResponseTemplate::new(200).set_body_json(customer_answer()),
        )
        .await;
        let client = client_for(&server);

        for key in ["", "schlüssel", "two words", &"k".repeat(256)] {
            let result = client
                .create_customer("fox@example.com", "Foxy", USER_ID, key)
                .await;
            config_error_message(result);
        }
        assert_nothing_sent(&server).await;
    }

    #[tokio::test]
    async fn an_api_base_with_a_path_keeps_that_path_in_front_of_v1() {
        let server = stripe_answering(
            "POST",
            "/stripe/v1/customers",
            ResponseTemplate::new(200).set_body_json(customer_answer()),
        )
        .await;
        let client = StripeClient::new(SECRET_KEY, Some(&format!("{}/stripe", server.uri())))
            .expect("client");

        let customer_id = client
            .create_customer("fox@example.com", "Foxy", USER_ID, "customer-key-4")
            .await
            .expect("customer id");

        assert_eq!(customer_id, CUSTOMER_ID);
        assert_eq!(
            only_request(&server).await.url.path(),
            "/stripe/v1/customers"
        );
    }

    #[test]
    fn the_api_base_gets_a_trailing_slash_only_when_it_lacks_one() {
        assert_eq!(
            normalised_api_base("http://127.0.0.1:1234").expect("valid"),
            "http://127.0.0.1:1234/"
        );
        assert_eq!(
            normalised_api_base("http://127.0.0.1:1234/").expect("valid"),
            "http://127.0.0.1:1234/"
        );
        assert_eq!(
            normalised_api_base("https://stripe.internal/proxy").expect("valid"),
            "https://stripe.internal/proxy/"
        );
    }

    #[test]
    fn a_malformed_api_base_is_a_configuration_error() {
        for api_base in [
            "",
            "not a url",
            "127.0.0.1:1234",
            "http://exa mple.com",
            "ftp://127.0.0.1/",
            "http://127.0.0.1:1234/?x=1",
            "http://[::1",
        ] {
            let message = config_error_message(StripeClient::new(SECRET_KEY, Some(api_base)));
            assert!(message.contains("api_base"), "{api_base}: {message}");
        }
    }

    #[test]
    fn an_empty_or_unprintable_secret_key_is_a_configuration_error_that_does_not_echo_it() {
        config_error_message(StripeClient::new("  ", None));
        let bad_key = "sk_test_with\nnewline";
        let message = config_error_message(StripeClient::new(bad_key, None));
        assert!(!message.contains("sk_test"), "{message}");
    }

    #[test]
    fn the_default_api_base_needs_no_configuration() {
        StripeClient::new(SECRET_KEY, None).expect("client");
    }

    #[test]
    fn debug_output_does_not_reveal_the_secret_key() {
        let client = StripeClient::new(SECRET_KEY, None).expect("client");
        assert!(!format!("{client:?}").contains(SECRET_KEY));
    }
}
