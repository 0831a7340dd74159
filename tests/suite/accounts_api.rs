//! Register, login, me and logout through the JSON API. Login throttling is in `login_throttling`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, PASSWORD, TestApp, calendar_month, error_code, json, on_both_backends,
};

on_both_backends!(
    registering_returns_a_token_and_the_user_with_a_free_plan,
    the_same_email_in_any_letter_case_cannot_register_twice,
    invalid_registrations_are_refused_with_the_right_status_and_store_nothing,
    login_returns_a_token_for_the_right_password,
    unknown_email_and_wrong_password_get_identical_answers,
    logout_revokes_every_token_issued_before_it,
    a_session_cookie_alone_does_not_authenticate_the_api,
    accounts_and_tokens_survive_a_restart,
);

async fn registering_returns_a_token_and_the_user_with_a_free_plan(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .post_json(
            "/api/auth/register",
            &json!({"email": "  Fox.Fan@Example.COM ", "password": PASSWORD, "name": " Rusty "}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body = json(response).await;
    assert_eq!(body["user"]["email"], "fox.fan@example.com");
    assert_eq!(body["user"]["name"], "Rusty");
    let id = body["user"]["id"].as_str().expect("id");
    assert_eq!(
        uuid::Uuid::parse_str(id)
            .expect("uuid id")
            .get_version_num(),
        7
    );

    let token = body["token"].as_str().expect("token");
    let me = json(app.me(token).await).await;
    assert_eq!(me["user"], body["user"]);
    let subscription = &me["subscription"];
    assert_eq!(subscription["plan_type"], "free");
    assert_eq!(subscription["status"], "active");
    assert_eq!(subscription["generations_used"], 0);
    assert_eq!(subscription["generations_limit"], 5);
    let period_end = subscription["current_period_end"]
        .as_str()
        .expect("period end");
    let period_end =
        time::OffsetDateTime::parse(period_end, &time::format_description::well_known::Rfc3339)
            .expect("RFC 3339");
    let (_, month_end) = calendar_month(time::OffsetDateTime::now_utc());
    assert_eq!(
        period_end, month_end,
        "the free period is the calendar month"
    );

    let argon2id_hashes = app
        .sql_scalar_i64(
            "SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'",
        )
        .await;
    assert_eq!(
        argon2id_hashes, 1,
        "stored as argon2id with the OWASP parameters"
    );
}

async fn the_same_email_in_any_letter_case_cannot_register_twice(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("wolf@example.com").await;
    let response = app
        .post_json(
            "/api/auth/register",
            &json!({"email": "WOLF@Example.com", "password": "another password", "name": "Other"}),
        )
        .await;
    assert_eq!(error_code(response, StatusCode::CONFLICT).await, "conflict");
    assert_eq!(app.sql_scalar_i64("SELECT COUNT(*) FROM users").await, 1);
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM subscriptions")
            .await,
        1
    );
}

async fn invalid_registrations_are_refused_with_the_right_status_and_store_nothing(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let valid = || json!({"email": "ok@example.com", "password": PASSWORD, "name": "Ok"});
    let with = |field: &str, value: Value| {
        let mut body = valid();
        body[field] = value;
        body.to_string()
    };
    let without = |field: &str| {
        let mut body = valid();
        body.as_object_mut().expect("object").remove(field);
        body.to_string()
    };
    let cases: Vec<(&str, String, &str, StatusCode, &str)> = vec![
        (
            "broken JSON",
            "{\"email\":".into(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "not an object",
            "[1,2]".into(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "the fields as an array",
            json!(["ok@example.com", PASSWORD, "Ok"]).to_string(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "missing email",
            without("email"),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "missing password",
            without("password"),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "missing name",
            without("name"),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "number as email",
            with("email", json!(5)),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "null name",
            with("name", Value::Null),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "not JSON",
            valid().to_string(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "malformed email",
            with("email", json!("fox@")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "blank email",
            with("email", json!("   ")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "7-character password",
            with("password", json!("1234567")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "blank name",
            with("name", json!("  ")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "101-character name",
            with("name", json!("n".repeat(101))),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "oversized body",
            with("name", json!("n".repeat(20_000))),
            "application/json",
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (case, body, content_type, status, code) in cases {
        let response = app
            .client
            .post(app.url("/api/auth/register"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), status, "{case}");
        let body = json(response).await;
        assert_eq!(body["error"]["code"], code, "{case}: {body}");
        assert!(
            !body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{case}"
        );
    }
    assert_eq!(app.sql_scalar_i64("SELECT COUNT(*) FROM users").await, 0);

    // Field errors name their field.
    let response = app
        .post_json(
            "/api/auth/register",
            &json!({"email": "x", "password": "short", "name": ""}),
        )
        .await;
    let body = json(response).await;
    for field in ["email", "password", "name"] {
        assert!(
            body["error"]["fields"][field].is_string(),
            "{field} missing in {body}"
        );
    }

    // Long passwords are allowed and never truncated.
    let long = "p".repeat(64) + "-tail";
    let response = app
        .post_json(
            "/api/auth/register",
            &json!({"email": "long@example.com", "password": long, "name": "L"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let truncated = app.login("long@example.com", &"p".repeat(64)).await;
    assert_eq!(truncated.status(), StatusCode::UNAUTHORIZED);
    let whole = app.login("long@example.com", &long).await;
    assert_eq!(whole.status(), StatusCode::OK);
}

async fn login_returns_a_token_for_the_right_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("lynx@example.com").await;
    let response = app.login(" LYNX@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json(response).await;
    assert_eq!(body["user"]["email"], "lynx@example.com");
    let me = app
        .get_authed("/api/auth/me", body["token"].as_str().expect("token"))
        .await;
    assert_eq!(me.status(), StatusCode::OK);

    let missing = app
        .post_json("/api/auth/login", &json!({"email": "lynx@example.com"}))
        .await;
    assert_eq!(
        error_code(missing, StatusCode::UNPROCESSABLE_ENTITY).await,
        "invalid_body"
    );
}

async fn unknown_email_and_wrong_password_get_identical_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("otter@example.com").await;
    let answer = |email: &'static str| {
        let app = &app;
        async move {
            let response = app.login(email, "wrong password").await;
            let status = response.status();
            let www = response.headers().get("www-authenticate").cloned();
            (status, www, response.text().await.expect("body"))
        }
    };
    let wrong_password = answer("otter@example.com").await;
    let unknown_email = answer("nobody@example.com").await;
    assert_eq!(wrong_password.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password, unknown_email);
}

async fn logout_revokes_every_token_issued_before_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.register("hare@example.com").await;
    let second = json(app.login("hare@example.com", PASSWORD).await).await["token"]
        .as_str()
        .expect("token")
        .to_owned();

    let logout = app.logout(&first).await;
    assert_eq!(logout.status(), StatusCode::OK);
    for token in [&first, &second] {
        let response = app.me(token).await;
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(
            error_code(response, StatusCode::UNAUTHORIZED).await,
            "unauthorized"
        );
    }

    // Signing in again, even within the same second, gives a working token.
    let again = json(app.login("hare@example.com", PASSWORD).await).await;
    let token = again["token"].as_str().expect("token");
    assert_eq!(app.me(token).await.status(), StatusCode::OK);
}

async fn a_session_cookie_alone_does_not_authenticate_the_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form("badger@example.com").await;
    let home = app.get("/").await;
    assert!(home.text().await.expect("html").contains("Signed in as"));
    let me = app.get("/api/auth/me").await;
    assert_eq!(
        error_code(me, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );
}

async fn accounts_and_tokens_survive_a_restart(backend: Backend) {
    // No JWT_SECRET: the generated one must be reused after the restart.
    let app = TestApp::spawn_with(backend, |c| c.jwt.secret = None).await;
    let token = app.register("stoat@example.com").await;
    let app = app.restart().await;
    assert_eq!(app.me(&token).await.status(), StatusCode::OK);
    let login = app.login("stoat@example.com", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK);
}
