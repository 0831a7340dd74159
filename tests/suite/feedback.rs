//! What a person is told over HTTP: one-time messages after a form, errors beside the form that
//! failed, the way back to the page that asked for sign-in (never off the site), the studio at
//! its limit, an upload's token as its first field, and plain words for a refused photo.

use reqwest::StatusCode;

use crate::helpers::pages::csrf_token;
use crate::helpers::{Backend, PASSWORD, TestApp, fixture, image_part, json, on_both_backends};

on_both_backends!(
    what_a_form_did_is_said_once_on_the_next_page,
    each_account_form_shows_its_own_error_beside_it,
    a_page_that_needs_sign_in_is_where_logging_in_or_registering_returns,
    the_return_path_never_leaves_the_site,
    the_studio_says_before_an_upload_that_the_month_is_used_up,
    a_plain_upload_is_accepted_only_with_its_token_as_the_first_field,
    a_photo_that_cannot_be_read_is_refused_in_plain_words_and_beside_the_form,
    the_fursona_page_is_headed_by_its_name_and_a_taken_email_links_to_log_in,
);

const EMAIL: &str = "feedback@example.com";

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

async fn what_a_form_did_is_said_once_on_the_next_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let home = app.get_page("/").await;
    assert!(home.contains("Welcome, Page Person! Your account is ready."));
    assert!(
        !app.get_page("/").await.contains("data-testid=\"flash\""),
        "once only"
    );

    let account = app.get_page("/account").await;
    let changed = app
        .post_form(
            "/account/password",
            &[
                ("csrf_token", csrf_token(&account).as_str()),
                ("current_password", PASSWORD),
                ("new_password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&changed), "/account", "no flag in the address");
    let account = app.get_page("/account").await;
    assert!(account.contains("Your password is changed."));
    assert!(
        !app.get_page("/account")
            .await
            .contains("Your password is changed.")
    );

    let out = app
        .post_form("/logout", &[("csrf_token", csrf_token(&account).as_str())])
        .await;
    assert_eq!(location(&out), "/");
    assert!(app.get_page("/").await.contains("You are signed out."));

    let login = app.get_page("/login").await;
    app.post_form(
        "/login",
        &[
            ("csrf_token", csrf_token(&login).as_str()),
            ("email", EMAIL),
            ("password", "a brand new password"),
        ],
    )
    .await;
    let account = app.get_page("/account").await;
    let deleted = app
        .post_form(
            "/account/delete",
            &[
                ("csrf_token", csrf_token(&account).as_str()),
                ("password", "a brand new password"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(location(&deleted), "/");
    let home = app.get_page("/").await;
    assert!(home.contains("Your account, your fursonas and their photos are deleted."));
    assert!(home.contains("Create a free account"), "signed out");
    assert!(!app.get_page("/").await.contains("are deleted"));
}

async fn each_account_form_shows_its_own_error_beside_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let token = csrf_token(&app.get_page("/account").await);

    let password = app
        .post_form(
            "/account/password",
            &[
                ("csrf_token", token.as_str()),
                ("current_password", "not it at all"),
                ("new_password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(password.status(), StatusCode::FORBIDDEN);
    let html = password.text().await.expect("html");
    let error = html
        .find("data-testid=\"password-error\">The current password is not right, so your password is unchanged.")
        .expect("the password form's own error");
    let form = html.find("action=\"/account/password\"").expect("form");
    let section = html[..form].rfind("<h2>Password</h2>").expect("section");
    assert!(section < error && error < form, "beside its form, above it");
    assert!(!html.contains("data-testid=\"delete-error\""));
    assert!(
        html.contains("autofocus"),
        "the failed form is brought into view"
    );

    let delete = app
        .post_form(
            "/account/delete",
            &[
                ("csrf_token", token.as_str()),
                ("password", "not it at all"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    let html = delete.text().await.expect("html");
    assert!(html.contains(
        "data-testid=\"delete-error\">That password is not right, so your account is not deleted."
    ));
    assert!(!html.contains("data-testid=\"password-error\""));

    let unticked = app
        .post_form(
            "/account/delete",
            &[("csrf_token", token.as_str()), ("password", PASSWORD)],
        )
        .await;
    let html = unticked.text().await.expect("html");
    assert!(html.contains("data-testid=\"delete-error\">Tick the box to confirm"));
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM users").await,
        1,
        "nothing was deleted"
    );
}

async fn a_page_that_needs_sign_in_is_where_logging_in_or_registering_returns(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("returning@example.com").await;

    let sent = app.get("/account?tab=1").await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), "/login?next=%2Faccount%3Ftab%3D1");
    let login = app.get_page("/login?next=%2Faccount%3Ftab%3D1").await;
    assert!(login.contains("name=\"next\" value=\"/account?tab=1\""));
    assert!(
        login.contains("href=\"/register?next=%2Faccount%3Ftab%3D1\""),
        "registering instead keeps the way back"
    );
    let logged_in = app
        .post_form(
            "/login",
            &[
                ("csrf_token", csrf_token(&login).as_str()),
                ("email", "returning@example.com"),
                ("password", PASSWORD),
                ("next", "/account?tab=1"),
            ],
        )
        .await;
    assert_eq!(logged_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&logged_in), "/account?tab=1");
    // Signed in already: the login link goes straight there.
    assert_eq!(
        location(&app.get("/login?next=%2Fhistory").await),
        "/history"
    );

    let other = TestApp::spawn(backend).await;
    let register = other.get_page("/register?next=%2Fhistory").await;
    let registered = other
        .post_form(
            "/register",
            &[
                ("csrf_token", csrf_token(&register).as_str()),
                ("name", "New Person"),
                ("email", "new@example.com"),
                ("password", PASSWORD),
                ("next", "/history"),
            ],
        )
        .await;
    assert_eq!(location(&registered), "/history");
}

async fn the_return_path_never_leaves_the_site(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("stay@example.com").await;
    for bad in [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/ok\r\nSet-Cookie: x=y",
        "/tab\there",
        "evil.example",
    ] {
        let login = app.get_page("/login").await;
        let response = app
            .post_form(
                "/login",
                &[
                    ("csrf_token", csrf_token(&login).as_str()),
                    ("email", "stay@example.com"),
                    ("password", PASSWORD),
                    ("next", bad),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{bad:?}");
        assert_eq!(location(&response), "/", "{bad:?}");
        // Signed in: asking for the login page with it goes home too.
        let encoded: String = url::form_urlencoded::byte_serialize(bad.as_bytes()).collect();
        let again = app.get(&format!("/login?next={encoded}")).await;
        assert_eq!(location(&again), "/", "{bad:?}");
        app.post_form(
            "/logout",
            &[("csrf_token", csrf_token(&app.get_page("/").await).as_str())],
        )
        .await;
        let form = app.get_page(&format!("/login?next={encoded}")).await;
        assert!(!form.contains("name=\"next\""), "{bad:?} is not carried on");
    }
}

async fn the_studio_says_before_an_upload_that_the_month_is_used_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let fresh = app.get_page("/").await;
    assert!(!fresh.contains("data-testid=\"used-up\""));
    assert!(!fresh.contains(" disabled>"));

    app.sql_execute("UPDATE subscriptions SET generations_used = 5")
        .await;
    let html = app.get_page("/").await;
    assert!(html.contains("data-testid=\"used-up\""), "{html}");
    assert!(html.contains("You have made all 5 fursonas of the Free plan this month."));
    assert!(html.contains("href=\"/plans\">See the plans for more"));
    assert!(html.contains("<fieldset class=\"generator-fields\" disabled>"));
    // The reset day, written the one way dates are written everywhere.
    let account = app.get_page("/account").await;
    let resets = account
        .split("<dt>Resets on</dt><dd>")
        .nth(1)
        .and_then(|rest| rest.split("</dd>").next())
        .expect("the account's reset day")
        .to_owned();
    assert!(
        resets.split(' ').count() == 3 && !resets.contains('-'),
        "{resets}"
    );
    assert!(html.contains(&format!("starts again on {resets}.")));

    // The server says the same if a request comes anyway.
    let token = csrf_token(&html);
    let refused = app
        .generate_with_htmx(
            &token,
            reqwest::multipart::Form::new().part(
                "image",
                image_part(fixture("photos/chelsea.webp"), "chelsea.webp"),
            ),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::PAYMENT_REQUIRED);
    assert!(
        refused
            .text()
            .await
            .expect("html")
            .contains(&format!("it resets on {resets}."))
    );
}

async fn a_plain_upload_is_accepted_only_with_its_token_as_the_first_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let token = csrf_token(&app.get_page("/").await);
    let photo = || image_part(fixture("photos/chelsea.webp"), "chelsea.webp");
    let send = |form: reqwest::multipart::Form, path: &str| {
        app.client.post(app.url(path)).multipart(form).send()
    };

    let refused = [
        // In the address only, as the form used to send it.
        (
            reqwest::multipart::Form::new().part("image", photo()),
            format!("/generate?csrf_token={token}"),
        ),
        // After the photo.
        (
            reqwest::multipart::Form::new()
                .part("image", photo())
                .text("csrf_token", token.clone()),
            "/generate".to_owned(),
        ),
        // Wrong.
        (
            reqwest::multipart::Form::new()
                .text("csrf_token", "not-the-token")
                .part("image", photo()),
            "/generate".to_owned(),
        ),
    ];
    for (form, path) in refused {
        let response = send(form, &path).await.expect("post");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        app.usage_and_results(EMAIL).await,
        (0, 0),
        "nothing charged"
    );

    let accepted = app.generate_through_form(&token, photo()).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert!(location(&accepted).starts_with("/fursonas/"));
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));

    // htmx sends the header and the form's hidden field: both fine together.
    let both = app
        .generate_with_htmx(
            &token,
            reqwest::multipart::Form::new()
                .text("csrf_token", token.clone())
                .part("image", photo()),
        )
        .await;
    assert_eq!(both.status(), StatusCode::OK);
    assert_eq!(app.usage_and_results(EMAIL).await, (2, 2));
}

async fn a_photo_that_cannot_be_read_is_refused_in_plain_words_and_beside_the_form(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let bearer = app.register("api@example.com").await;
    for bad in ["truncated.jpg", "png-then-html.png", "script.svg"] {
        let response = app
            .client
            .post(app.url("/api/fursona/generate"))
            .bearer_auth(&bearer)
            .multipart(
                reqwest::multipart::Form::new()
                    .part("image", image_part(fixture(&format!("bad/{bad}")), bad)),
            )
            .send()
            .await
            .expect("post");
        let status = response.status();
        assert!(status.is_client_error(), "{bad}: {status}");
        let body = json(response).await;
        assert_eq!(
            body["error"]["message"], "this file is not a photo we can read (JPEG, PNG or WebP)",
            "{bad}: {body}"
        );
    }

    app.register_through_form(EMAIL).await;
    let token = csrf_token(&app.get_page("/").await);
    let response = app
        .generate_with_htmx(
            &token,
            reqwest::multipart::Form::new().part(
                "image",
                image_part(fixture("bad/truncated.jpg"), "truncated.jpg"),
            ),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Beside the form, so the fursona already shown stays.
    assert_eq!(response.headers()["hx-retarget"], "#generate-feedback");
    let html = response.text().await.expect("html");
    assert!(html.contains("This file is not a photo we can read (JPEG, PNG or WebP)."));
    assert!(!html.to_lowercase().contains("decod"), "{html}");
}

async fn the_fursona_page_is_headed_by_its_name_and_a_taken_email_links_to_log_in(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    app.register_through_form(EMAIL).await;
    let token = csrf_token(&app.get_page("/").await);
    let made = app
        .generate_through_form(&token, image_part(fixture("photos/chelsea.webp"), "c.webp"))
        .await;
    let page = app.get_page(&location(&made)).await;
    assert!(page.contains("<h1 class=\"fursona-name\""), "{page}");
    assert_eq!(page.matches("<h1").count(), 1);
    assert!(!page.contains("Permalink"));
    assert!(!page.contains("Its own page"), "no link to itself");
    assert!(
        page.contains("width=\"72\" height=\"72\""),
        "the photo has its size"
    );

    let visitor = TestApp::spawn(backend).await;
    visitor.register_through_form(EMAIL).await;
    let other = crate::helpers::client();
    let form = visitor.get_page_as(&other, "/register").await;
    let taken = visitor
        .post_form_as(
            &other,
            "/register",
            &[
                ("csrf_token", csrf_token(&form).as_str()),
                ("name", "Someone"),
                ("email", EMAIL),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let html = taken.text().await.expect("html");
    assert!(
        html.contains("<a href=\"/login\">Log in instead?</a>"),
        "{html}"
    );
}
