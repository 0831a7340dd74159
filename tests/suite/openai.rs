//! The OpenAI generator against a local server that speaks the Chat Completions wire format:
//! what the app sends, and what it does with every kind of failure.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use std::io::Write;
use std::sync::{Arc, Mutex};

use fursona::ai::Generator;
use fursona::ai::openai::{OpenAiGenerator, SCHEMA_ORDER};
use fursona::domain::account::UserId;
use fursona::domain::fursona::{Kept, Swatch};
use fursona::domain::photo::{PhotoLimits, PreparedPhoto, prepare};
use fursona::domain::plan::Plan;

use crate::helpers::openai::{
    KEY, answer, api_error, app_with_fake_openai, completion, fake_openai, ok_response,
};
use crate::helpers::{Backend, error_code, fixture, json, on_both_backends};

on_both_backends!(
    the_request_carries_the_plans_model_and_detail_the_schema_and_a_clean_small_photo,
    every_ai_failure_is_reported_clearly_and_charges_nothing,
    a_rate_limit_is_retried_and_then_succeeds,
    the_schema_goes_in_decision_order_with_a_stable_hashed_safety_identifier_and_low_reasoning,
);

const EMAIL: &str = "ai@example.com";

async fn the_request_carries_the_plans_model_and_detail_the_schema_and_a_clean_small_photo(
    backend: Backend,
) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ok_response())
        .mount(&server)
        .await;
    let app = app_with_fake_openai(backend, &server).await;
    let token = app.register(EMAIL).await;

    let response = app
        .generate_multipart(
            &token,
            fixture("photos/chelsea-sideways-gps.jpg"),
            "cat.jpg",
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body = json(response).await;
    assert_eq!(body["fursona"]["engine"], "openai");
    assert_eq!(body["fursona"]["model"], "test-nano");
    assert_eq!(body["fursona"]["name"], "Marlowe");
    assert_eq!(body["fursona"]["palette"][0]["hex"], "#c46a2b");

    let sent = sent_requests(&server).await;
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request["model"], "test-nano");
    let format = &request["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema = &format["json_schema"]["schema"];
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(
        schema["properties"]["palette"]["items"]["properties"]["hex"]["pattern"],
        "^#[0-9a-fA-F]{6}$"
    );
    assert!(
        schema["properties"]["usable"].is_object(),
        "the model can say the photo is unusable"
    );
    let (detail, photo) = image_part(request);
    assert_eq!(detail, "low");
    let decoded = image::load_from_memory(&photo).expect("a real image");
    assert!(
        decoded.width().max(decoded.height()) <= 512,
        "low detail needs no more than 512 px"
    );
    assert!(decoded.width() > decoded.height(), "sent upright");
    assert!(photo.len() <= 60 * 1024, "{} bytes", photo.len());
    let raw = String::from_utf8_lossy(&photo);
    assert!(
        !raw.contains("Exif") && !raw.contains("FixtureCam"),
        "no metadata reaches the AI"
    );

    // A paid plan gets its own model and high detail, with the full stored size.
    app.sql_execute("UPDATE subscriptions SET plan = 'basic', generations_limit = 50")
        .await;
    let response = app
        .generate_json(&token, &fixture("photos/astronaut-12mp.jpg"), "image/jpeg")
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent = sent_requests(&server).await;
    assert_eq!(sent[1]["model"], "test-mini");
    let (detail, photo) = image_part(&sent[1]);
    assert_eq!(detail, "high");
    let decoded = image::load_from_memory(&photo).expect("image");
    assert_eq!((decoded.width(), decoded.height()), (1008, 756));
    assert!(photo.len() <= 160 * 1024, "{} bytes", photo.len());
    assert_eq!(app.usage_and_results(EMAIL).await, (2, 2));
}

async fn sent_requests(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON request"))
        .collect()
}

