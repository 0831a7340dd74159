//! Generating fursonas through the API with the offline generator: uploads, the image pipeline,
//! history and ownership. The monthly allowance is in `usage_limits`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::api::generated;
use crate::helpers::{Backend, TestApp, data_url, error_code, fixture, json, on_both_backends};

on_both_backends!(
    every_photo_fixture_becomes_a_fursona_in_either_upload_form,
    every_bad_fixture_is_refused_with_its_status_and_charges_nothing,
    an_upload_above_the_limit_is_refused_with_413_and_charges_nothing,
    a_sideways_photo_is_stored_upright_without_its_metadata,
    another_users_fursonas_do_not_exist_for_you,
    history_is_newest_first_in_cursor_pages,
    deleting_a_fursona_removes_it_and_keeps_the_usage,
);

const EMAIL: &str = "maker@example.com";

fn photos() -> [&'static str; 7] {
    [
        "chelsea.png",
        "astronaut.png",
        "coffee.png",
        "coffee-alpha.png",
        "chelsea.webp",
        "chelsea-sideways-gps.jpg",
        "astronaut-12mp.jpg",
    ]
}

async fn unlimited(app: &TestApp) {
    app.sql_execute("UPDATE subscriptions SET plan = 'pro', generations_limit = NULL")
        .await;
}

async fn every_photo_fixture_becomes_a_fursona_in_either_upload_form(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    unlimited(&app).await;
    for (n, name) in photos().into_iter().enumerate() {
        let bytes = fixture(&format!("photos/{name}"));
        // The declared name and type are wrong on purpose: only the bytes count.
        let response = if n % 2 == 0 {
            app.generate_multipart(&token, bytes, "upload.gif").await
        } else {
            app.generate_json(&token, &bytes, "image/gif").await
        };
        let body = generated(response).await;
        let fursona = &body["fursona"];
        for field in [
            "id",
            "name",
            "species",
            "markings",
            "eye_color",
            "backstory",
            "description",
            "created_at",
        ] {
            assert!(
                fursona[field].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: {field} in {body}"
            );
        }
        let palette = fursona["palette"].as_array().expect("palette");
        assert!((3..=6).contains(&palette.len()), "{name}");
        for swatch in palette {
            let hex = swatch["hex"].as_str().expect("hex");
            assert!(hex.len() == 7 && hex.starts_with('#'), "{hex}");
            assert!(swatch["name"].is_string() && swatch["where"].is_string());
        }
        assert!((3..=5).contains(&fursona["personality"].as_array().expect("traits").len()));
        assert_eq!(fursona["engine"], "offline");
        assert!(fursona["model"].is_string());
        assert_eq!(body["usage"]["used"], n as u64 + 1);
        assert_eq!(body["usage"]["limit"], Value::Null);
        assert_eq!(body["usage"]["remaining"], Value::Null);
        assert!(body["usage"]["period_end"].is_string());

        let image_url = fursona["image_url"].as_str().expect("image_url");
        let image = app.get_authed(image_url, &token).await;
        assert_eq!(image.status(), StatusCode::OK);
        assert_eq!(image.headers()["content-type"], "image/jpeg");
        assert_eq!(image.headers()["x-content-type-options"], "nosniff");
        assert!(
            image.headers()["cache-control"]
                .to_str()
                .expect("ascii")
                .starts_with("private")
        );
        let stored = image.bytes().await.expect("bytes");
        assert_eq!(&stored[..3], &[0xFF, 0xD8, 0xFF], "{name}: stored as JPEG");
        assert!(
            stored.len() <= 160 * 1024,
            "{name}: {} bytes stored",
            stored.len()
        );
    }
    assert_eq!(app.usage_and_results(EMAIL).await, (7, 7));
}

