//! Sharing a fursona by a public link: random, revocable, with a preview card, the photo only
//! when the owner says so, out of search engines unless they opt in, and slow to guess.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, client, error_code, json, on_both_backends};

on_both_backends!(
    a_shared_fursona_has_a_random_public_link_until_it_is_revoked,
    only_the_owner_shares_and_revokes,
    the_photo_is_public_only_when_the_owner_chose_so,
    shared_answers_are_briefly_cacheable_and_unindexed_unless_discoverable,
    unknown_links_are_not_found_and_guessing_them_is_throttled,
    deleting_the_fursona_ends_its_link_and_the_export_lists_links,
);

const EMAIL: &str = "sharer@example.com";

async fn shared(app: &TestApp, options: Value) -> (String, String, Value) {
    let token = app.register(EMAIL).await;
    let id = app.generated_id(&token).await;
    let response = app.share(&token, &id, &options).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    (token, id, json(response).await)
}

fn path_of(share: &Value) -> String {
    format!("/s/{}", share["slug"].as_str().expect("slug"))
}

fn meta<'a>(html: &'a str, property: &str) -> Option<&'a str> {
    let marker = format!("property=\"{property}\" content=\"");
    let marker_name = format!("name=\"{property}\" content=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .or_else(|| html.find(&marker_name).map(|i| i + marker_name.len()))?;
    html[start..].split('"').next()
}

