//! The pages over HTTP: forms, sessions, CSRF and headers. The browser suite drives the same
//! pages in Chromium.

use reqwest::StatusCode;

use crate::helpers::pages::{cookie_value, csrf_token, session_cookie};
use crate::helpers::{Backend, PASSWORD, TestApp, client, on_both_backends};

on_both_backends!(
    registering_through_the_form_signs_in_and_shows_the_name,
    form_errors_are_shown_next_to_their_fields_with_the_typed_values_kept,
    logging_in_and_out_through_the_pages_changes_the_session_id,
    state_changing_forms_without_the_right_csrf_token_are_refused_and_change_nothing,
    the_session_cookie_is_http_only_and_lax_and_secure_behind_https,
    every_response_carries_the_security_headers,
    unknown_paths_get_a_page_or_json_by_area,
    a_signed_in_session_ends_at_its_absolute_lifetime_however_active,
);

async fn registering_through_the_form_signs_in_and_shows_the_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let visitor_home = app.get_page("/").await;
    assert!(visitor_home.contains("Create a free account"));
    app.register_through_form("page@example.com").await;
    let home = app.get_page("/").await;
    assert!(home.contains("Signed in as <strong data-testid=\"user-name\">Page Person</strong>"));
    assert!(home.contains("action=\"/logout\""));
    // A signed-in user asking for the forms is sent home.
    let response = app.get("/login").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM subscriptions WHERE plan = 'free'")
            .await,
        1
    );
}