async fn every_bad_fixture_is_refused_with_its_status_and_charges_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let cases = [
        (
            "not-an-image.png",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "script.svg",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "empty.jpg",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_image",
        ),
        (
            "truncated.jpg",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_image",
        ),
        (
            "png-then-html.png",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_image",
        ),
        (
            "pixel-bomb.png",
            StatusCode::UNPROCESSABLE_ENTITY,
            "image_too_large",
        ),
    ];
    for (name, status, code) in cases {
        let bytes = fixture(&format!("bad/{name}"));
        let multipart = app.generate_multipart(&token, bytes.clone(), name).await;
        assert_eq!(
            error_code(multipart, status).await,
            code,
            "{name} as multipart"
        );
        let data_url = app.generate_json(&token, &bytes, "image/png").await;
        assert_eq!(
            error_code(data_url, status).await,
            code,
            "{name} as data URL"
        );
    }
    // Requests that are not uploads at all.
    let no_field = app
        .post_multipart(
            "/api/fursona/generate",
            &token,
            reqwest::multipart::Form::new().text("photo", "x"),
        )
        .await;
    assert_eq!(no_field.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let not_a_data_url = app
        .post_api(
            "/api/fursona/generate",
            &token,
            &json!({"image": "https://example.com/cat.png"}),
        )
        .await;
    assert_eq!(not_a_data_url.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A good photo with something else beside it: refused rather than half-read.
    let photo = fixture("photos/chelsea.webp");
    let extra_field = app
        .post_multipart(
            "/api/fursona/generate",
            &token,
            reqwest::multipart::Form::new()
                .part(
                    "image",
                    reqwest::multipart::Part::bytes(photo.clone()).file_name("cat.webp"),
                )
                .text("style", "gothic"),
        )
        .await;
    assert_eq!(extra_field.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let extra_property = app
        .post_api(
            "/api/fursona/generate",
            &token,
            &json!({
                "image": data_url("image/webp", &photo),
                "style": "gothic",
            }),
        )
        .await;
    assert_eq!(extra_property.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong_type = app
        .client
        .post(app.url("/api/fursona/generate"))
        .bearer_auth(&token)
        .header("content-type", "image/webp")
        .body(fixture("photos/chelsea.webp"))
        .send()
        .await
        .expect("request");
    assert_eq!(wrong_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let anonymous = app
        .post_json(
            "/api/fursona/generate",
            &json!({"image": "data:image/png;base64,AAAA"}),
        )
        .await;
    assert_eq!(
        error_code(anonymous, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );

    assert_eq!(app.usage_and_results(EMAIL).await, (0, 0));
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM generation_reservations")
            .await,
        0
    );
}

async fn an_upload_above_the_limit_is_refused_with_413_and_charges_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.upload.max_bytes = 100 * 1024).await;
    let token = app.register(EMAIL).await;
    let big = fixture("photos/astronaut.png");
    assert!(big.len() > 100 * 1024);
    let multipart = app.generate_multipart(&token, big.clone(), "big.png").await;
    assert_eq!(
        error_code(multipart, StatusCode::PAYLOAD_TOO_LARGE).await,
        "payload_too_large"
    );
    let data_url = app.generate_json(&token, &big, "image/png").await;
    assert_eq!(
        error_code(data_url, StatusCode::PAYLOAD_TOO_LARGE).await,
        "payload_too_large"
    );
    // Just under the limit is fine.
    let small = app
        .generate_multipart(&token, fixture("photos/chelsea.webp"), "ok.webp")
        .await;
    assert_eq!(small.status(), StatusCode::CREATED);
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));
}

async fn a_sideways_photo_is_stored_upright_without_its_metadata(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let body = generated(
        app.generate_multipart(
            &token,
            fixture("photos/chelsea-sideways-gps.jpg"),
            "cat.jpg",
        )
        .await,
    )
    .await;
    let image = app
        .get_authed(body["fursona"]["image_url"].as_str().expect("url"), &token)
        .await
        .bytes()
        .await
        .expect("bytes");
    let decoded = image::load_from_memory(&image).expect("a JPEG");
    assert!(
        decoded.width() > decoded.height(),
        "upright: {}x{}",
        decoded.width(),
        decoded.height()
    );
    let haystack = String::from_utf8_lossy(&image);
    assert!(!haystack.contains("FixtureCam"), "no camera make");
    assert!(!haystack.contains("Exif"), "no EXIF at all");
}

async fn another_users_fursonas_do_not_exist_for_you(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.register(EMAIL).await;
    let other = app.register("other@example.com").await;
    let body = generated(app.generate(&owner).await).await;
    let id = body["fursona"]["id"].as_str().expect("id");
    for path in [
        format!("/api/fursona/{id}"),
        format!("/api/fursona/{id}/image"),
    ] {
        let response = app.get_authed(&path, &other).await;
        assert_eq!(
            error_code(response, StatusCode::NOT_FOUND).await,
            "not_found",
            "{path}"
        );
        let unknown = path.replace(id, &uuid::Uuid::now_v7().to_string());
        let response = app.get_authed(&unknown, &owner).await;
        assert_eq!(
            error_code(response, StatusCode::NOT_FOUND).await,
            "not_found",
            "{unknown}"
        );
        let garbage = path.replace(id, "1");
        assert_eq!(
            app.get_authed(&garbage, &owner).await.status(),
            StatusCode::NOT_FOUND
        );
        let anonymous = app.get(&path).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    }
    let delete = app.delete_fursona(&other, id).await;
    assert_eq!(delete.status(), StatusCode::NOT_FOUND);
    let history = json(app.history(&other, "").await).await;
    assert_eq!(history["items"], json!([]));
    assert_eq!(app.fursona(&owner, id).await.status(), StatusCode::OK);
}

async fn history_is_newest_first_in_cursor_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    unlimited(&app).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        let body = generated(app.generate(&token).await).await;
        ids.push(body["fursona"]["id"].as_str().expect("id").to_owned());
    }
    ids.reverse();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let query = match &cursor {
            Some(c) => format!("limit=2&cursor={c}"),
            None => "limit=2".to_owned(),
        };
        let page = json(app.history(&token, &query).await).await;
        pages += 1;
        for item in page["items"].as_array().expect("items") {
            seen.push(item["id"].as_str().expect("id").to_owned());
            assert!(item["image_url"].is_string() && item["palette"].is_array());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ids, "newest first, each once");
    assert_eq!(pages, 3);
    for bad in [
        "limit=0",
        "limit=101",
        "limit=ten",
        "cursor=nope",
        "cursor=",
    ] {
        let response = app.history(&token, bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

async fn deleting_a_fursona_removes_it_and_keeps_the_usage(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let body = generated(app.generate(&token).await).await;
    let id = body["fursona"]["id"].as_str().expect("id");
    let delete = app.delete_fursona(&token, id).await;
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.fursona(&token, id).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.fursona_image(&token, id).await.status(),
        StatusCode::NOT_FOUND
    );
    let (used, stored) = app.usage_and_results(EMAIL).await;
    assert_eq!(
        (used, stored),
        (1, 0),
        "the generation happened; deleting does not refund it"
    );
}
