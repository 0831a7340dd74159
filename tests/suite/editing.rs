//! `PATCH /api/fursona/{id}`: a fursona changed by hand, checked like generated output, free of
//! charge, and its pictures follow.

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

use crate::helpers::api::generated;
use crate::helpers::{Backend, TestApp, error_code, json, on_both_backends};

on_both_backends!(
    an_edit_changes_the_fields_sent_and_says_when,
    an_invalid_edit_names_every_invalid_field_and_changes_nothing,
    an_edit_naming_an_unknown_field_is_refused,
    another_users_fursona_cannot_be_edited,
    the_pictures_follow_an_edit,
    an_edit_that_changes_nothing_is_not_an_edit,
);

const EMAIL: &str = "editor@example.com";

async fn with_one(app: &TestApp) -> (String, Value) {
    let token = app.register(EMAIL).await;
    let body = generated(app.generate(&token).await).await;
    (token, body["fursona"].clone())
}

fn id(fursona: &Value) -> &str {
    fursona["id"].as_str().expect("id")
}

fn palette() -> Value {
    json!([
        {"name": "Moss", "hex": "#4A6B3A", "where": "main fur"},
        {"name": "Bone", "hex": "#efe6d2", "where": "muzzle and chest"},
        {"name": "Ink", "hex": "#1b1b22", "where": "ear tips"},
        {"name": "Rust", "hex": "#a8461c", "where": "tail rings"}
    ])
}

async fn an_edit_changes_the_fields_sent_and_says_when(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    let response = app
        .edit_fursona(
            &token,
            id(&original),
            &json!({"name": "  Moss Tanuki ", "palette": palette(), "personality": ["shy", "loyal", "sly"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let edited = json(response).await;
    assert_eq!(
        edited["name"], "Moss Tanuki",
        "trimmed like generated output"
    );
    assert_eq!(edited["palette"][0]["hex"], "#4a6b3a", "hex lower-cased");
    assert_eq!(edited["palette"].as_array().map(Vec::len), Some(4));
    assert_eq!(edited["personality"], json!(["shy", "loyal", "sly"]));
    for kept in [
        "species",
        "markings",
        "eye_color",
        "backstory",
        "created_at",
    ] {
        assert_eq!(edited[kept], original[kept], "{kept} untouched");
    }
    assert!(
        edited["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Moss Tanuki is ")),
        "the description follows: {}",
        edited["description"]
    );
    let edited_at = edited["edited_at"].as_str().expect("edited_at is set");
    time::OffsetDateTime::parse(edited_at, &time::format_description::well_known::Rfc3339)
        .expect("an RFC 3339 time");

    // Stored: the same from the one-fursona endpoint and the history.
    let fetched = json(app.fursona(&token, id(&original)).await).await;
    assert_eq!(fetched, edited);
    let history = json(app.history(&token, "").await).await;
    assert_eq!(history["items"][0]["name"], "Moss Tanuki");
    // Editing is free.
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));
}

async fn an_invalid_edit_names_every_invalid_field_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    let cases = [
        (
            json!({"name": " ", "palette": [{"name": "Red", "hex": "#ff0000", "where": "fur"}],
                   "personality": ["a", "b", "c", "d", "e", "f"]}),
            vec!["name", "palette", "personality"],
        ),
        (
            json!({"palette": [
                {"name": "Red", "hex": "red", "where": "fur"},
                {"name": "Ash", "hex": "#aaaaaa", "where": "chest"},
                {"name": "Ink", "hex": "#111111", "where": "paws"}]}),
            vec!["palette"],
        ),
        (json!({"backstory": "x".repeat(2001)}), vec!["backstory"]),
        (
            json!({"species": "y".repeat(81), "eye_color": ""}),
            vec!["species", "eye_color"],
        ),
        (json!({"markings": ""}), vec!["markings"]),
    ];
    for (changes, fields) in cases {
        let response = app.edit_fursona(&token, id(&original), &changes).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{changes}"
        );
        let body = json(response).await;
        assert_eq!(body["error"]["code"], "validation_failed");
        let named: Vec<&str> = body["error"]["fields"]
            .as_object()
            .expect("fields")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = fields.clone();
        expected.sort_unstable();
        assert_eq!(named, expected, "{changes}");
        for field in fields {
            assert!(
                body["error"]["fields"][field]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{field} has a message"
            );
        }
    }
    let fetched = json(app.fursona(&token, id(&original)).await).await;
    assert_eq!(fetched, original, "nothing changed");
}

async fn an_edit_naming_an_unknown_field_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    for body in [
        json!({"name": "Pebble", "wings": "two"}),
        json!({"palette": [{"name": "Red", "hex": "#ff0000"}]}),
        json!({"personality": "shy"}),
    ] {
        let response = app.edit_fursona(&token, id(&original), &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    let fetched = json(app.fursona(&token, id(&original)).await).await;
    assert_eq!(fetched["name"], original["name"]);
    assert_eq!(fetched["edited_at"], Value::Null);
}

async fn another_users_fursona_cannot_be_edited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    let stranger = app.register("stranger@example.com").await;
    let response = app
        .edit_fursona(&stranger, id(&original), &json!({"name": "Mine now"}))
        .await;
    assert_eq!(
        error_code(response, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    let fetched = json(app.fursona(&token, id(&original)).await).await;
    assert_eq!(fetched["name"], original["name"]);
}

async fn the_pictures_follow_an_edit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    let mut before = Vec::new();
    for file in [
        "portrait.svg",
        "sheet.svg",
        "portrait.png?size=256",
        "sheet.png",
    ] {
        let response = app.picture(&token, id(&original), file).await;
        assert_eq!(response.status(), StatusCode::OK, "{file}");
        let etag = response.headers()[ETAG].to_str().expect("etag").to_owned();
        before.push((file, etag, response.bytes().await.expect("bytes")));
    }
    let edited = app
        .edit_fursona(
            &token,
            id(&original),
            &json!({"name": "Quill", "palette": palette()}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    for (file, etag, bytes) in before {
        // Asked with the old tag, the answer is the new picture, not 304.
        let response = app
            .client
            .get(app.url(&format!("/api/fursona/{}/{file}", id(&original))))
            .bearer_auth(&token)
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .expect("picture");
        assert_eq!(response.status(), StatusCode::OK, "{file}");
        assert_ne!(
            response.headers()[ETAG].to_str().expect("etag"),
            etag,
            "{file}"
        );
        let new = response.bytes().await.expect("bytes");
        assert_ne!(new, bytes, "{file} redrawn");
        if file.ends_with(".svg") {
            let svg = String::from_utf8_lossy(&new);
            assert!(svg.contains("#4a6b3a"), "{file} has the new main colour");
        }
    }
    let sheet = app.picture(&token, id(&original), "sheet.svg").await;
    assert!(sheet.text().await.expect("svg").contains("Quill"));
}

async fn an_edit_that_changes_nothing_is_not_an_edit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, original) = with_one(&app).await;
    for body in [json!({}), json!({"name": original["name"]})] {
        let response = app.edit_fursona(&token, id(&original), &body).await;
        assert_eq!(response.status(), StatusCode::OK, "{body}");
        assert_eq!(json(response).await, original, "{body}");
    }
}