async fn form_errors_are_shown_next_to_their_fields_with_the_typed_values_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = csrf_token(&app.get_page("/register").await);
    let response = app
        .post_form(
            "/register",
            &[
                ("csrf_token", token.as_str()),
                ("name", "Kept Name"),
                ("email", "not-an-email"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(
        html.contains("id=\"email-error\">Enter a valid email address"),
        "{html}"
    );
    assert!(html.contains("id=\"password-error\">Use a password of at least 8 characters."));
    assert!(!html.contains("id=\"name-error\""));
    assert!(html.contains("value=\"Kept Name\""));
    assert!(html.contains("value=\"not-an-email\""));
    assert!(
        !html.contains("value=\"short\""),
        "passwords are never echoed"
    );

    // A taken email is shown on the email field.
    app.register("taken@example.com").await;
    let response = app
        .post_form(
            "/register",
            &[
                ("csrf_token", token.as_str()),
                ("name", "Second"),
                ("email", "Taken@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("id=\"email-error\">An account with this email already exists")
    );

    // Wrong credentials: one message, the email kept.
    let token = csrf_token(&app.get_page("/login").await);
    let response = app
        .post_form(
            "/login",
            &[
                ("csrf_token", token.as_str()),
                ("email", "taken@example.com"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.expect("html");
    assert!(html.contains("Wrong email or password."));
    assert!(html.contains("value=\"taken@example.com\""));
    // Markup that a user typed is escaped, never interpreted.
    let response = app
        .post_form(
            "/register",
            &[
                ("csrf_token", token.as_str()),
                ("name", "<script>alert(1)</script>"),
                ("email", "x"),
                ("password", "p"),
            ],
        )
        .await;
    let html = response.text().await.expect("html");
    assert!(!html.contains("<script>alert(1)"));
    assert!(
        html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
        "{html}"
    );
}

async fn logging_in_and_out_through_the_pages_changes_the_session_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("cycle@example.com").await;
    let response = app.get("/login").await;
    let anonymous =
        cookie_value(&session_cookie(response.headers()).expect("a session for the form"));
    let token = csrf_token(&response.text().await.expect("html"));

    let response = app
        .post_form(
            "/login",
            &[
                ("csrf_token", token.as_str()),
                ("email", "cycle@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let signed_in = cookie_value(&session_cookie(response.headers()).expect("new cookie at login"));
    assert_ne!(anonymous, signed_in, "a new session id at login");

    let home = app.get_page("/").await;
    assert!(home.contains("Test User"));
    let token = csrf_token(&home);
    let response = app
        .post_form("/logout", &[("csrf_token", token.as_str())])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The signed-in session ends; a short visitor's one carries the "signed out" message.
    let replaced = session_cookie(response.headers()).expect("cookie replaced at logout");
    assert_ne!(cookie_value(&replaced), signed_in, "{replaced}");
    let home = app.get_page("/").await;
    assert!(!home.contains("Signed in as"));
    assert!(home.contains("You are signed out."));
    let sessions = app
        .sql_scalar_i64(&format!(
            "SELECT COUNT(*) FROM sessions WHERE id = '{signed_in}'"
        ))
        .await;
    assert_eq!(sessions, 0, "the signed-in session is deleted at logout");

    // Logging out is never a GET.
    let response = app.get("/logout").await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

async fn state_changing_forms_without_the_right_csrf_token_are_refused_and_change_nothing(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let own = csrf_token(&app.get_page("/register").await);
    let other_client = client();
    let others = csrf_token(&app.get_page_as(&other_client, "/register").await);
    assert_ne!(own, others);
    let fields = |token: &str| {
        vec![
            ("csrf_token", token.to_owned()),
            ("name", "Csrf".to_owned()),
            ("email", "csrf@example.com".to_owned()),
            ("password", PASSWORD.to_owned()),
        ]
    };
    for (case, form) in [
        ("no token", fields("")[1..].to_vec()),
        ("empty token", fields("")),
        (
            "wrong token",
            fields("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ),
        ("another session's token", fields(&others)),
    ] {
        let response = app.post_form("/register", &form).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{case}");
        let html = response.text().await.expect("html");
        assert!(
            html.contains("reload the page"),
            "{case}: a readable message"
        );
    }
    // A client with no session at all, and a wrong header token on an htmx-style request.
    let response = app
        .post_form_as(&client(), "/register", &fields(&others))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app
        .client
        .post(app.url("/register"))
        .header("x-csrf-token", &others)
        .form(&fields(&others)[1..])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.sql_scalar_i64("SELECT COUNT(*) FROM users").await, 0);

    // The header form is accepted when it is this session's token.
    let response = app
        .client
        .post(app.url("/register"))
        .header("x-csrf-token", &own)
        .form(&fields(&others)[1..])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.sql_scalar_i64("SELECT COUNT(*) FROM users").await, 1);
}

async fn the_session_cookie_is_http_only_and_lax_and_secure_behind_https(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/login").await;
    let cookie = session_cookie(response.headers()).expect("cookie");
    assert!(cookie.starts_with("fursona_session="), "{cookie}");
    // A visitor's form session lives an hour; signed in, the configured idle week.
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=3600"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"));
    let token = csrf_token(&app.get_page("/register").await);
    let signed_in = app
        .post_form(
            "/register",
            &[
                ("csrf_token", token.as_str()),
                ("name", "Cookie Person"),
                ("email", "cookie@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let cookie = session_cookie(signed_in.headers()).expect("cookie");
    assert!(cookie.contains("Max-Age=604800"), "{cookie}");
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );

    let app = TestApp::spawn_with(backend, |c| {
        c.app_url = url::Url::parse("https://fursona.example").expect("url");
    })
    .await;
    let response = app.get("/login").await;
    let cookie = session_cookie(response.headers()).expect("cookie");
    assert!(cookie.starts_with("__Host-fursona_session="), "{cookie}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain="), "__Host- cookies are host-only");
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .expect("ascii")
            .starts_with("max-age=")
    );
}

async fn every_response_carries_the_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("headers@example.com").await;
    app.register_through_form("signed-in@example.com").await;
    let responses = [
        app.get("/").await,
        app.get("/login").await,
        app.health().await,
        app.me(&token).await,
        app.get("/nowhere").await,
        app.get("/api/nowhere").await,
    ];
    for response in responses {
        let url = response.url().path().to_owned();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("ascii");
        for directive in [
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(
                csp.contains(directive),
                "{url}: {directive} missing from {csp}"
            );
        }
        assert!(!csp.contains("unsafe-inline"), "{url}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{url}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{url}"
        );
        assert_eq!(
            headers["cache-control"], "no-store",
            "{url}: personal pages are not cached"
        );
        assert!(headers.contains_key("x-request-id"), "{url}");
    }

    // Static files are cached for long, under a URL that changes with their content.
    let home = app.html("/").await;
    let htmx = home
        .split("src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("htmx script");
    assert!(
        htmx.starts_with("/static/vendor/htmx-2.0.11.min.js?v="),
        "{htmx}"
    );
    let response = app.get(htmx).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .contains("javascript")
    );
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(response.text().await.expect("js").contains("htmx"));
    // No inline script anywhere in the page.
    assert!(!home.contains("<script>") && !home.contains(" onclick="));
}

async fn unknown_paths_get_a_page_or_json_by_area(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert!(page.text().await.expect("html").contains("Not Found"));

    let api = app.get("/api/no/such/thing").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = api.json().await.expect("json");
    assert_eq!(body["error"]["code"], "not_found");

    let wrong_method = app
        .client
        .delete(app.url("/api/auth/login"))
        .send()
        .await
        .expect("api");
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: serde_json::Value = wrong_method.json().await.expect("json");
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

async fn a_signed_in_session_ends_at_its_absolute_lifetime_however_active(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.session.max_age = std::time::Duration::from_secs(3600);
    })
    .await;
    app.register_through_form("brief@example.com").await;
    assert!(app.get_page("/").await.contains("Signed in as"));
    // The session is judged by the app's clock, in whole seconds: an hour on, its lifetime is
    // over. (A one-second lifetime failed whenever real time crossed a second boundary.)
    app.clock.advance(time::Duration::HOUR);
    assert!(!app.get_page("/").await.contains("Signed in as"));
}
