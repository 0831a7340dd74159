//! The drawn pictures of a fursona: the portrait and the reference sheet, in SVG and PNG, for
//! the owner only, cacheable by strong ETags, and safe whatever text the generator returned.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::openai::{answer, app_with_fake_openai, completion};
use crate::helpers::{Backend, TestApp, client, error_code, json, on_both_backends};

on_both_backends!(
    every_fursona_has_a_portrait_and_a_sheet_in_svg_and_png,
    a_portrait_png_comes_in_the_size_asked_for_and_no_other,
    pictures_are_the_owners_alone,
    pictures_carry_strong_etags_and_answer_unchanged_with_304,
    hostile_text_from_the_ai_is_drawn_as_text_and_never_runs,
    the_pages_show_the_portrait_and_offer_every_download,
    the_fursona_card_shows_the_photo_as_a_small_thumbnail,
);

#[tokio::test]
async fn the_openapi_document_describes_pictures_and_photos_as_binary_files() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let document = app.openapi_document().await;
    for (file, media) in [
        ("portrait.svg", "image/svg+xml"),
        ("portrait.png", "image/png"),
        ("sheet.svg", "image/svg+xml"),
        ("sheet.png", "image/png"),
        ("image", "image/jpeg"),
        ("thumbnail.jpg", "image/jpeg"),
    ] {
        let ok =
            &document["paths"][format!("/api/fursona/{{id}}/{file}")]["get"]["responses"]["200"];
        let schema = &ok["content"][media]["schema"];
        let schema = match schema["$ref"].as_str() {
            Some(reference) => {
                let name = reference.rsplit('/').next().expect("name");
                &document["components"]["schemas"][name]
            }
            None => schema,
        };
        assert_eq!(schema["type"], "string", "{file}: {schema}");
        assert_eq!(schema["format"], "binary", "{file}: {schema}");
    }
}

const EMAIL: &str = "painter@example.com";

fn png_size(bytes: &[u8]) -> (u32, u32, image::RgbaImage) {
    let picture = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .expect("a PNG")
        .to_rgba8();
    (picture.width(), picture.height(), picture)
}

/// The SVG as a browser would parse it; fails the test when it is not well-formed XML with no
/// script, no event attribute and no outside reference.
fn checked_svg(text: &str) -> roxmltree::Document<'_> {
    let document = roxmltree::Document::parse(text).expect("well-formed XML");
    assert_eq!(document.root_element().tag_name().name(), "svg");
    for node in document.descendants().filter(|n| n.is_element()) {
        assert_ne!(node.tag_name().name(), "script", "a script element");
        assert_ne!(node.tag_name().name(), "foreignObject");
        for attribute in node.attributes() {
            assert!(
                !attribute.name().to_ascii_lowercase().starts_with("on"),
                "event attribute {}",
                attribute.name()
            );
            if attribute.name() == "href" {
                let value = attribute.value();
                assert!(
                    value.starts_with('#') || value.starts_with("data:"),
                    "outside reference {value}"
                );
            }
        }
    }
    document
}

async fn every_fursona_has_a_portrait_and_a_sheet_in_svg_and_png(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let id = app.generated_id(&token).await;
    let body = json(app.fursona(&token, &id).await).await;
    assert_eq!(
        body["portrait_url"],
        format!("/api/fursona/{id}/portrait.svg")
    );
    assert_eq!(body["sheet_url"], format!("/api/fursona/{id}/sheet.png"));

    let svg = app.picture(&token, &id, "portrait.svg").await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(svg.headers()[CONTENT_TYPE], "image/svg+xml");
    assert_eq!(svg.headers()["x-content-type-options"], "nosniff");
    let policy = svg.headers()["content-security-policy"]
        .to_str()
        .expect("policy")
        .to_owned();
    assert!(policy.contains("default-src 'none'") && !policy.contains("script-src"));
    let text = svg.text().await.expect("svg");
    checked_svg(&text);

    let png = app.picture(&token, &id, "portrait.png").await;
    assert_eq!(png.status(), StatusCode::OK);
    assert_eq!(png.headers()[CONTENT_TYPE], "image/png");
    let (width, height, picture) = png_size(&png.bytes().await.expect("png"));
    assert_eq!((width, height), (512, 512));
    assert_eq!(
        picture.get_pixel(0, 0)[3],
        0,
        "the background is transparent"
    );
    assert!(
        picture.pixels().any(|p| p[3] == 255),
        "something is drawn on it"
    );

    let sheet = app.picture(&token, &id, "sheet.png").await;
    assert_eq!(sheet.status(), StatusCode::OK);
    let (width, height, _) = png_size(&sheet.bytes().await.expect("png"));
    assert_eq!((width, height), (1600, 1000));
    let sheet_svg = app.picture(&token, &id, "sheet.svg").await;
    assert_eq!(sheet_svg.headers()[CONTENT_TYPE], "image/svg+xml");
    let text = sheet_svg.text().await.expect("svg");
    let name = body["name"].as_str().expect("name");
    let document = checked_svg(&text);
    assert!(
        document
            .descendants()
            .any(|n| n.text().is_some_and(|t| t.contains(name))),
        "the sheet names {name}"
    );
}

