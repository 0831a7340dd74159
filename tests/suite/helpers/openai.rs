//! A fake OpenAI: the app configured to call it, and the Chat Completions answers it gives.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

use fursona::ai::ReasoningEffort;

use super::{Backend, Detail, ModelChoice, OpenAiConfig, TestApp};

/// The API key the app is configured with.
pub const KEY: &str = "sk-test-key";

/// The app calling `server` as OpenAI: a 2 s timeout, 2 retries and a model per plan
/// (`test-nano` low detail, `test-mini` and `test-large` high detail).
pub async fn app_with_fake_openai(backend: Backend, server: &MockServer) -> TestApp {
    let config = fake_openai(server);
    TestApp::spawn_with(backend, |c| {
        c.ai.timeout = Duration::from_secs(2);
        c.ai.openai = Some(config);
    })
    .await
}

/// The OpenAI settings that call `server`, reasoning effort `low` as by default.
pub fn fake_openai(server: &MockServer) -> OpenAiConfig {
    OpenAiConfig {
        api_key: Some(secrecy::SecretString::from(KEY)),
        base_url: Some(format!("{}/v1", server.uri())),
        max_retries: 2,
        reasoning_effort: Some(ReasoningEffort::Low),
        free: ModelChoice {
            model: "test-nano".into(),
            detail: Detail::Low,
        },
        basic: ModelChoice {
            model: "test-mini".into(),
            detail: Detail::High,
        },
        pro: ModelChoice {
            model: "test-large".into(),
            detail: Detail::High,
        },
    }
}

/// The fursona a model answers with.
pub fn answer() -> Value {
    json!({
        "usable": true,
        "unusable_reason": null,
        "name": "Marlowe",
        "species": "Red fox",
        "palette": [
            {"name": "Ginger", "hex": "#C46A2B", "where": "main fur"},
            {"name": "Cream", "hex": "#f2e6d0", "where": "chest and muzzle"},
            {"name": "Soot", "hex": "#2a211b", "where": "socks and ear tips"}
        ],
        "markings": "Dark socks and a cream blaze.",
        "eye_color": "amber",
        "personality": ["curious", "warm", "stubborn"],
        "backstory": "Marlowe keeps the lighthouse lamp lit and the gulls in line."
    })
}

/// A Chat Completions response, as the API sends it.
pub fn completion(content: Option<String>, refusal: Option<&str>, finish_reason: &str) -> Value {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_790_000_000,
        "model": "test-nano",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": refusal, "annotations": []},
            "logprobs": null,
            "finish_reason": finish_reason
        }],
        "usage": {"prompt_tokens": 120, "completion_tokens": 210, "total_tokens": 330},
        "service_tier": "default",
        "system_fingerprint": null
    })
}

/// A successful completion with [`answer`].
pub fn ok_response() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(completion(Some(answer().to_string()), None, "stop"))
}

/// An OpenAI error response.
pub fn api_error(status: u16, kind: &str, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": {"message": format!("test {kind}"), "type": kind, "param": null, "code": code}
    }))
}
