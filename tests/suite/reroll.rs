//! `POST /api/fursona/{id}/reroll`: a new fursona from the same stored photo, keeping the locked
//! fields exactly, charged like a generation.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::helpers::api::generated;
use crate::helpers::openai::{api_error, app_with_fake_openai, ok_response};
use crate::helpers::{Backend, TestApp, error_code, json, on_both_backends};

on_both_backends!(
    a_reroll_keeps_the_locked_fields_exactly_and_names_its_parent,
    a_reroll_with_nothing_kept_is_a_new_fursona_from_the_same_photo,
    a_reroll_at_the_limit_is_refused_and_charges_nothing,
    a_failed_reroll_gives_the_generation_back,
    the_last_generation_raced_by_rerolls_goes_to_exactly_one,
    an_unknown_field_to_keep_is_refused,
    another_users_fursona_cannot_be_rerolled,
    deleting_the_original_clears_the_parent_and_the_account_goes_whole,
);

const EMAIL: &str = "reroller@example.com";
const FIELDS: [&str; 7] = [
    "name",
    "species",
    "palette",
    "markings",
    "eye_color",
    "personality",
    "backstory",
];

/// A fresh account with one fursona: its token and the fursona's JSON.
async fn with_one(app: &TestApp) -> (String, Value) {
    let token = app.register(EMAIL).await;
    let body = generated(app.generate(&token).await).await;
    (token, body["fursona"].clone())
}

fn id(fursona: &Value) -> &str {
    fursona["id"].as_str().expect("id")
}

async fn a_reroll_keeps_the_locked_fields_exactly_and_names_its_parent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    assert_eq!(original["parent_id"], Value::Null);
    assert_eq!(original["edited_at"], Value::Null);

    for keep in [
        vec!["species", "palette"],
        vec!["name", "personality", "eye_color"],
        vec!["markings", "backstory"],
    ] {
        let body = generated(app.reroll(&token, id(&original), &keep).await).await;
        let new = &body["fursona"];
        assert_ne!(new["id"], original["id"]);
        assert_eq!(new["parent_id"], original["id"], "the parent is named");
        assert_eq!(new["edited_at"], Value::Null);
        for field in &keep {
            assert_eq!(new[field], original[field], "{field} kept exactly");
        }
        assert_eq!(new["engine"], "offline");
        // The same photo: the stored copies are byte for byte the same.
        let photo = |id: &str| {
            let app = &app;
            let token = token.clone();
            let id = id.to_owned();
            async move {
                app.fursona_image(&token, &id)
                    .await
                    .bytes()
                    .await
                    .expect("photo")
            }
        };
        assert_eq!(photo(id(new)).await, photo(id(&original)).await);
        let fetched = json(app.fursona(&token, id(new)).await).await;
        assert_eq!(fetched["parent_id"], original["id"]);
    }
    // Every re-roll is one generation, and in the history.
    assert_eq!(app.usage_and_results(EMAIL).await, (4, 4));
    let history = json(app.history(&token, "").await).await;
    assert_eq!(history["items"][0]["parent_id"], original["id"]);
    assert_eq!(history["items"][3]["parent_id"], Value::Null);
}

async fn a_reroll_with_nothing_kept_is_a_new_fursona_from_the_same_photo(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    let body = generated(app.reroll(&token, id(&original), &[]).await).await;
    assert_eq!(body["usage"]["used"], 2);
    assert_eq!(body["usage"]["remaining"], 3);
    assert_eq!(body["fursona"]["parent_id"], original["id"]);
    // Everything kept is the original again, under a new id.
    let body = generated(app.reroll(&token, id(&original), &FIELDS).await).await;
    for field in FIELDS {
        assert_eq!(body["fursona"][field], original[field], "{field}");
    }
    // An empty body keeps nothing, like an empty list.
    let response = app
        .post_api(
            &format!("/api/fursona/{}/reroll", id(&original)),
            &token,
            &serde_json::json!({}),
        )
        .await;
    generated(response).await;
}