async fn a_portrait_png_comes_in_the_size_asked_for_and_no_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let id = app.generated_id(&token).await;
    for size in [64, 200, 1024] {
        let response = app
            .picture(&token, &id, &format!("portrait.png?size={size}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{size}");
        let (width, height, _) = png_size(&response.bytes().await.expect("png"));
        assert_eq!((width, height), (size, size));
    }
    for size in ["63", "1025", "0", "-5", "big", "512.5", ""] {
        let response = app
            .picture(&token, &id, &format!("portrait.png?size={size}"))
            .await;
        assert_eq!(
            error_code(response, StatusCode::UNPROCESSABLE_ENTITY).await,
            "invalid_body",
            "{size:?}"
        );
    }
}

async fn pictures_are_the_owners_alone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.register(EMAIL).await;
    let id = app.generated_id(&owner).await;
    let stranger = app.register("stranger@example.com").await;
    for file in [
        "portrait.svg",
        "portrait.png",
        "sheet.svg",
        "sheet.png",
        "thumbnail.jpg",
    ] {
        let theirs = app.picture(&stranger, &id, file).await;
        assert_eq!(error_code(theirs, StatusCode::NOT_FOUND).await, "not_found");
        let anonymous = client()
            .get(app.url(&format!("/api/fursona/{id}/{file}")))
            .send()
            .await
            .expect("request");
        assert_eq!(
            error_code(anonymous, StatusCode::UNAUTHORIZED).await,
            "unauthorized"
        );
        let nonsense = app.picture(&owner, "not-an-id", file).await;
        assert_eq!(
            error_code(nonsense, StatusCode::NOT_FOUND).await,
            "not_found"
        );
    }
}

async fn pictures_carry_strong_etags_and_answer_unchanged_with_304(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let id = app.generated_id(&token).await;
    let other = app.generated_id(&token).await;
    let mut tags = Vec::new();
    for file in [
        "portrait.svg",
        "portrait.png",
        "portrait.png?size=64",
        "sheet.svg",
        "sheet.png",
    ] {
        let first = app.picture(&token, &id, file).await;
        let etag = first.headers()[ETAG].to_str().expect("etag").to_owned();
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{etag}");
        assert!(
            first.headers()[CACHE_CONTROL]
                .to_str()
                .expect("cache")
                .starts_with("private")
        );
        let first = first.bytes().await.expect("bytes");
        let again = app.picture(&token, &id, file).await;
        assert_eq!(again.headers()[ETAG], etag.as_str());
        assert_eq!(
            again.bytes().await.expect("bytes"),
            first,
            "same bytes every time"
        );

        let unchanged = client()
            .get(app.url(&format!("/api/fursona/{id}/{file}")))
            .bearer_auth(&token)
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .expect("request");
        assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED, "{file}");
        assert_eq!(unchanged.headers()[ETAG], etag.as_str());
        assert!(unchanged.bytes().await.expect("body").is_empty());

        let elsewhere = app.picture(&token, &other, file).await;
        assert_ne!(
            elsewhere.headers()[ETAG],
            etag.as_str(),
            "another fursona, another tag"
        );
        tags.push(etag);
    }
    tags.sort();
    tags.dedup();
    assert_eq!(tags.len(), 5, "each picture has its own tag");
}