async fn a_shared_fursona_has_a_random_public_link_until_it_is_revoked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, id, share) = shared(&app, json!({})).await;
    let slug = share["slug"].as_str().expect("slug").to_owned();
    assert!(slug.len() >= 22, "at least 128 bits: {slug}");
    assert!(
        !slug.contains(&id.replace('-', "")[..8]),
        "not derived from the id"
    );
    assert_eq!(share["url"], format!("http://localhost:3001/s/{slug}"));
    assert!(share["created_at"].is_string());
    let again = app.share(&token, &id, &json!({})).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(json(again).await["slug"], slug.as_str());
    let fursona = json(app.fursona(&token, &id).await).await;
    assert_eq!(fursona["share_url"], share["url"]);

    let page = app.get_as_stranger(&format!("/s/{slug}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    let name = fursona["name"].as_str().expect("name");
    assert!(html.contains(name));
    assert_eq!(meta(&html, "og:url"), share["url"].as_str());
    assert_eq!(
        meta(&html, "og:image"),
        Some(format!("http://localhost:3001/s/{slug}/card.png").as_str())
    );
    assert_eq!(meta(&html, "og:image:width"), Some("1200"));
    assert_eq!(meta(&html, "og:image:height"), Some("630"));
    assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    for property in ["og:title", "og:description", "og:type", "og:image:alt"] {
        assert!(
            meta(&html, property).is_some_and(|v| !v.is_empty()),
            "{property}"
        );
    }
    assert!(html.contains("href=\"/\""), "a link to make one's own");

    let card = app.get_as_stranger(&format!("/s/{slug}/card.png")).await;
    assert_eq!(card.status(), StatusCode::OK);
    assert_eq!(card.headers()[CONTENT_TYPE], "image/png");
    let card = image::load_from_memory(&card.bytes().await.expect("png")).expect("a PNG");
    assert_eq!((card.width(), card.height()), (1200, 630));
    for file in ["portrait.svg", "portrait.png", "sheet.png"] {
        let response = app.get_as_stranger(&format!("/s/{slug}/{file}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{file}");
    }

    assert_eq!(
        app.unshare(&token, &id).await.status(),
        StatusCode::NO_CONTENT
    );
    for path in [
        "",
        "/card.png",
        "/portrait.svg",
        "/portrait.png",
        "/sheet.png",
        "/photo",
        "/thumbnail.jpg",
    ] {
        let response = app.get_as_stranger(&format!("/s/{slug}{path}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        json(app.fursona(&token, &id).await).await["share_url"],
        Value::Null
    );
    let anew = json(app.share(&token, &id, &json!({})).await).await;
    assert_ne!(
        anew["slug"],
        slug.as_str(),
        "sharing again makes a new link"
    );
}

async fn only_the_owner_shares_and_revokes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (owner, id, _) = shared(&app, json!({})).await;
    let stranger = app.register("stranger@example.com").await;
    let theirs = app.share(&stranger, &id, &json!({})).await;
    assert_eq!(error_code(theirs, StatusCode::NOT_FOUND).await, "not_found");
    let theirs = app.unshare(&stranger, &id).await;
    assert_eq!(error_code(theirs, StatusCode::NOT_FOUND).await, "not_found");
    let anonymous = client()
        .post(app.url(&format!("/api/fursona/{id}/share")))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let odd = app
        .share(&stranger, &id, &json!({"include_photo": "yes"}))
        .await;
    assert_eq!(odd.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // An array is not the options object, though serde would read one as all defaults.
    for body in [json!([]), json!([true, true]), json!(3)] {
        let refused = app.share(&owner, &id, &body).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
}

async fn the_photo_is_public_only_when_the_owner_chose_so(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, id, share) = shared(&app, json!({})).await;
    let page = app
        .get_as_stranger(&path_of(&share))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        !page.contains("/photo") && !page.contains("/image") && !page.contains("/thumbnail"),
        "nothing leads to the photo"
    );
    for file in ["photo", "thumbnail.jpg"] {
        let photo = app
            .get_as_stranger(&format!("{}/{file}", path_of(&share)))
            .await;
        assert_eq!(photo.status(), StatusCode::NOT_FOUND, "{file}");
    }
    let image = app
        .get_as_stranger(&format!("/api/fursona/{id}/image"))
        .await;
    assert_eq!(
        image.status(),
        StatusCode::UNAUTHORIZED,
        "the owner's photo stays theirs"
    );

    app.unshare(&token, &id).await;
    let with_photo = json(
        app.share(&token, &id, &json!({"include_photo": true}))
            .await,
    )
    .await;
    let page = app
        .get_as_stranger(&path_of(&with_photo))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains(&format!("{}/photo", path_of(&with_photo))));
    assert!(
        page.contains(&format!("{}/thumbnail.jpg", path_of(&with_photo))),
        "the page shows the photo small and links the full one"
    );
    let photo = app
        .get_as_stranger(&format!("{}/photo", path_of(&with_photo)))
        .await;
    assert_eq!(photo.status(), StatusCode::OK);
    assert!(
        photo.headers()[CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("image/")
    );
    let full = photo.bytes().await.expect("photo");
    let thumbnail = app
        .get_as_stranger(&format!("{}/thumbnail.jpg", path_of(&with_photo)))
        .await;
    assert_eq!(thumbnail.status(), StatusCode::OK);
    assert_eq!(thumbnail.headers()[CONTENT_TYPE], "image/jpeg");
    assert_eq!(thumbnail.headers()["x-robots-tag"], "noindex");
    let small =
        image::load_from_memory(&thumbnail.bytes().await.expect("thumbnail")).expect("a JPEG");
    assert_eq!(small.width().max(small.height()), 144);
    let full = image::load_from_memory(&full).expect("the photo");
    assert!(
        full.width().max(full.height()) > 144,
        "the link leads to the larger photo"
    );
}

async fn shared_answers_are_briefly_cacheable_and_unindexed_unless_discoverable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, id, share) = shared(&app, json!({})).await;
    let page = app.get_as_stranger(&path_of(&share)).await;
    assert_eq!(page.headers()["x-robots-tag"], "noindex");
    assert!(
        page.headers()[CACHE_CONTROL]
            .to_str()
            .expect("cc")
            .starts_with("public, max-age=")
    );
    assert!(
        page.headers().contains_key("content-security-policy"),
        "security headers stay"
    );
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("name=\"robots\" content=\"noindex\"")
    );
    let card = app
        .get_as_stranger(&format!("{}/card.png", path_of(&share)))
        .await;
    assert_eq!(card.headers()["x-robots-tag"], "noindex");
    let etag = card.headers()[ETAG].to_str().expect("etag").to_owned();
    assert!(!etag.starts_with("W/"));
    let unchanged = client()
        .get(app.url(&format!("{}/card.png", path_of(&share))))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);

    app.unshare(&token, &id).await;
    let listed = json(app.share(&token, &id, &json!({"discoverable": true})).await).await;
    let page = app.get_as_stranger(&path_of(&listed)).await;
    assert!(!page.headers().contains_key("x-robots-tag"));
    assert!(!page.text().await.expect("html").contains("noindex"));
}

async fn unknown_links_are_not_found_and_guessing_them_is_throttled(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, _, share) = shared(&app, json!({})).await;
    let guess = "A".repeat(43);
    for _ in 0..10 {
        let response = app.get_as_stranger(&format!("/s/{guess}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    let throttled = app.get_as_stranger(&format!("/s/{guess}")).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().contains_key("retry-after"));
    let real = app.get_as_stranger(&path_of(&share)).await;
    assert_eq!(
        real.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "per client, whatever the slug"
    );
}

async fn deleting_the_fursona_ends_its_link_and_the_export_lists_links(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, id, share) = shared(&app, json!({"discoverable": true})).await;
    let other = app.generated_id(&token).await;
    let kept = json(app.share(&token, &other, &json!({})).await).await;
    let export = json(app.export(&token).await).await;
    let slugs: Vec<&str> = export["shares"]
        .as_array()
        .expect("shares")
        .iter()
        .filter_map(|s| s["slug"].as_str())
        .collect();
    assert_eq!(slugs.len(), 2);
    assert!(slugs.contains(&share["slug"].as_str().expect("slug")));
    assert_eq!(
        app.delete_fursona(&token, &id).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get_as_stranger(&path_of(&share)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_as_stranger(&path_of(&kept)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM shares").await,
        1,
        "the deleted fursona's share is gone with it"
    );
}
