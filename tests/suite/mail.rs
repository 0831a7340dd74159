//! Mail through a real SMTP server (aiosmtpd on loopback): password reset, address verification
//! and change, billing mail once per Stripe event, the outbox across an SMTP outage, and the
//! administrator's reset link when email is off.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::pages::csrf_token;
use crate::helpers::process::{free_port, fursona, output_text};
use crate::helpers::smtp::{
    MAIL_FROM, SmtpServer, app_with_mail, app_with_mail_and, configure_mail, expect_json, smtp_url,
};
use crate::helpers::stripe::{
    CUSTOMER, PRICE_BASIC, configure_stripe, event, invoice, now, subscription,
};
use crate::helpers::{
    Backend, JWT_SECRET, PASSWORD, TestApp, client, client_from, error_code, loopback,
    on_both_backends,
};

on_both_backends!(
    a_forgotten_password_is_reset_through_the_mailed_link,
    a_reset_link_expires_after_an_hour_and_when_a_newer_one_is_sent,
    a_reset_for_an_unknown_address_answers_the_same_and_mails_nothing,
    reset_mails_are_limited_per_address_and_per_client,
    the_reset_pages_set_a_new_password_and_sign_in,
    registration_mails_a_verification_link_that_the_page_opens,
    the_api_verifies_an_address_and_resending_waits_a_minute,
    generating_waits_for_a_verified_address_when_required,
    an_address_changes_when_the_new_one_confirms_and_the_old_one_is_told,
    a_stripe_event_delivered_twice_mails_one_receipt,
    mail_queued_while_smtp_is_down_is_sent_once_when_it_is_back,
    without_smtp_an_administrator_prints_a_reset_link,
);

const EMAIL: &str = "mailee@example.com";
const NEW_PASSWORD: &str = "a brand new password";

