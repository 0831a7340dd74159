//! `GET /api/fursona/history`: each fursona's JSON is made once per revision and kept, so a page
//! must still show every fursona exactly as it is now, whatever changed since it was kept.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::api::generated;
use crate::helpers::{Backend, TestApp, json, on_both_backends};

on_both_backends!(
    every_item_of_a_page_is_the_fursona_as_it_is_now,
    pages_follow_one_another_without_gaps_or_repeats,
    another_users_fursonas_never_appear,
);

const EMAIL: &str = "historian@example.com";

fn id(fursona: &Value) -> &str {
    fursona["id"].as_str().expect("id")
}

/// The page's items, each checked against `GET /api/fursona/{id}`.
async fn items_match_their_fursonas(app: &TestApp, token: &str) -> Vec<Value> {
    let page = json(app.history(token, "limit=100").await).await;
    let items = page["items"].as_array().expect("items").clone();
    for item in &items {
        let one = json(app.fursona(token, id(item)).await).await;
        assert_eq!(item, &one, "the history item is the fursona as it is now");
    }
    items
}

async fn every_item_of_a_page_is_the_fursona_as_it_is_now(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let original = generated(app.generate(&token).await).await["fursona"].clone();
    let child =
        generated(app.reroll(&token, id(&original), &["name"]).await).await["fursona"].clone();
    assert_eq!(items_match_their_fursonas(&app, &token).await.len(), 2);

    // Two edits within the same second (edited_at has whole seconds): the second must show.
    for name in ["First Edit", "Second Edit"] {
        let response = app
            .edit_fursona(&token, id(&child), &json!({ "name": name }))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let items = items_match_their_fursonas(&app, &token).await;
    assert_eq!(items[0]["name"], "Second Edit");
    assert_eq!(items[0]["parent_id"], original["id"]);

    // Sharing and revoking change no fursona, yet the link comes and goes.
    let share = json(app.share(&token, id(&child), &json!({})).await).await;
    let items = items_match_their_fursonas(&app, &token).await;
    assert_eq!(items[0]["share_url"], share["url"]);
    assert_eq!(
        app.unshare(&token, id(&child)).await.status(),
        StatusCode::NO_CONTENT
    );
    let items = items_match_their_fursonas(&app, &token).await;
    assert_eq!(items[0]["share_url"], Value::Null);

    // Deleting the original clears the re-roll's parent.
    assert_eq!(
        app.delete_fursona(&token, id(&original)).await.status(),
        StatusCode::NO_CONTENT
    );
    let items = items_match_their_fursonas(&app, &token).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["parent_id"], Value::Null);
}

async fn pages_follow_one_another_without_gaps_or_repeats(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(app.generated_id(&token).await);
    }
    made.reverse();
    // Kept from a first full read, then read again a page at a time.
    items_match_their_fursonas(&app, &token).await;
    let mut seen = Vec::new();
    let mut query = "limit=2".to_owned();
    loop {
        let page = json(app.history(&token, &query).await).await;
        for item in page["items"].as_array().expect("items") {
            seen.push(id(item).to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, made, "newest first, each once");
}

async fn another_users_fursonas_never_appear(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.register(EMAIL).await;
    let theirs = app.generated_id(&owner).await;
    // Kept while the owner reads it.
    items_match_their_fursonas(&app, &owner).await;
    let stranger = app.register("stranger@example.com").await;
    let page = json(app.history(&stranger, "").await).await;
    assert_eq!(page["items"], json!([]));
    assert_eq!(page["next_cursor"], Value::Null);
    let cursor = json(app.history(&stranger, &format!("cursor={theirs}")).await).await;
    assert_eq!(cursor["items"], json!([]));
}
