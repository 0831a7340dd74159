//! Failed logins are throttled: per address (behind trusted proxies only, the forwarded one) and
//! per account.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::pages::{log_in_through_form, log_out_through_form};
use crate::helpers::{
    Backend, PASSWORD, TestApp, client_from, error_code, loopback, on_both_backends,
};

on_both_backends!(
    repeated_failed_logins_from_one_address_are_throttled,
    repeated_failed_logins_against_one_account_are_throttled_briefly,
    forwarded_addresses_count_only_from_trusted_proxies,
    a_browser_that_signed_in_before_is_not_locked_out_by_guesses_from_elsewhere,
);

async fn repeated_failed_logins_from_one_address_are_throttled(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("mole@example.com").await;
    let attacker = client_from(loopback(2));
    for n in 0..10 {
        let response = app
            .login_from(&attacker, &format!("guess{n}@example.com"), "nope nope")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    // The 11th, even with the right password for a real account, is refused from this address.
    let response = app
        .login_from(&attacker, "mole@example.com", PASSWORD)
        .await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("secs");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(
        error_code(response, StatusCode::TOO_MANY_REQUESTS).await,
        "too_many_requests"
    );

    // Another machine is unaffected.
    let elsewhere = client_from(loopback(3));
    let response = app
        .login_from(&elsewhere, "mole@example.com", PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn repeated_failed_logins_against_one_account_are_throttled_briefly(backend: Backend) {
    // Long enough that ten hashed logins on a loaded machine fit in it; the test clock moves it.
    let window = Duration::from_secs(60);
    let app = TestApp::spawn_with(backend, |c| c.login_throttle.window = window).await;
    app.register("vole@example.com").await;
    for n in 0..10u8 {
        // Spread over many addresses: the account itself is what is counted.
        let response = app
            .login_from(
                &client_from(loopback(10 + n)),
                "vole@example.com",
                "wrong guess",
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let owner = client_from(loopback(30));
    let login = || app.login_from(&owner, "vole@example.com", PASSWORD);
    assert_eq!(login().await.status(), StatusCode::TOO_MANY_REQUESTS);
    // The lock lasts one window, not longer (the throttle runs on the app's clock).
    app.clock
        .advance(time::Duration::try_from(window).expect("a short window"));
    assert_eq!(login().await.status(), StatusCode::OK);
}

async fn forwarded_addresses_count_only_from_trusted_proxies(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.trusted_proxies = vec!["127.0.0.2/32".parse().expect("network")];
    })
    .await;
    let fail = |client: reqwest::Client, forwarded: &'static str, n: usize| {
        let url = app.url("/api/auth/login");
        async move {
            client
                .post(url)
                .header("x-forwarded-for", forwarded)
                .json(&json!({"email": format!("guess{n}@example.com"), "password": "nope nope"}))
                .send()
                .await
                .expect("login")
                .status()
        }
    };
    // Behind the trusted proxy, each real client is counted on its own.
    let proxy = client_from(loopback(2));
    for n in 0..10 {
        assert_eq!(
            fail(proxy.clone(), "198.51.100.1", n).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        fail(proxy.clone(), "198.51.100.1", 10).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        fail(proxy.clone(), "198.51.100.2", 11).await,
        StatusCode::UNAUTHORIZED,
        "another client"
    );

    // From anywhere else the header is ignored: the peer itself is counted.
    let direct = client_from(loopback(3));
    let forged = [
        "203.0.113.1",
        "203.0.113.2",
        "203.0.113.3",
        "203.0.113.4",
        "203.0.113.5",
    ];
    for n in 0..10 {
        assert_eq!(
            fail(direct.clone(), forged[n % 5], 20 + n).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        fail(direct, "203.0.113.99", 30).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn a_browser_that_signed_in_before_is_not_locked_out_by_guesses_from_elsewhere(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    app.register("shrew@example.com").await;
    let base = app.url("");
    let base = base.trim_end_matches('/');
    // The owner's browser signs in once (and gets its device cookie), then signs out.
    let owner = client_from(loopback(40));
    let signed_in = log_in_through_form(&owner, base, "shrew@example.com", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let device = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("fursona_device="))
        .expect("a device cookie")
        .to_owned();
    assert!(
        device.contains("HttpOnly") && device.contains("SameSite=Strict"),
        "{device}"
    );
    log_out_through_form(&owner, base).await;

    // Someone guesses from many addresses until the account is locked for new clients.
    for n in 0..10u8 {
        let guess = log_in_through_form(
            &client_from(loopback(50 + n)),
            base,
            "shrew@example.com",
            "a wrong guess",
        )
        .await;
        assert_eq!(guess.status(), StatusCode::UNAUTHORIZED);
    }
    let fresh = log_in_through_form(
        &client_from(loopback(70)),
        base,
        "shrew@example.com",
        PASSWORD,
    )
    .await;
    assert_eq!(
        fresh.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a new client is still throttled"
    );
    let api = app
        .login_from(&client_from(loopback(71)), "shrew@example.com", PASSWORD)
        .await;
    assert_eq!(
        api.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "and so is the API"
    );

    // The owner's browser still signs in.
    let again = log_in_through_form(&owner, base, "shrew@example.com", PASSWORD).await;
    assert_eq!(
        again.status(),
        StatusCode::SEE_OTHER,
        "the known browser is let in"
    );
    log_out_through_form(&owner, base).await;

    // A forged device cookie is no way around the lock.
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(
        "fursona_device=AAAAAAAAAAAAAAAAAAAAAA.AAAA; Path=/",
        &base.parse().expect("url"),
    );
    let forger = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(loopback(72))
        .build()
        .expect("client");
    let forged = log_in_through_form(&forger, base, "shrew@example.com", PASSWORD).await;
    assert_eq!(forged.status(), StatusCode::TOO_MANY_REQUESTS);
    // The known browser's own wrong guesses are still throttled, on its own count.
    for _ in 0..10 {
        log_in_through_form(&owner, base, "shrew@example.com", "the owner mistypes").await;
    }
    let locked = log_in_through_form(&owner, base, "shrew@example.com", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
}
