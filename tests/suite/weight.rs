//! How much a page weighs: static files precompressed and chosen by `Accept-Encoding`, pages and
//! JSON compressed above 1 KiB, images and small answers left alone, htmx only where a page uses
//! it, and the history's portraits sent compressed.

use reqwest::{Method, StatusCode};

use crate::helpers::coding::Coded;
use crate::helpers::{Backend, PASSWORD, TestApp, json, on_both_backends};

on_both_backends!(
    pages_and_json_over_a_kilobyte_are_compressed_and_decode_to_the_same_bytes,
    images_are_never_compressed_and_svg_portraits_are_with_a_tag_per_coding,
    htmx_loads_only_on_pages_that_use_it,
    the_history_portraits_are_a_few_kilobytes_on_the_wire_and_load,
);

const BROWSER: &str = "gzip, deflate, br, zstd";

/// The versioned URL of a static file, as the layout links it.
fn linked(html: &str, file: &str) -> String {
    let start = html
        .find(&format!("/static/{file}?v="))
        .unwrap_or_else(|| panic!("{file} is linked"));
    html[start..].split('"').next().expect("url").to_owned()
}

fn assert_coded(coded: &Coded, coding: Option<&str>, plain: &[u8], what: &str) {
    assert_eq!(coded.status, StatusCode::OK, "{what}");
    assert_eq!(coded.content_encoding.as_deref(), coding, "{what}");
    assert!(coded.varies_by_coding(), "{what}: Vary: Accept-Encoding");
    assert_eq!(coded.decoded(), plain, "{what}: decodes to the original");
}

#[tokio::test]
async fn static_files_come_in_the_best_coding_the_client_accepts() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let page = app.html("/plans").await;
    for file in ["app.css", "share.js"] {
        let url = linked(&page, file);
        let plain = app.get_coded(&url, None).await;
        assert_coded(&plain, None, &plain.body, "no Accept-Encoding");
        let etag = plain.etag.clone().expect("an ETag");

        let brotli = app.get_coded(&url, Some(BROWSER)).await;
        assert_coded(&brotli, Some("br"), &plain.body, "a browser's header");
        assert!(brotli.body.len() * 2 < plain.body.len(), "{file} shrinks");
        let gzip = app.get_coded(&url, Some("gzip")).await;
        assert_coded(&gzip, Some("gzip"), &plain.body, "gzip only");
        assert!(brotli.body.len() <= gzip.body.len());
        let preferred = app.get_coded(&url, Some("br;q=0.2, gzip;q=0.8")).await;
        assert_coded(&preferred, Some("gzip"), &plain.body, "q-values");
        let refused = app.get_coded(&url, Some("br;q=0, gzip;q=0")).await;
        assert_coded(&refused, None, &plain.body, "both refused");
        let unknown = app.get_coded(&url, Some("zstd")).await;
        assert_coded(&unknown, None, &plain.body, "nothing we have");
        let no_identity = app.get_coded(&url, Some("identity;q=0")).await;
        assert_coded(&no_identity, None, &plain.body, "identity is the fallback");

        // Each coding is its own representation, with its own validator.
        let tags = [&plain, &brotli, &gzip].map(|c| c.etag.clone().expect("ETag"));
        assert!(tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2]);
        let again = app
            .coded(
                Method::GET,
                &url,
                Some(BROWSER),
                &[("if-none-match", &tags[1])],
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert_eq!(again.etag.as_deref(), Some(tags[1].as_str()));
        assert!(again.varies_by_coding() && again.body.is_empty());
        // The gzip copy is not the brotli one the client holds.
        let other = app
            .coded(
                Method::GET,
                &url,
                Some("gzip"),
                &[("if-none-match", &tags[1])],
            )
            .await;
        assert_coded(&other, Some("gzip"), &plain.body, "another coding");
        let unchanged = app
            .coded(Method::GET, &url, None, &[("if-none-match", &etag)])
            .await;
        assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);

        // HEAD says what GET would send.
        let head = app.coded(Method::HEAD, &url, Some(BROWSER), &[]).await;
        assert_eq!(head.status, StatusCode::OK);
        assert_eq!(head.content_encoding.as_deref(), Some("br"));
        assert_eq!(head.etag, brotli.etag);
        assert_eq!(head.content_length, Some(brotli.body.len() as u64));
        assert!(head.body.is_empty());
    }
    let missing = app.get_coded("/static/no-such.js", Some(BROWSER)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn small_answers_are_sent_as_they_are() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for path in ["/health", "/api/subscription/plans"] {
        let small = app.get_coded(path, Some(BROWSER)).await;
        assert_eq!(small.status, StatusCode::OK, "{path}");
        assert!(
            small.body.len() < 1024,
            "{path}: {} bytes",
            small.body.len()
        );
        assert_eq!(small.content_encoding, None, "{path}");
        let value: serde_json::Value = serde_json::from_slice(&small.body).expect("plain JSON");
        assert!(value.is_object() || value.is_array(), "{path}");
    }
}