/// The detail and the decoded bytes of the photo in a Chat Completions request.
fn image_part(request: &Value) -> (String, Vec<u8>) {
    let parts = request["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|m| m["content"].as_array())
        .flatten();
    let image = parts
        .into_iter()
        .find(|p| p["type"] == "image_url")
        .expect("an image part");
    let url = image["image_url"]["url"].as_str().expect("url");
    let data = url
        .strip_prefix("data:image/jpeg;base64,")
        .expect("a JPEG data URL");
    (
        image["image_url"]["detail"]
            .as_str()
            .expect("detail")
            .to_owned(),
        STANDARD.decode(data).expect("base64"),
    )
}

async fn every_ai_failure_is_reported_clearly_and_charges_nothing(backend: Backend) {
    let server = MockServer::start().await;
    let app = app_with_fake_openai(backend, &server).await;
    let token = app.register(EMAIL).await;
    let photo = fixture("photos/chelsea.webp");
    let mut unusable = answer();
    unusable["usable"] = json!(false);
    unusable["unusable_reason"] = json!("the photo is completely black");
    let mut two_colours = answer();
    two_colours["palette"]
        .as_array_mut()
        .expect("palette")
        .truncate(2);

    let cases: Vec<(&str, ResponseTemplate, StatusCode, &str, usize)> = vec![
        (
            "server error",
            api_error(500, "server_error", "internal"),
            StatusCode::SERVICE_UNAVAILABLE,
            "ai_unavailable",
            3,
        ),
        (
            "timeout",
            ok_response().set_delay(Duration::from_secs(5)),
            StatusCode::SERVICE_UNAVAILABLE,
            "ai_unavailable",
            1,
        ),
        (
            "refusal",
            ResponseTemplate::new(200).set_body_json(completion(
                None,
                Some("I can't help with that."),
                "stop",
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
            "ai_refused",
            1,
        ),
        (
            "unusable photo",
            ResponseTemplate::new(200).set_body_json(completion(
                Some(unusable.to_string()),
                None,
                "stop",
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
            "photo_unusable",
            1,
        ),
        (
            "malformed JSON",
            ResponseTemplate::new(200).set_body_json(completion(
                Some("{\"name\": \"Mar".into()),
                None,
                "stop",
            )),
            StatusCode::BAD_GATEWAY,
            "ai_failed",
            1,
        ),
        (
            "truncated output",
            ResponseTemplate::new(200).set_body_json(completion(
                Some(answer().to_string()),
                None,
                "length",
            )),
            StatusCode::BAD_GATEWAY,
            "ai_failed",
            1,
        ),
        (
            "invalid fursona",
            ResponseTemplate::new(200).set_body_json(completion(
                Some(two_colours.to_string()),
                None,
                "stop",
            )),
            StatusCode::BAD_GATEWAY,
            "ai_failed",
            1,
        ),
        (
            "insufficient quota",
            api_error(429, "insufficient_quota", "insufficient_quota"),
            StatusCode::SERVICE_UNAVAILABLE,
            "ai_unavailable",
            1,
        ),
        (
            "bad key",
            api_error(401, "invalid_request_error", "invalid_api_key"),
            StatusCode::BAD_GATEWAY,
            "ai_failed",
            1,
        ),
    ];
    for (case, template, status, code, attempts) in cases {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(template)
            .mount(&server)
            .await;
        let response = app.generate_json(&token, &photo, "image/webp").await;
        let body_code = error_code(response, status).await;
        assert_eq!(body_code, code, "{case}");
        let received = server.received_requests().await.unwrap_or_default().len();
        assert_eq!(
            received, attempts,
            "{case}: requests sent (retries only where they can help)"
        );
        assert_eq!(
            app.usage_and_results(EMAIL).await,
            (0, 0),
            "{case}: nothing charged"
        );
    }
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM generation_reservations")
            .await,
        0
    );
}

async fn a_rate_limit_is_retried_and_then_succeeds(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(
            api_error(429, "requests", "rate_limit_exceeded").insert_header("retry-after", "1"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ok_response())
        .with_priority(2)
        .mount(&server)
        .await;
    let app = app_with_fake_openai(backend, &server).await;
    let token = app.register(EMAIL).await;
    let response = app.generate(&token).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 2, "one 429, then the retry");
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));
}

async fn the_schema_goes_in_decision_order_with_a_stable_hashed_safety_identifier_and_low_reasoning(
    backend: Backend,
) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ok_response())
        .mount(&server)
        .await;
    let app = app_with_fake_openai(backend, &server).await;
    let first = app.register(EMAIL).await;
    let second = app.register("other@example.com").await;
    for token in [&first, &first, &second] {
        assert_eq!(app.generate(token).await.status(), StatusCode::CREATED);
    }
    let received = server.received_requests().await.unwrap_or_default();
    // The body as sent, read in its own key order (serde_json keeps it with preserve_order).
    let raw = String::from_utf8_lossy(&received[0].body).into_owned();
    let sent: Vec<Value> = received
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
        .collect();
    let schema = &sent[0]["response_format"]["json_schema"]["schema"];
    let keys: Vec<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    let wanted = [
        "usable",
        "unusable_reason",
        "species",
        "palette",
        "markings",
        "eye_color",
        "name",
        "personality",
        "backstory",
    ];
    assert_eq!(keys, wanted);
    assert_eq!(SCHEMA_ORDER, wanted);
    let at = |key: &str| raw.find(&format!("\"{key}\":{{")).expect(key);
    assert!(at("usable") < at("species") && at("species") < at("backstory"));

    assert_eq!(sent[0]["reasoning_effort"], "low");
    let id = |n: usize| {
        sent[n]["safety_identifier"]
            .as_str()
            .expect("safety_identifier")
            .to_owned()
    };
    assert_eq!(id(0).len(), 64);
    assert!(id(0).chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(id(0), id(1), "stable per account");
    assert_ne!(id(0), id(2), "another account, another identifier");
    let me = json(app.me(&first).await).await;
    let user_id = me["user"]["id"].as_str().expect("user id");
    assert!(
        !raw.contains(user_id) && !raw.contains(EMAIL),
        "nothing identifying is sent"
    );
    let prompt = |request: &Value| user_text(request);
    assert!(prompt(&sent[0]).contains("Create a fursona"));
    let system = sent[0]["messages"][0]["content"]
        .as_str()
        .expect("system prompt");
    for rule in [
        "at most 80",
        "at most 600",
        "at most 2000",
        "covers",
        "body part",
    ] {
        assert!(system.contains(rule), "the system prompt says {rule:?}");
    }
}

/// The text part of a request's user message.
fn user_text(request: &Value) -> String {
    request["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["role"] == "user")
        .filter_map(|m| m["content"].as_array())
        .flatten()
        .filter(|p| p["type"] == "text")
        .filter_map(|p| p["text"].as_str())
        .collect()
}

/// The generator alone, against the fake, as the generation service calls it.
async fn generator_and_photo(server: &MockServer) -> (OpenAiGenerator, PreparedPhoto) {
    let generator = OpenAiGenerator::new(&fake_openai(server), Duration::from_secs(2));
    let photo = prepare(&fixture("photos/chelsea.png"), &PhotoLimits::default()).expect("photo");
    (generator, photo)
}

#[tokio::test]
async fn kept_fields_are_sent_as_fixed_facts_and_stay_exactly_as_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ok_response())
        .mount(&server)
        .await;
    let (generator, photo) = generator_and_photo(&server).await;
    let kept = Kept {
        species: Some("Snow leopard".into()),
        name: Some("Quill \"Frost\" Ashdown".into()),
        palette: Some(vec![
            Swatch {
                name: "Frost".into(),
                hex: "#e4eef4".into(),
                placement: "coat".into(),
            },
            Swatch {
                name: "Slate".into(),
                hex: "#6c7a89".into(),
                placement: "spots".into(),
            },
            Swatch {
                name: "Ink".into(),
                hex: "#15171e".into(),
                placement: "nose".into(),
            },
        ]),
        ..Kept::default()
    };
    let account = UserId::new();
    let made = generator
        .generate(&photo, Plan::Free, account, &kept)
        .await
        .expect("a fursona");
    assert_eq!(made.fursona.species, "Snow leopard");
    assert_eq!(made.fursona.name, "Quill \"Frost\" Ashdown");
    assert_eq!(Some(&made.fursona.palette), kept.palette.as_ref());
    // What the model made of the rest is its own.
    assert_eq!(made.fursona.eye_color, "amber");

    for _ in 0..4 {
        generator
            .generate(&photo, Plan::Free, account, &Kept::default())
            .await
            .expect("a fursona");
    }
    let sent: Vec<Value> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
        .collect();
    let prompt = user_text(&sent[0]);
    for fact in [
        r#"species: "Snow leopard""#,
        r#"name: "Quill \"Frost\" Ashdown""#,
        r##""Frost" #e4eef4 on the "coat""##,
        r##""Ink" #15171e on the "nose""##,
        "fixed facts",
    ] {
        assert!(prompt.contains(fact), "{fact:?} in {prompt}");
    }
    assert!(
        !prompt.contains("backstory:"),
        "only kept fields are facts: {prompt}"
    );
    let mut fresh: Vec<String> = sent[1..].iter().map(user_text).collect();
    assert!(fresh.iter().all(|p| !p.contains("fixed facts")));
    fresh.sort();
    fresh.dedup();
    assert!(
        fresh.len() >= 2,
        "repeated calls on one photo vary: {fresh:?}"
    );
}

/// Log lines written while a test runs on this thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn an_exhausted_quota_is_unavailable_and_logged_as_an_error_for_the_operator() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(api_error(429, "insufficient_quota", "insufficient_quota"))
        .mount(&server)
        .await;
    let (generator, photo) = generator_and_photo(&server).await;
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let error = generator
        .generate(&photo, Plan::Free, UserId::new(), &Kept::default())
        .await
        .expect_err("no quota, no fursona");
    assert_eq!(error.kind(), "ai_unavailable");
    let text = String::from_utf8(logs.0.lock().expect("logs").clone()).expect("UTF-8");
    let line = text
        .lines()
        .find(|l| l.contains("quota is exhausted"))
        .unwrap_or_else(|| panic!("no quota line in {text}"));
    assert!(line.contains("ERROR"), "{line}");
}