async fn hostile_text_from_the_ai_is_drawn_as_text_and_never_runs(backend: Backend) {
    let server = MockServer::start().await;
    let mut hostile = answer();
    let name = "</text><script>alert(1)</script>";
    hostile["name"] = json!(name);
    hostile["palette"][0]["where"] = json!("\" onload=\"alert(2)");
    hostile["markings"] = json!("<img src=x onerror=alert(3)> & stripes");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(
            Some(hostile.to_string()),
            None,
            "stop",
        )))
        .mount(&server)
        .await;
    let app = app_with_fake_openai(backend, &server).await;
    let token = app.register(EMAIL).await;
    let id = app.generated_id(&token).await;
    for file in ["portrait.svg", "sheet.svg"] {
        let text = app
            .picture(&token, &id, file)
            .await
            .text()
            .await
            .expect("svg");
        assert!(!text.contains("<script"), "{file}");
        checked_svg(&text);
    }
    let sheet = app
        .picture(&token, &id, "sheet.svg")
        .await
        .text()
        .await
        .expect("svg");
    let document = checked_svg(&sheet);
    let texts: String = document.descendants().filter_map(|n| n.text()).collect();
    assert!(texts.contains("alert(1)"), "the name is shown as text");
    let png = app.picture(&token, &id, "sheet.png").await;
    assert_eq!(png.status(), StatusCode::OK);
}

async fn the_pages_show_the_portrait_and_offer_every_download(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let token = app.login(EMAIL, crate::helpers::PASSWORD).await;
    let token = json(token).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let id = app.generated_id(&token).await;
    let page = app.get_page(&format!("/fursonas/{id}")).await;
    for file in [
        "portrait.svg",
        "portrait.png?size=1024",
        "sheet.png",
        "sheet.svg",
        "image",
    ] {
        assert!(
            page.contains(&format!("/api/fursona/{id}/{file}")),
            "the page links {file}"
        );
    }
    assert!(page.contains(&format!("/fursonas/{id}/download")));
    let history = app.get_page("/history").await;
    assert!(history.contains(&format!("/api/fursona/{id}/portrait.svg")));
    // The page's session is enough to load the pictures it shows.
    let portrait = app
        .client
        .get(app.url(&format!("/api/fursona/{id}/portrait.svg")))
        .send()
        .await
        .expect("portrait");
    assert_eq!(portrait.status(), StatusCode::OK);
}

async fn the_fursona_card_shows_the_photo_as_a_small_thumbnail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register(EMAIL).await;
    let body = json(app.generate(&token).await).await;
    let fursona = &body["fursona"];
    let thumbnail_url = fursona["thumbnail_url"].as_str().expect("thumbnail_url");
    let id = fursona["id"].as_str().expect("id");
    assert_eq!(thumbnail_url, format!("/api/fursona/{id}/thumbnail.jpg"));
    let photo = app
        .get_authed(fursona["image_url"].as_str().expect("image_url"), &token)
        .await
        .bytes()
        .await
        .expect("photo");
    let response = app.get_authed(thumbnail_url, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "image/jpeg");
    let thumbnail = response.bytes().await.expect("thumbnail");
    let decoded =
        image::load_from_memory_with_format(&thumbnail, image::ImageFormat::Jpeg).expect("a JPEG");
    assert_eq!(decoded.width().max(decoded.height()), 144);
    assert!(
        thumbnail.len() * 4 < photo.len(),
        "{} bytes against the photo's {}",
        thumbnail.len(),
        photo.len()
    );
    // The second time it is the kept one, byte for byte.
    let again = app
        .get_authed(thumbnail_url, &token)
        .await
        .bytes()
        .await
        .expect("again");
    assert_eq!(again, thumbnail);
    // The card on the fursona's page shows the thumbnail, not the photo, and it loads with the
    // page's session.
    app.register_through_form("cards@example.com").await;
    let csrf = crate::helpers::pages::csrf_token(&app.html("/").await);
    let made = app
        .generate_through_form(
            &csrf,
            crate::helpers::image_part(
                crate::helpers::fixture("photos/chelsea.webp"),
                "chelsea.webp",
            ),
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let location = made.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let page = app.get_page(&location).await;
    let start = page
        .find("/thumbnail.jpg")
        .expect("a thumbnail on the fursona page");
    let src = &page[page[..start].rfind('"').expect("src") + 1..start + "/thumbnail.jpg".len()];
    assert!(
        !page.contains("/image\" alt="),
        "the full photo is only linked, not shown at 72 px"
    );
    assert_eq!(app.get(src).await.status(), StatusCode::OK);
}
