//! What a person sees: Debian's headless Chromium, driven through chromedriver, on the real
//! pages. Screenshots go to `target/screenshots/`.

use std::time::Duration;

use fantoccini::Locator;

use crate::helpers::browser::{Browser, photo_path};
use crate::helpers::stripe::{app_with_stripe, fake_stripe};
use crate::helpers::{Backend, PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    a_visitor_registers_logs_out_and_logs_in_again_in_a_real_browser,
    a_photo_chosen_in_the_browser_becomes_a_fursona_card,
    without_javascript_the_generator_still_works,
    plans_upgrade_to_stripe_and_the_account_shows_plan_and_usage,
    a_shared_link_opens_for_a_stranger_with_its_card_until_revoked,
);

async fn a_visitor_registers_logs_out_and_logs_in_again_in_a_real_browser(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::start().await;
    let name = format!("{backend:?}").to_lowercase();

    browser.client.goto(&app.url("/")).await.expect("home");
    browser.screenshot(&format!("home-visitor-{name}")).await;
    browser.click("a[href='/register'].button").await;
    browser.find("form[action='/register']").await;

    // A mistake first: the error appears next to the field, the typed name stays.
    browser.fill("#name", "Amber Fox").await;
    browser.fill("#email", "amber@").await;
    browser.fill("#password", "short").await;
    browser.click("form button[type=submit]").await;
    assert!(browser.text("#email-error").await.contains("valid email"));
    assert!(browser.text("#password-error").await.contains("at least 8"));
    browser.screenshot(&format!("register-errors-{name}")).await;
    let kept = browser
        .client
        .find(Locator::Css("#name"))
        .await
        .expect("name");
    assert_eq!(
        kept.prop("value").await.expect("value").as_deref(),
        Some("Amber Fox")
    );

    browser.fill("#email", "amber@example.com").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    assert_eq!(browser.text("[data-testid=user-name]").await, "Amber Fox");
    assert_eq!(browser.client.current_url().await.expect("url").path(), "/");
    browser.screenshot(&format!("home-signed-in-{name}")).await;

    browser.click("form[action='/logout'] button").await;
    // Signed out: the header offers to log in again.
    browser.click("nav a[href='/login']").await;
    browser.find("form[action='/login']").await;
    let signed_in = browser
        .client
        .find(Locator::Css("[data-testid=user-name]"))
        .await;
    assert!(signed_in.is_err(), "signed out");
    browser.fill("#email", "amber@example.com").await;
    browser.fill("#password", "not my password").await;
    browser.click("form button[type=submit]").await;
    assert!(
        browser
            .text("[role=alert]")
            .await
            .contains("Wrong email or password")
    );
    browser.screenshot(&format!("login-error-{name}")).await;
    browser.fill("#password", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    assert_eq!(browser.text("[data-testid=user-name]").await, "Amber Fox");

    // Readable on a phone.
    browser
        .client
        .set_window_size(390, 844)
        .await
        .expect("resize");
    browser.screenshot(&format!("home-phone-{name}")).await;
    browser
        .client
        .goto(&app.url("/no-such-page"))
        .await
        .expect("404");
    browser.screenshot(&format!("not-found-phone-{name}")).await;
    browser.close().await;
}

async fn a_photo_chosen_in_the_browser_becomes_a_fursona_card(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::start().await;
    let name = format!("{backend:?}").to_lowercase();
    browser
        .register(&app, "Cat Person", "cat@example.com")
        .await;
    assert_eq!(browser.text("#usage-counter").await, "0 of 5 this month");
    browser.screenshot(&format!("generator-empty-{name}")).await;

    let input = browser.find("#photo").await;
    input
        .send_keys(&photo_path("chelsea.png"))
        .await
        .expect("choose file");
    // The preview shows the chosen photo before anything is sent.
    let preview = browser.find("#preview").await;
    assert_eq!(
        preview.attr("hidden").await.expect("attr"),
        None,
        "preview visible"
    );
    assert!(
        preview
            .attr("src")
            .await
            .expect("attr")
            .is_some_and(|src| src.starts_with("blob:"))
    );
    browser
        .screenshot(&format!("generator-preview-{name}"))
        .await;

    browser.click("#generate-form button[type=submit]").await;
    let card = browser.find("#result [data-testid=fursona-card]").await;
    let swatches = card
        .find_all(Locator::Css(".swatch"))
        .await
        .expect("swatches");
    assert!((3..=6).contains(&swatches.len()));
    assert!(!browser.text("#result .fursona-name").await.is_empty());
    assert_eq!(browser.text("#usage-counter").await, "1 of 5 this month");
    assert_eq!(
        browser.client.current_url().await.expect("url").path(),
        "/",
        "swapped in place"
    );
    // The page scrolls the result into view; give the smooth scroll a moment to settle.
    tokio::time::sleep(Duration::from_millis(800)).await;
    browser
        .screenshot(&format!("generator-result-{name}"))
        .await;

    // The photo inside the card is served to this session.
    assert!(
        browser.image_loaded("#result .inspiration img").await,
        "the stored photo loads in the card"
    );

    browser
        .client
        .goto(&app.url("/history"))
        .await
        .expect("history");
    browser.find("[data-testid=history-item]").await;
    // The tile's portrait comes brotli-compressed (Chromium accepts it) and still draws; lazy
    // images load a moment after the page, so wait for it (a bound, not a timing).
    let mut loaded = false;
    for _ in 0..100 {
        loaded = browser.image_loaded("[data-testid=history-item] img").await;
        if loaded {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(loaded, "the history portrait loads");
    browser.screenshot(&format!("history-{name}")).await;
    browser
        .client
        .set_window_size(390, 844)
        .await
        .expect("resize");
    browser.click("[data-testid=history-item] .tile-link").await;
    browser.find("[data-testid=fursona-card]").await;
    browser.screenshot(&format!("fursona-phone-{name}")).await;
    browser.close().await;
}

async fn without_javascript_the_generator_still_works(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::without_javascript().await;
    let name = format!("{backend:?}").to_lowercase();
    browser
        .register(&app, "No Script", "noscript@example.com")
        .await;
    let input = browser.find("#photo").await;
    input
        .send_keys(&photo_path("chelsea.png"))
        .await
        .expect("choose file");
    browser.click("#generate-form button[type=submit]").await;
    let card = browser.find("[data-testid=fursona-card]").await;
    let swatches = card
        .find_all(Locator::Css(".swatch"))
        .await
        .expect("swatches");
    assert!((3..=6).contains(&swatches.len()));
    assert!(
        browser
            .client
            .current_url()
            .await
            .expect("url")
            .path()
            .starts_with("/fursonas/")
    );
    assert_eq!(browser.text("#usage-counter").await, "1 of 5 this month");
    browser
        .screenshot(&format!("no-javascript-result-{name}"))
        .await;
    browser.close().await;
}

async fn plans_upgrade_to_stripe_and_the_account_shows_plan_and_usage(backend: Backend) {
    let stripe = fake_stripe().await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let browser = Browser::start().await;
    let name = format!("{backend:?}").to_lowercase();
    browser
        .register(&app, "Plan Shopper", "shopper@example.com")
        .await;

    browser.click("nav a[href='/plans']").await;
    browser.find(".plan.current").await;
    let cards = browser
        .client
        .find_all(Locator::Css(".plan"))
        .await
        .expect("plans");
    assert_eq!(cards.len(), 3);
    assert_eq!(browser.text(".plan.current h2").await, "Free");
    browser.screenshot(&format!("plans-{name}")).await;

    browser.click("[data-plan=basic] button[type=submit]").await;
    // The plans page has an h1 too: wait for the navigation itself.
    let mut landed = browser.client.current_url().await.expect("url");
    for _ in 0..100 {
        if landed.as_str().starts_with(&stripe.uri()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        landed = browser.client.current_url().await.expect("url");
    }
    assert!(
        landed.as_str().starts_with(&stripe.uri()),
        "sent to Stripe: {landed}"
    );
    assert_eq!(browser.text("h1").await, "Fake Stripe Checkout");

    browser
        .client
        .goto(&app.url("/account"))
        .await
        .expect("account");
    assert_eq!(
        browser.client.title().await.expect("title"),
        "Your account · Fursona Generator"
    );
    assert_eq!(browser.text("[data-testid=account-plan]").await, "Free");
    assert_eq!(
        browser.text("[data-testid=account-usage]").await,
        "0 of 5 this month"
    );
    browser.screenshot(&format!("account-{name}")).await;
    browser
        .client
        .execute("window.scrollTo(0, document.body.scrollHeight)", vec![])
        .await
        .expect("scroll");
    browser.screenshot(&format!("account-bottom-{name}")).await;
    browser.close().await;
}

async fn a_shared_link_opens_for_a_stranger_with_its_card_until_revoked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = Browser::start().await;
    let name = format!("{backend:?}").to_lowercase();
    owner
        .register(&app, "Link Sharer", "links@example.com")
        .await;
    owner
        .find("#photo")
        .await
        .send_keys(&photo_path("chelsea.png"))
        .await
        .expect("choose file");
    owner.click("#generate-form button[type=submit]").await;
    owner.find("#result [data-testid=fursona-card]").await;
    owner
        .click("#result .share-panel form button[type=submit]")
        .await;
    let link = owner
        .find("#result .share-link input")
        .await
        .prop("value")
        .await
        .expect("value")
        .expect("the link is shown");
    owner.screenshot(&format!("share-panel-{name}")).await;
    let path = link
        .strip_prefix("http://localhost:3001")
        .expect("the link starts with APP_URL")
        .to_owned();

    // A stranger: another browser profile, no cookies.
    let stranger = Browser::start().await;
    stranger
        .client
        .goto(&app.url(&path))
        .await
        .expect("share page");
    stranger.find("[data-testid=shared-fursona]").await;
    let meta = |property: &'static str| {
        let client = stranger.client.clone();
        async move {
            client
                .execute(
                    "const m = document.querySelector(`meta[property='${arguments[0]}'], \
                     meta[name='${arguments[0]}']`); return m ? m.content : null;",
                    vec![serde_json::json!(property)],
                )
                .await
                .expect("script")
                .as_str()
                .map(str::to_owned)
        }
    };
    assert_eq!(meta("og:image").await, Some(format!("{link}/card.png")));
    assert_eq!(meta("og:url").await, Some(link.clone()));
    assert_eq!(
        meta("twitter:card").await.as_deref(),
        Some("summary_large_image")
    );
    assert!(
        stranger.image_loaded(".portrait").await,
        "the portrait loads without signing in"
    );
    stranger.screenshot(&format!("share-page-{name}")).await;
    let card = reqwest::get(app.url(&format!("{path}/card.png")))
        .await
        .expect("card");
    let card = image::load_from_memory(&card.bytes().await.expect("bytes")).expect("a PNG");
    assert_eq!((card.width(), card.height()), (1200, 630));

    owner
        .click("#result .share-panel form button[type=submit]")
        .await;
    owner
        .find("#result .share-panel input[name=include_photo]")
        .await;
    stranger.client.refresh().await.expect("reload");
    assert_eq!(
        stranger.client.title().await.expect("title"),
        "Not Found · Fursona Generator",
        "a revoked link is gone"
    );
    stranger.close().await;
    owner.close().await;
}