async fn a_forgotten_password_is_reset_through_the_mailed_link(backend: Backend) {
    let (app, smtp) = app_with_mail(backend).await;
    let old_token = app.register(EMAIL).await;
    smtp.wait_for(1).await; // the welcome mail

    let body = expect_json(app.forgot_password(EMAIL).await, StatusCode::ACCEPTED).await;
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    let mail = smtp.wait_for_mail_to(EMAIL, 1).await;
    assert_eq!(mail.header("from"), MAIL_FROM);
    assert_eq!(mail.header("to"), EMAIL);
    assert!(mail.subject().contains("Reset"), "{}", mail.subject());
    assert!(!mail.header("date").is_empty());
    assert!(mail.header("message-id").ends_with("@fursona.test>"));
    assert_eq!(mail.content_type, "multipart/alternative");
    assert!(mail.text().contains("one hour"));
    assert!(mail.html().contains("Choose a new password"));
    assert!(
        !mail.html().contains("<img"),
        "no images, no tracking pixels"
    );
    let link = mail.link("/reset-password");
    let token = mail.token("/reset-password");
    // Only the hash is stored.
    let stored = app
        .sql_scalar_i64(&format!(
            "SELECT COUNT(*) FROM one_time_tokens WHERE token_hash = '{token}'"
        ))
        .await;
    assert_eq!(stored, 0);
    let page = app.get_page(&link).await;
    assert!(page.contains("name=\"new_password\""), "{page}");

    let body = expect_json(
        app.reset_password(&token, NEW_PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    let new_token = body["token"].as_str().expect("token");
    assert_eq!(body["user"]["email"], EMAIL);
    assert_eq!(app.me(new_token).await.status(), StatusCode::OK);
    assert_eq!(app.me(&old_token).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login(EMAIL, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(EMAIL, NEW_PASSWORD).await.status(),
        StatusCode::OK
    );

    // Used once, then never again.
    let again = app.reset_password(&token, "yet another password").await;
    assert_eq!(
        error_code(again, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    let unknown = app
        .reset_password("not-a-token", "yet another password")
        .await;
    assert_eq!(
        error_code(unknown, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    assert_eq!(
        app.login(EMAIL, NEW_PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn a_reset_link_expires_after_an_hour_and_when_a_newer_one_is_sent(backend: Backend) {
    let (app, smtp) = app_with_mail(backend).await;
    app.register(EMAIL).await;
    smtp.wait_for(1).await;
    app.forgot_password(EMAIL).await;
    let first = smtp
        .wait_for_mail_to(EMAIL, 1)
        .await
        .token("/reset-password");
    app.forgot_password(EMAIL).await;
    let second = smtp
        .wait_for_mail_to(EMAIL, 2)
        .await
        .token("/reset-password");
    assert_ne!(first, second);
    let voided = app.reset_password(&first, NEW_PASSWORD).await;
    assert_eq!(
        error_code(voided, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );

    app.clock.advance(time::Duration::minutes(61));
    let expired = app.reset_password(&second, NEW_PASSWORD).await;
    assert_eq!(
        error_code(expired, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    let page = app.get(&format!("/reset-password?token={second}")).await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.text().await.expect("html").contains("link-invalid"));
    assert_eq!(app.login(EMAIL, PASSWORD).await.status(), StatusCode::OK);

    // A password change voids a pending link too.
    app.forgot_password(EMAIL).await;
    let third = smtp
        .wait_for_mail_to(EMAIL, 3)
        .await
        .token("/reset-password");
    let login: serde_json::Value = app.login(EMAIL, PASSWORD).await.json().await.expect("json");
    let changed = app
        .change_password(
            login["token"].as_str().expect("token"),
            PASSWORD,
            NEW_PASSWORD,
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let after_change = app.reset_password(&third, "yet another password").await;
    assert_eq!(
        error_code(after_change, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
}

async fn a_reset_for_an_unknown_address_answers_the_same_and_mails_nothing(backend: Backend) {
    let (app, smtp) = app_with_mail(backend).await;
    app.register(EMAIL).await;
    smtp.wait_for(1).await;

    let unknown = app.forgot_password("nobody@example.com").await;
    assert_eq!(unknown.status(), StatusCode::ACCEPTED);
    let unknown_body = unknown.text().await.expect("body");
    let known = app.forgot_password(EMAIL).await;
    assert_eq!(known.status(), StatusCode::ACCEPTED);
    assert_eq!(known.text().await.expect("body"), unknown_body);

    smtp.wait_for_mail_to(EMAIL, 1).await;
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL", 2)
        .await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2, "the welcome and one reset mail");
    assert!(messages.iter().all(|m| m.rcpt_tos == [EMAIL.to_owned()]));
    let queued_for_nobody = app
        .sql_scalar_i64("SELECT COUNT(*) FROM outbox WHERE recipient = 'nobody@example.com'")
        .await;
    assert_eq!(queued_for_nobody, 0);
}

async fn reset_mails_are_limited_per_address_and_per_client(backend: Backend) {
    let (app, _smtp) = app_with_mail(backend).await;
    for _ in 0..5 {
        assert_eq!(
            app.forgot_password("someone@example.com").await.status(),
            StatusCode::ACCEPTED
        );
    }
    let throttled = app.forgot_password("someone@example.com").await;
    assert!(throttled.headers().contains_key("retry-after"));
    assert_eq!(
        error_code(throttled, StatusCode::TOO_MANY_REQUESTS).await,
        "too_many_requests"
    );
    // The same client, for another address: its own five are used up as well.
    let same_client = app.forgot_password("another@example.com").await;
    assert_eq!(same_client.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another client for the throttled address: still refused, the address has had its five.
    let elsewhere = client_from(loopback(2));
    let post = |email: &'static str| {
        elsewhere
            .post(app.url("/api/auth/forgot-password"))
            .json(&json!({ "email": email }))
            .send()
    };
    assert_eq!(
        post("someone@example.com").await.expect("post").status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        post("another@example.com").await.expect("post").status(),
        StatusCode::ACCEPTED
    );
    // An hour later the address may ask again.
    app.clock.advance(time::Duration::minutes(61));
    assert_eq!(
        app.forgot_password("someone@example.com").await.status(),
        StatusCode::ACCEPTED
    );
}

async fn the_reset_pages_set_a_new_password_and_sign_in(backend: Backend) {
    let (app, smtp) = app_with_mail(backend).await;
    app.register(EMAIL).await;
    smtp.wait_for(1).await;
    // Signed in elsewhere before the reset: that session ends.
    let other = client();
    crate::helpers::pages::log_in_through_form(&other, &app.address, EMAIL, PASSWORD).await;
    assert!(app.get_page_as(&other, "/account").await.contains(EMAIL));

    let login = app.get_page("/login").await;
    assert!(login.contains("href=\"/forgot-password\""));
    let page = app.get_page("/forgot-password").await;
    let csrf = csrf_token(&page);
    let sent = app
        .post_form(
            "/forgot-password",
            &[("csrf_token", csrf.as_str()), ("email", EMAIL)],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::OK);
    assert!(sent.text().await.expect("html").contains("reset-sent"));

    let link = smtp
        .wait_for_mail_to(EMAIL, 1)
        .await
        .link("/reset-password");
    let form = app.get_page(&link).await;
    let token = form
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("token field")
        .to_owned();
    let short = app
        .post_form(
            "/reset-password",
            &[
                ("csrf_token", csrf_token(&form).as_str()),
                ("token", token.as_str()),
                ("new_password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = app
        .post_form(
            "/reset-password",
            &[
                ("csrf_token", csrf_token(&form).as_str()),
                ("token", token.as_str()),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/");
    assert!(
        app.get_page("/")
            .await
            .contains("Your new password is saved and you are signed in."),
        "said once, on the next page"
    );
    assert!(app.get_page("/account").await.contains(EMAIL));
    let ended = other.get(app.url("/account")).send().await.expect("page");
    assert_ne!(ended.status(), StatusCode::OK, "the other session ended");
    assert_eq!(
        app.login(EMAIL, NEW_PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn registration_mails_a_verification_link_that_the_page_opens(backend: Backend) {
    let (app, smtp) = app_with_mail(backend).await;
    let token = app.register(EMAIL).await;
    assert!(!app.email_verified(&token).await);
    let welcome = smtp.wait_for_mail_to(EMAIL, 0).await;
    assert!(
        welcome.subject().contains("Welcome"),
        "{}",
        welcome.subject()
    );
    assert!(welcome.text().contains("Test User"));
    let link = welcome.link("/verify-email");

    // A browser that is not signed in opens it.
    let stranger = client();
    let page = app.get_page_as(&stranger, &link).await;
    assert!(page.contains("email-confirmed"), "{page}");
    assert!(app.email_verified(&token).await);
    let again = stranger.get(app.url(&link)).send().await.expect("page");
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.text().await.expect("html").contains("link-invalid"));
}

async fn the_api_verifies_an_address_and_resending_waits_a_minute(backend: Backend) {
    let (app, smtp) = app_with_mail(backend).await;
    let token = app.register(EMAIL).await;
    let welcome_token = smtp.wait_for_mail_to(EMAIL, 0).await.token("/verify-email");

    let soon = app.resend_verification(&token).await;
    assert!(soon.headers().contains_key("retry-after"));
    assert_eq!(
        error_code(soon, StatusCode::TOO_MANY_REQUESTS).await,
        "too_many_requests"
    );
    app.clock.advance(time::Duration::seconds(61));
    assert_eq!(
        app.resend_verification(&token).await.status(),
        StatusCode::ACCEPTED
    );
    let fresh = smtp.wait_for_mail_to(EMAIL, 1).await;
    assert!(fresh.subject().contains("Confirm"));
    let fresh_token = fresh.token("/verify-email");
    // The newer link voids the older one.
    let old = app.verify_email(&welcome_token).await;
    assert_eq!(
        error_code(old, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    let body = expect_json(app.verify_email(&fresh_token).await, StatusCode::OK).await;
    assert_eq!(body["user"]["email_verified"], true);
    assert!(app.email_verified(&token).await);
    app.clock.advance(time::Duration::seconds(61));
    assert_eq!(
        app.resend_verification(&token).await.status(),
        StatusCode::CONFLICT
    );
    // 48 hours is the lifetime of a verification link.
    let other = app.register("late@example.com").await;
    let late = smtp
        .wait_for_mail_to("late@example.com", 2)
        .await
        .token("/verify-email");
    app.clock.advance(time::Duration::hours(49));
    let expired = app.verify_email(&late).await;
    assert_eq!(
        error_code(expired, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    assert!(!app.email_verified(&other).await);
}

async fn generating_waits_for_a_verified_address_when_required(backend: Backend) {
    let (app, smtp) = app_with_mail_and(backend, |c| c.mail.require_verified_email = true).await;
    app.register_through_form(EMAIL).await;
    let studio = app.get_page("/").await;
    assert!(studio.contains("verify-first"), "{studio}");
    let login: serde_json::Value = app.login(EMAIL, PASSWORD).await.json().await.expect("json");
    let token = login["token"].as_str().expect("token").to_owned();
    let refused = app.generate(&token).await;
    assert_eq!(
        error_code(refused, StatusCode::FORBIDDEN).await,
        "email_unverified"
    );
    assert_eq!(app.usage_and_results(EMAIL).await, (0, 0));

    let verify = smtp.wait_for_mail_to(EMAIL, 0).await.token("/verify-email");
    assert_eq!(app.verify_email(&verify).await.status(), StatusCode::OK);
    assert_eq!(app.generate(&token).await.status(), StatusCode::CREATED);
    assert!(!app.get_page("/").await.contains("verify-first"));
}

async fn an_address_changes_when_the_new_one_confirms_and_the_old_one_is_told(backend: Backend) {
    let (app, smtp) = app_with_mail(backend).await;
    let token = app.register(EMAIL).await;
    smtp.wait_for(1).await;
    let new_email = "moved@example.com";

    let wrong = app.change_email(&token, new_email, "not my password").await;
    assert_eq!(
        error_code(wrong, StatusCode::FORBIDDEN).await,
        "wrong_password"
    );
    app.register("taken@example.com").await;
    smtp.wait_for(2).await;
    let conflict = app
        .change_email(&token, "taken@example.com", PASSWORD)
        .await;
    assert_eq!(conflict.status(), StatusCode::CONFLICT);
    let invalid = app.change_email(&token, "not an address", PASSWORD).await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        app.change_email(&token, new_email, PASSWORD).await.status(),
        StatusCode::ACCEPTED
    );
    let confirm = smtp.wait_for_mail_to(new_email, 2).await;
    assert!(confirm.text().contains(new_email));
    let link = confirm.link("/verify-email");
    let me: serde_json::Value = app.me(&token).await.json().await.expect("json");
    assert_eq!(
        me["user"]["email"], EMAIL,
        "nothing changes before the link"
    );

    let page = app.get_page_as(&client(), &link).await;
    assert!(page.contains("email-moved"), "{page}");
    let me: serde_json::Value = app.me(&token).await.json().await.expect("json");
    assert_eq!(me["user"]["email"], new_email);
    assert_eq!(me["user"]["email_verified"], true);
    let told = smtp.wait_for_mail_to(EMAIL, 3).await;
    assert!(told.subject().contains("changed"), "{}", told.subject());
    assert!(told.text().contains(new_email));
    assert_eq!(
        app.login(new_email, PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.login(EMAIL, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // The account page has the form too.
    app.register_through_form("pages@example.com").await;
    let account = app.get_page("/account").await;
    assert!(account.contains("action=\"/account/email\""));
    let sent = app
        .post_form(
            "/account/email",
            &[
                ("csrf_token", csrf_token(&account).as_str()),
                ("new_email", "pages-new@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], "/account");
    assert!(
        app.get_page("/account")
            .await
            .contains("We mailed a confirmation link to the new address.")
    );
    smtp.wait_for_mail_to("pages-new@example.com", 4).await;
}

async fn a_stripe_event_delivered_twice_mails_one_receipt(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with(backend, |c| {
        configure_stripe(c, None);
        configure_mail(c, &smtp.url());
    })
    .await;
    let token = app.register(EMAIL).await;
    smtp.wait_for(1).await;
    app.link_stripe_customer(&token).await;
    let created = event(
        "evt_sub_created",
        "customer.subscription.created",
        now() - 50,
        subscription(PRICE_BASIC, "active", json!({})),
    );
    assert_eq!(app.deliver(&created).await.status(), StatusCode::OK);

    let paid = event(
        "evt_invoice_paid",
        "invoice.paid",
        now() - 40,
        invoice("in_receipt", 999, now() - 86_400),
    );
    assert_eq!(app.deliver(&paid).await.status(), StatusCode::OK);
    assert_eq!(app.deliver(&paid).await.status(), StatusCode::OK);
    let receipt = smtp.wait_for_mail_to(EMAIL, 1).await;
    assert!(
        receipt.subject().contains("receipt"),
        "{}",
        receipt.subject()
    );
    assert!(receipt.text().contains("9.99 USD"), "{}", receipt.text());
    assert!(receipt.text().contains("Basic"));
    assert!(receipt.html().contains("9.99 USD"));

    let failed = event(
        "evt_payment_failed",
        "invoice.payment_failed",
        now() - 30,
        invoice("in_failed", 999, now() - 86_400),
    );
    assert_eq!(app.deliver(&failed).await.status(), StatusCode::OK);
    assert_eq!(app.deliver(&failed).await.status(), StatusCode::OK);
    let notice = smtp.wait_for_mail_to(EMAIL, 2).await;
    assert!(
        notice.subject().contains("payment failed"),
        "{}",
        notice.subject()
    );
    assert_eq!(notice.link("/account"), "/account");

    let mut ended = subscription(PRICE_BASIC, "canceled", json!({}));
    ended["customer"] = json!(CUSTOMER);
    let deleted = event(
        "evt_sub_deleted",
        "customer.subscription.deleted",
        now() - 20,
        ended,
    );
    assert_eq!(app.deliver(&deleted).await.status(), StatusCode::OK);
    assert_eq!(app.deliver(&deleted).await.status(), StatusCode::OK);
    let end = smtp.wait_for_mail_to(EMAIL, 3).await;
    assert!(end.subject().contains("ended"), "{}", end.subject());
    assert!(end.text().contains("Basic"));

    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL", 4)
        .await;
    assert_eq!(smtp.messages().len(), 4, "welcome, receipt, failure, end");
    for template in ["receipt", "payment_failed", "subscription_ended"] {
        let rows = app
            .sql_scalar_i64(&format!(
                "SELECT COUNT(*) FROM outbox WHERE template = '{template}'"
            ))
            .await;
        assert_eq!(rows, 1, "{template}");
    }
}

async fn mail_queued_while_smtp_is_down_is_sent_once_when_it_is_back(backend: Backend) {
    let port = free_port();
    let app = TestApp::spawn_with(backend, |c| configure_mail(c, &smtp_url(port))).await;
    let token = app.register(EMAIL).await;
    // The request did not wait for SMTP; the outbox tried and will try again.
    app.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE attempts >= 1 AND sent_at IS NULL AND failed_at IS NULL",
        1,
    )
    .await;
    let smtp = SmtpServer::start_on(port).await;
    app.clock.advance(time::Duration::seconds(61));
    let welcome = smtp.wait_for_mail_to(EMAIL, 0).await;
    assert!(welcome.subject().contains("Welcome"));
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL", 1)
        .await;
    // Another mail goes out after it, and the welcome is not sent a second time.
    assert_eq!(
        app.resend_verification(&token).await.status(),
        StatusCode::ACCEPTED
    );
    smtp.wait_for(2).await;
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL", 2)
        .await;
    let subjects: Vec<String> = smtp
        .messages()
        .iter()
        .map(|m| m.subject().to_owned())
        .collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert_eq!(
        subjects.iter().filter(|s| s.contains("Welcome")).count(),
        1,
        "{subjects:?}"
    );
    let data_left = app
        .sql_scalar_i64("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND data <> '{}'")
        .await;
    assert_eq!(data_left, 0, "a sent mail's links are not kept");
}

async fn without_smtp_an_administrator_prints_a_reset_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register(EMAIL).await;
    let page = app.get_page("/forgot-password").await;
    assert!(page.contains("ask-admin"), "{page}");
    let api = app.forgot_password(EMAIL).await;
    assert_eq!(
        error_code(api, StatusCode::SERVICE_UNAVAILABLE).await,
        "mail_not_configured"
    );
    let output = fursona(&app.db.dir)
        .args(["admin", "reset-link", EMAIL])
        .env("DATABASE_URL", &app.db.url)
        .env("JWT_SECRET", JWT_SECRET)
        .env("APP_URL", "https://furs.example")
        .output()
        .await
        .expect("run");
    let printed = output_text(&output);
    assert!(output.status.success(), "{printed}");
    let link = printed
        .split_whitespace()
        .find(|w| w.starts_with("https://furs.example/reset-password?token="))
        .unwrap_or_else(|| panic!("no link in {printed}"));
    let token = link.split("token=").nth(1).expect("token");
    let body = expect_json(
        app.reset_password(token, NEW_PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(body["user"]["email"], EMAIL);
    assert_eq!(
        app.login(EMAIL, NEW_PASSWORD).await.status(),
        StatusCode::OK
    );
    let nobody = fursona(&app.db.dir)
        .args(["admin", "reset-link", "nobody@example.com"])
        .env("DATABASE_URL", &app.db.url)
        .env("JWT_SECRET", JWT_SECRET)
        .output()
        .await
        .expect("run");
    assert!(!nobody.status.success());
    assert!(output_text(&nobody).contains("no account"));
}
