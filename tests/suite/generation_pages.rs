//! The generator, fursona, history and delete pages over HTTP (the browser suite drives the same
//! pages in Chromium).

use reqwest::StatusCode;

use crate::helpers::pages::csrf_token;
use crate::helpers::{Backend, TestApp, client, fixture, image_form, image_part, on_both_backends};

on_both_backends!(
    generating_through_the_plain_form_lands_on_the_new_fursonas_page,
    generating_with_htmx_returns_the_card_and_the_new_usage_counter,
    a_refused_photo_and_the_limit_are_explained_on_the_page,
    free_history_shows_the_three_latest_with_a_note,
    deleting_from_history_needs_the_csrf_token_and_asks_first,
    the_json_download_is_the_fursona,
    pages_for_signed_in_users_send_visitors_to_log_in,
);

const EMAIL: &str = "pages@example.com";

/// The signed-in start page and the token its forms carry.
async fn home(app: &TestApp) -> (String, String) {
    let html = app.html("/").await;
    let token = csrf_token(&html);
    (html, token)
}

fn photo_form(name: &str) -> reqwest::multipart::Form {
    image_form(fixture(&format!("photos/{name}")), name)
}

fn bad_form(name: &str) -> reqwest::multipart::Form {
    image_form(fixture(&format!("bad/{name}")), name)
}

fn photo_part(name: &str) -> reqwest::multipart::Part {
    image_part(fixture(&format!("photos/{name}")), name)
}

fn bad_part(name: &str) -> reqwest::multipart::Part {
    image_part(fixture(&format!("bad/{name}")), name)
}

/// Generates through the plain form and returns the new fursona's page.
async fn generate_plain(app: &TestApp, token: &str) -> String {
    let response = app
        .generate_through_form(token, photo_part("chelsea.webp"))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

async fn generating_through_the_plain_form_lands_on_the_new_fursonas_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let (html, token) = home(&app).await;
    assert!(html.contains("enctype=\"multipart/form-data\""));
    // The token is the form's first field, never in its address.
    assert!(html.contains("action=\"/generate\""));
    assert!(!html.contains("csrf_token="), "no token in any URL");
    let form = &html[html.find("id=\"generate-form\"").expect("form")..];
    assert!(
        form.find(&format!("name=\"csrf_token\" value=\"{token}\""))
            .expect("token field")
            < form.find("name=\"image\"").expect("photo field"),
        "the token comes before the photo"
    );
    assert!(html.contains("accept=\"image/jpeg,image/png,image/webp\""));
    assert!(html.contains("0 of 5 this month"));

    let response = app
        .generate_through_form(&token, photo_part("chelsea.png"))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(location.starts_with("/fursonas/"), "{location}");
    let page = app.get(&location).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("data-testid=\"fursona-card\""));
    assert!(html.contains("class=\"swatch\""));
    assert!(html.contains("the offline generator"));
    assert!(html.contains("1 of 5 this month"));
    assert!(html.contains(&format!("{location}/download")));

    // Without the token the upload is refused before anything is read or charged.
    let response = app
        .client
        .post(app.url("/generate"))
        .multipart(photo_form("chelsea.png"))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));
}

async fn generating_with_htmx_returns_the_card_and_the_new_usage_counter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let (_, token) = home(&app).await;
    let response = app
        .generate_with_htmx(&token, photo_form("chelsea.webp"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains("data-testid=\"fursona-card\""), "{html}");
    assert!(!html.contains("<html"), "a fragment, not a page");
    assert!(html.contains("id=\"usage-counter\" data-hx-swap-oob=\"true\""));
    assert!(html.contains("1 of 5 this month"));
}

async fn a_refused_photo_and_the_limit_are_explained_on_the_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let (_, token) = home(&app).await;

    let response = app
        .generate_with_htmx(&token, bad_form("not-an-image.png"))
        .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let html = response.text().await.expect("html");
    assert!(
        html.contains("role=\"alert\"")
            && html.contains("This file is not a photo we can read (JPEG, PNG or WebP)."),
        "{html}"
    );

    let response = app
        .generate_through_form(&token, bad_part("truncated.jpg"))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(
        html.contains("id=\"generate-form\""),
        "the form is shown again"
    );
    assert!(html.contains("role=\"alert\""));

    app.sql_execute("UPDATE subscriptions SET generations_used = 5")
        .await;
    let response = app
        .generate_with_htmx(&token, photo_form("chelsea.webp"))
        .await;
    assert_eq!(response.status(), StatusCode::PAYMENT_REQUIRED);
    let html = response.text().await.expect("html");
    assert!(html.contains("href=\"/plans\""), "an upgrade panel: {html}");
    assert!(!html.contains("data-testid=\"fursona-card\""));
    assert_eq!(app.usage_and_results(EMAIL).await, (5, 0));
}

async fn free_history_shows_the_three_latest_with_a_note(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let (_, token) = home(&app).await;
    for _ in 0..4 {
        assert_eq!(
            app.generate_through_form(&token, photo_part("chelsea.webp"))
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
    let html = app.html("/history").await;
    assert_eq!(html.matches("data-testid=\"history-item\"").count(), 3);
    assert!(html.contains("Full history comes with Basic and Pro"));

    app.sql_execute("UPDATE subscriptions SET plan = 'basic', generations_limit = 50")
        .await;
    let html = app.html("/history").await;
    assert_eq!(html.matches("data-testid=\"history-item\"").count(), 4);
    assert!(!html.contains("Full history comes with"));
}

async fn deleting_from_history_needs_the_csrf_token_and_asks_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let (_, token) = home(&app).await;
    let location = generate_plain(&app, &token).await;
    let confirm = app.get(&format!("{location}/delete")).await;
    assert_eq!(confirm.status(), StatusCode::OK);
    let html = confirm.text().await.expect("html");
    assert!(html.contains("cannot be undone") || html.contains("for good"));
    assert_eq!(
        app.usage_and_results(EMAIL).await,
        (1, 1),
        "asking deletes nothing"
    );

    let refused = app
        .post_form(&format!("{location}/delete"), &[("csrf_token", "wrong")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));

    let deleted = app
        .post_form(
            &format!("{location}/delete"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 0));
    let gone = app.get(&location).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

async fn the_json_download_is_the_fursona(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let (_, token) = home(&app).await;
    let location = generate_plain(&app, &token).await;
    let download = app.get(&format!("{location}/download")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    let body: serde_json::Value = download.json().await.expect("json");
    assert_eq!(
        format!("/fursonas/{}", body["id"].as_str().expect("id")),
        location
    );
    assert!(body["palette"].as_array().is_some_and(|p| p.len() >= 3));

    // The photo on the page is served to this session, and to nobody else.
    let image_url = body["image_url"].as_str().expect("image url");
    assert_eq!(app.get(image_url).await.status(), StatusCode::OK);
    let stranger = client();
    let response = stranger
        .get(app.url(image_url))
        .send()
        .await
        .expect("photo");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn pages_for_signed_in_users_send_visitors_to_log_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/history", &format!("/fursonas/{}", uuid::Uuid::now_v7())] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            response.headers()["location"],
            format!("/login?next={}", path.replace('/', "%2F"))
        );
    }
    let plans = app.get("/plans").await;
    assert_eq!(plans.status(), StatusCode::OK);
    let html = plans.text().await.expect("html");
    for text in [
        "Free",
        "Basic",
        "Pro",
        "$9.99",
        "$19.99",
        "Early Access</strong>: New styles and features reach your account",
        "Priority</strong>: Your fursonas are made first",
    ] {
        assert!(html.contains(text), "{text}");
    }
}
