//! Every way a bearer token can be wrong is refused with 401, the JSON error and
//! `WWW-Authenticate: Bearer`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, JWT_SECRET, TestApp, error_code, on_both_backends};

on_both_backends!(every_malformed_forged_or_stale_token_is_refused);

fn sign(claims: &Value, algorithm: Algorithm, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

async fn every_malformed_forged_or_stale_token_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("ferret@example.com").await;
    assert_eq!(app.me(&token).await.status(), StatusCode::OK);

    let payload: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).expect("payload"))
            .expect("base64"),
    )
    .expect("claims");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = |changes: Value| {
        let mut claims = payload.clone();
        for (key, value) in changes.as_object().expect("object") {
            if value.is_null() {
                claims.as_object_mut().expect("object").remove(key);
            } else {
                claims[key] = value.clone();
            }
        }
        claims
    };
    let good = |changes: Value| sign(&claims(changes), Algorithm::HS256, JWT_SECRET);
    let [header, _, signature]: [&str; 3] = token
        .split('.')
        .collect::<Vec<_>>()
        .try_into()
        .expect("three parts");

    // The forging helper itself produces accepted tokens, so every refusal below is meaningful.
    assert_eq!(app.me(&good(json!({}))).await.status(), StatusCode::OK);

    let cases: Vec<(&str, Option<String>)> = vec![
        ("no token", None),
        ("garbage", Some("not-a-jwt".into())),
        ("empty", Some(String::new())),
        (
            "alg none",
            Some(format!(
                "{}.{}.",
                b64(&json!({"alg": "none", "typ": "JWT"})),
                b64(&payload)
            )),
        ),
        (
            "another algorithm",
            Some(sign(&payload, Algorithm::HS512, JWT_SECRET)),
        ),
        (
            "another key",
            Some(sign(
                &payload,
                Algorithm::HS256,
                "another-secret-of-sufficient-length-123456",
            )),
        ),
        (
            "changed payload",
            Some(format!(
                "{header}.{}.{signature}",
                b64(&claims(json!({"exp": now + 999_999})))
            )),
        ),
        (
            "expired",
            Some(good(json!({"iat": now - 7200, "exp": now - 3600}))),
        ),
        ("no exp", Some(good(json!({"exp": null})))),
        ("no iat", Some(good(json!({"iat": null})))),
        ("no sub", Some(good(json!({"sub": null})))),
        (
            "wrong iss",
            Some(good(json!({"iss": "https://elsewhere.example"}))),
        ),
        ("wrong aud", Some(good(json!({"aud": "someone-else"})))),
        (
            "unknown user",
            Some(good(json!({"sub": uuid::Uuid::now_v7()}))),
        ),
        ("sub not a uuid", Some(good(json!({"sub": "1"})))),
        // Tokens are valid from the account's creation (or last logout) on.
        (
            "issued before the account's validity",
            Some(good(json!({"iat": now - 3600}))),
        ),
    ];
    for (case, token) in cases {
        let mut request = app.client.get(app.url("/api/auth/me"));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = request.send().await.expect("request");
        assert_eq!(
            response
                .headers()
                .get("www-authenticate")
                .map(|v| v.as_bytes()),
            Some(&b"Bearer"[..]),
            "{case}"
        );
        assert_eq!(
            error_code(response, StatusCode::UNAUTHORIZED).await,
            "unauthorized",
            "{case}"
        );
    }

    let basic = app
        .client
        .get(app.url("/api/auth/me"))
        .basic_auth("ferret@example.com", Some("password"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        basic.status(),
        StatusCode::UNAUTHORIZED,
        "Basic is not a bearer token"
    );
}