async fn pages_and_json_over_a_kilobyte_are_compressed_and_decode_to_the_same_bytes(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    for path in ["/plans", "/api/openapi.json"] {
        let plain = app.get_coded(path, None).await;
        assert_eq!(plain.status, StatusCode::OK, "{path}");
        assert!(
            plain.body.len() > 1024,
            "{path}: {} bytes",
            plain.body.len()
        );
        assert_eq!(plain.content_encoding, None, "{path}");
        for (accept, coding) in [
            (BROWSER, "br"),
            ("gzip", "gzip"),
            ("br;q=0.5, gzip", "gzip"),
        ] {
            let coded = app.get_coded(path, Some(accept)).await;
            assert_coded(&coded, Some(coding), &plain.body, path);
            assert!(coded.body.len() < plain.body.len() / 2, "{path} shrinks");
        }
    }
    // A signed-in page, over the session.
    app.register_through_form("heavy@example.com").await;
    let studio = app.get_coded("/", Some(BROWSER)).await;
    assert_eq!(studio.content_encoding.as_deref(), Some("br"));
    let html = String::from_utf8(studio.decoded()).expect("utf-8");
    assert!(html.contains("Page Person"), "the decoded page is the page");
}

async fn images_are_never_compressed_and_svg_portraits_are_with_a_tag_per_coding(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("pictures@example.com").await;
    let id = app.generated_id(&token).await;
    let auth = format!("Bearer {token}");
    let get = |path: String, accept: Option<&'static str>, extra: Option<String>| {
        let auth = auth.clone();
        let app = &app;
        async move {
            let mut headers = vec![("authorization", auth.as_str())];
            let extra = extra.unwrap_or_default();
            if !extra.is_empty() {
                headers.push(("if-none-match", extra.as_str()));
            }
            app.coded(Method::GET, &path, accept, &headers).await
        }
    };
    for file in ["image", "portrait.png", "sheet.png"] {
        let image = get(format!("/api/fursona/{id}/{file}"), Some(BROWSER), None).await;
        assert_eq!(image.status, StatusCode::OK, "{file}");
        assert!(image.body.len() > 1024, "{file}");
        assert_eq!(
            image.content_encoding, None,
            "{file} is not compressed again"
        );
    }
    let path = format!("/api/fursona/{id}/portrait.svg");
    let plain = get(path.clone(), None, None).await;
    assert_coded(&plain, None, &plain.body, "plain SVG");
    for (accept, coding) in [(BROWSER, "br"), ("gzip", "gzip")] {
        let coded = get(path.clone(), Some(accept), None).await;
        assert_coded(&coded, Some(coding), &plain.body, "SVG");
        assert!(coded.body.len() * 3 < plain.body.len(), "SVG shrinks");
        let etag = coded.etag.clone().expect("ETag");
        assert_ne!(Some(&etag), plain.etag.as_ref());
        let unchanged = get(path.clone(), Some(accept), Some(etag)).await;
        assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED, "{coding}");
    }
}

async fn htmx_loads_only_on_pages_that_use_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/login", "/register", "/plans", "/"] {
        let page = app.get_page(path).await;
        assert!(!page.contains("htmx-2.0.11.min.js"), "{path} loads no htmx");
    }
    app.register_through_form("htmx@example.com").await;
    let token = json(app.login("htmx@example.com", PASSWORD).await).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let id = app.generated_id(&token).await;
    for path in ["/", "/history", &format!("/fursonas/{id}")] {
        let page = app.get_page(path).await;
        let htmx = linked(&page, "vendor/htmx-2.0.11.min.js");
        assert_eq!(app.get(&htmx).await.status(), StatusCode::OK, "{path}");
    }
    for path in ["/account", "/plans"] {
        let page = app.get_page(path).await;
        assert!(!page.contains("htmx-2.0.11.min.js"), "{path} loads no htmx");
    }
}

async fn the_history_portraits_are_a_few_kilobytes_on_the_wire_and_load(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form("history@example.com").await;
    let token = json(app.login("history@example.com", PASSWORD).await).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    for _ in 0..3 {
        app.generated_id(&token).await;
    }
    let history = app.get_page("/history").await;
    let sources: Vec<&str> = history
        .split("<img src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|src| src.starts_with("/api/fursona/"))
        .collect();
    assert_eq!(sources.len(), 3, "{history}");
    for src in sources {
        // As a browser asks for it, over the page's session.
        let portrait = app.get_coded(src, Some(BROWSER)).await;
        assert_eq!(portrait.status, StatusCode::OK);
        assert_eq!(portrait.content_encoding.as_deref(), Some("br"));
        assert!(
            portrait.body.len() < 12 * 1024,
            "{src}: {} bytes on the wire",
            portrait.body.len()
        );
        let svg = String::from_utf8(portrait.decoded()).expect("utf-8");
        let doc = roxmltree::Document::parse(&svg).expect("an SVG that parses");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
    }
}