async fn a_reroll_at_the_limit_is_refused_and_charges_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    app.sql_execute("UPDATE subscriptions SET generations_used = 5")
        .await;
    let response = app.reroll(&token, id(&original), &["name"]).await;
    assert_eq!(response.status(), StatusCode::PAYMENT_REQUIRED);
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "limit_reached");
    assert_eq!(body["error"]["limit"], 5);
    assert_eq!(app.usage_and_results(EMAIL).await, (5, 1));
}

async fn a_failed_reroll_gives_the_generation_back(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ok_response())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let app = app_with_fake_openai(backend, &server).await;
    let (token, original) = with_one(&app).await;
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));

    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(api_error(400, "invalid_request_error", "bad_request"))
        .mount(&server)
        .await;
    let response = app.reroll(&token, id(&original), &["species"]).await;
    assert_eq!(
        error_code(response, StatusCode::BAD_GATEWAY).await,
        "ai_failed"
    );
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1), "given back");
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM generation_reservations")
            .await,
        0
    );
    // The photo went to the model again: the re-roll's request carries an image.
    let requests = server.received_requests().await.unwrap_or_default();
    let last: Value = serde_json::from_slice(&requests.last().expect("sent").body).expect("json");
    assert!(
        last.to_string().contains("data:image/jpeg;base64,"),
        "the stored photo is sent"
    );
}

async fn the_last_generation_raced_by_rerolls_goes_to_exactly_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    app.sql_execute("UPDATE subscriptions SET generations_used = 4")
        .await;
    let requests = (0..8).map(|_| app.reroll(&token, id(&original), &["name"]));
    let statuses: Vec<StatusCode> = join_all(requests)
        .await
        .iter()
        .map(|r| r.status())
        .collect();
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::PAYMENT_REQUIRED)
        .count();
    assert_eq!((created, refused), (1, 7), "{statuses:?}");
    assert_eq!(app.usage_and_results(EMAIL).await, (5, 2));
}

async fn an_unknown_field_to_keep_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    let response = app.reroll(&token, id(&original), &["name", "wings"]).await;
    assert_eq!(
        error_code(response, StatusCode::UNPROCESSABLE_ENTITY).await,
        "invalid_body"
    );
    let response = app
        .post_api(
            &format!("/api/fursona/{}/reroll", id(&original)),
            &token,
            &serde_json::json!({"keep": ["name"], "also": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.usage_and_results(EMAIL).await,
        (1, 1),
        "nothing charged"
    );
}

async fn another_users_fursona_cannot_be_rerolled(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, original) = with_one(&app).await;
    let stranger = app.register("stranger@example.com").await;
    let response = app.reroll(&stranger, id(&original), &["name"]).await;
    assert_eq!(
        error_code(response, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    let unknown = app
        .reroll(&stranger, "0192f0a0-b1c2-7d3e-8f9a-0b1c2d3e4f50", &[])
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.usage_and_results("stranger@example.com").await,
        (0, 0),
        "nothing charged"
    );
}

async fn deleting_the_original_clears_the_parent_and_the_account_goes_whole(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    let child = generated(app.reroll(&token, id(&original), &["name"]).await).await;
    let grandchild = generated(app.reroll(&token, id(&child["fursona"]), &["name"]).await).await;
    assert_eq!(
        app.delete_fursona(&token, id(&original)).await.status(),
        StatusCode::NO_CONTENT
    );
    let child = json(app.fursona(&token, id(&child["fursona"])).await).await;
    assert_eq!(child["parent_id"], Value::Null, "the original is gone");
    let grandchild = json(app.fursona(&token, id(&grandchild["fursona"])).await).await;
    assert_eq!(grandchild["parent_id"], child["id"]);

    // An account with a line of re-rolls is deleted whole.
    assert_eq!(
        app.delete_account(&token, crate::helpers::PASSWORD)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.sql_scalar_i64("SELECT COUNT(*) FROM fursonas").await, 0);
}
