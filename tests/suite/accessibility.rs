//! Every page in every state a person meets (visitor, signed in, with errors, a result, at the
//! limit, without JavaScript) audited in Chromium by axe-core at 1280x900 and 390x844, and its
//! HTML by the W3C Nu validator: nothing found. A keyboard-only run registers, generates and
//! opens the history with Tab, Enter and Space, the focus ring showing at every step.
//! Screenshots of each state at both sizes go to `target/screenshots/`.

use std::time::Duration;

use crate::helpers::browser::{Browser, bad_file_path, photo_path};
use crate::helpers::validator::html_errors;
use crate::helpers::{Backend, PASSWORD, TestApp, on_both_backends};

on_both_backends!(
    every_page_and_state_has_no_axe_violation_and_valid_html,
    the_keyboard_alone_registers_generates_and_opens_the_history,
);

const SIZES: [(u32, u32); 2] = [(1280, 900), (390, 844)];

/// Audits page states as they come, and reports everything found at the end.
struct Audit {
    backend: String,
    pages: Vec<(String, String)>,
    found: Vec<String>,
}

impl Audit {
    fn new(backend: Backend) -> Self {
        Audit {
            backend: format!("{backend:?}").to_lowercase(),
            pages: Vec::new(),
            found: Vec::new(),
        }
    }

    /// axe at both sizes, a screenshot at each, and the document kept for the validator.
    async fn check(&mut self, browser: &Browser, state: &str) {
        for (width, height) in SIZES {
            browser
                .client
                .set_window_size(width, height)
                .await
                .expect("resize");
            for violation in browser.axe_violations().await {
                self.found
                    .push(format!("{state} at {width}px: {violation}"));
            }
            browser
                .screenshot(&format!("a11y-{}-{state}-{width}", self.backend))
                .await;
        }
        browser
            .client
            .set_window_size(1280, 900)
            .await
            .expect("resize");
        self.pages
            .push((state.to_owned(), browser.dom_html().await));
    }

    /// A state of the browser without JavaScript: screenshots there, and its document audited
    /// by axe in `audited`, a JavaScript browser on the same site, with no script of the page
    /// run (axe itself needs JavaScript).
    async fn check_plain(
        &mut self,
        plain: &Browser,
        audited: &Browser,
        app: &TestApp,
        state: &str,
    ) {
        for (width, height) in SIZES {
            plain
                .client
                .set_window_size(width, height)
                .await
                .expect("resize");
            plain
                .screenshot(&format!("a11y-{}-{state}-{width}", self.backend))
                .await;
        }
        plain
            .client
            .set_window_size(1280, 900)
            .await
            .expect("resize");
        let inner = plain
            .client
            .execute("return document.documentElement.innerHTML;", vec![])
            .await
            .expect("innerHTML");
        audited
            .client
            .goto(&app.url("/no-such-page"))
            .await
            .expect("same site");
        // Scripts set through innerHTML do not run: the page is as the plain browser has it.
        audited
            .client
            .execute(
                "document.documentElement.innerHTML = arguments[0];",
                vec![inner],
            )
            .await
            .expect("copy the document");
        for (width, height) in SIZES {
            audited
                .client
                .set_window_size(width, height)
                .await
                .expect("resize");
            for violation in audited.axe_violations().await {
                self.found
                    .push(format!("{state} at {width}px: {violation}"));
            }
        }
        self.pages.push((state.to_owned(), plain.dom_html().await));
    }

    async fn visit(&mut self, browser: &Browser, app: &TestApp, path: &str, state: &str) {
        browser.client.goto(&app.url(path)).await.expect(path);
        browser.find("main").await;
        self.check(browser, state).await;
    }

    fn assert_clean(self) {
        let mut found = self.found;
        found.extend(html_errors(&self.pages));
        assert!(
            found.is_empty(),
            "{} problems:\n{}",
            found.len(),
            found.join("\n")
        );
    }
}

async fn choose(browser: &Browser, path: &str) {
    browser
        .find("#photo")
        .await
        .send_keys(path)
        .await
        .expect("choose file");
}

async fn every_page_and_state_has_no_axe_violation_and_valid_html(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut audit = Audit::new(backend);
    let browser = Browser::start().await;

    // A visitor.
    for (path, state) in [
        ("/", "home-visitor"),
        ("/login", "login"),
        ("/register", "register"),
        ("/plans", "plans-visitor"),
        ("/forgot-password", "forgot-password"),
        ("/reset-password?token=nope", "reset-link-invalid"),
        ("/verify-email?token=nope", "verify-link-invalid"),
        ("/no-such-page", "not-found"),
    ] {
        audit.visit(&browser, &app, path, state).await;
    }
    browser
        .client
        .goto(&app.url("/login"))
        .await
        .expect("login");
    browser.fill("#email", "nobody@example.com").await;
    browser.fill("#password", "wrong password").await;
    browser.click("form button[type=submit]").await;
    browser.find(".notice.error").await;
    audit.check(&browser, "login-error").await;
    browser
        .client
        .goto(&app.url("/register"))
        .await
        .expect("register");
    browser.fill("#name", "Audit Person").await;
    browser.fill("#email", "audit@").await;
    browser.fill("#password", "short").await;
    browser.click("form button[type=submit]").await;
    browser.find("#email-error").await;
    audit.check(&browser, "register-errors").await;

    // Signed in: the studio, a refused file, a result, an unreadable file after it.
    browser
        .register(&app, "Audit Person", "audit@example.com")
        .await;
    audit.check(&browser, "studio-welcome").await;
    choose(&browser, &bad_file_path("script.svg")).await;
    browser.find("#generate-feedback [role=alert]").await;
    audit.check(&browser, "studio-refused-file").await;
    choose(&browser, &photo_path("chelsea.png")).await;
    browser.find("#preview").await;
    audit.check(&browser, "studio-preview").await;
    browser.click("#generate-form button[type=submit]").await;
    browser.find("#result [data-testid=fursona-card]").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    audit.check(&browser, "studio-result").await;
    choose(&browser, &bad_file_path("png-then-html.png")).await;
    browser.click("#generate-form button[type=submit]").await;
    browser.find("#generate-feedback [role=alert]").await;
    assert!(
        browser
            .find("#result [data-testid=fursona-card]")
            .await
            .is_displayed()
            .await
            .expect("shown"),
        "an error leaves the result in place"
    );
    audit.check(&browser, "studio-error-after-result").await;
    browser
        .click("#result .share-panel form button[type=submit]")
        .await;
    let link = browser
        .find("#result .share-link input")
        .await
        .prop("value")
        .await
        .expect("value")
        .expect("a link");
    let share_path = link
        .strip_prefix("http://localhost:3001")
        .expect("APP_URL")
        .to_owned();

    audit.visit(&browser, &app, "/history", "history").await;
    browser.click("[data-testid=history-item] .tile-link").await;
    browser.find("h1.fursona-name").await;
    audit.check(&browser, "fursona").await;
    let fursona = browser
        .client
        .current_url()
        .await
        .expect("url")
        .path()
        .to_owned();
    audit
        .visit(
            &browser,
            &app,
            &format!("{fursona}/delete"),
            "confirm-delete",
        )
        .await;
    audit.visit(&browser, &app, &share_path, "share-page").await;
    audit
        .visit(&browser, &app, "/plans", "plans-signed-in")
        .await;
    audit
        .visit(&browser, &app, "/billing/success", "billing-waiting")
        .await;
    audit.visit(&browser, &app, "/account", "account").await;
    browser.fill("#current_password", "not the password").await;
    browser.fill("#new_password", "another password").await;
    browser
        .click("form[action='/account/password'] button")
        .await;
    browser.find("[data-testid=password-error]").await;
    audit.check(&browser, "account-error").await;

    // At the limit.
    app.sql_execute("UPDATE subscriptions SET generations_used = 5")
        .await;
    audit.visit(&browser, &app, "/", "studio-used-up").await;

    // Without JavaScript.
    let plain = Browser::without_javascript().await;
    plain.client.goto(&app.url("/")).await.expect("home");
    audit
        .check_plain(&plain, &browser, &app, "no-js-home-visitor")
        .await;
    plain
        .register(&app, "Plain Person", "plain@example.com")
        .await;
    audit
        .check_plain(&plain, &browser, &app, "no-js-studio")
        .await;
    choose(&plain, &bad_file_path("truncated.jpg")).await;
    plain.click("#generate-form button[type=submit]").await;
    plain.find("#generate-feedback [role=alert]").await;
    audit
        .check_plain(&plain, &browser, &app, "no-js-studio-error")
        .await;
    plain.close().await;
    browser.close().await;

    audit.assert_clean();
}

/// Presses Tab (or Shift+Tab) until `css` has the focus, checking the ring at every stop.
async fn tab_to(browser: &Browser, css: &str, backwards: bool) {
    for _ in 0..60 {
        if backwards {
            browser.press_shift_tab().await;
        } else {
            browser.press("\u{e004}").await;
        }
        let (name, ring) = browser.focus_ring().await;
        assert!(ring, "{name} has the focus without a visible ring");
        if browser.focused_is(css).await {
            return;
        }
    }
    panic!("Tab never reached {css}");
}

async fn the_keyboard_alone_registers_generates_and_opens_the_history(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&app.url("/register"))
        .await
        .expect("register");
    browser.find("main").await;

    // The skip link first, then straight into the form.
    tab_to(&browser, "a.skip-link", false).await;
    browser.press("\u{e007}").await;
    assert!(
        browser.focused_is("main").await,
        "the skip link moves the focus to the content"
    );
    tab_to(&browser, "#name", false).await;
    browser.press("Key Board").await;
    tab_to(&browser, "#email", false).await;
    browser.press("keys@example.com").await;
    tab_to(&browser, "#password", false).await;
    browser.press(PASSWORD).await;
    browser.press("\u{e007}").await;
    assert_eq!(browser.text("[data-testid=user-name]").await, "Key Board");

    // The studio: the photo control (a file chooser takes the path), then Space on the button.
    tab_to(&browser, "#photo", false).await;
    // The file chooser is the system's; WebDriver hands the focused input its file instead.
    browser
        .client
        .active_element()
        .await
        .expect("the file input")
        .send_keys(&photo_path("chelsea.png"))
        .await
        .expect("choose file");
    tab_to(&browser, "#generate-form button[type=submit]", false).await;
    browser.press(" ").await;
    browser.find("#result [data-testid=fursona-card]").await;
    for _ in 0..50 {
        if browser.focused_is("#result .fursona-name").await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        browser.focused_is("#result .fursona-name").await,
        "the new fursona's name has the focus"
    );
    let (name, ring) = browser.focus_ring().await;
    assert!(ring, "{name}: the focused name shows it");

    // Back up to the header's History link, and through it to the fursona's page.
    tab_to(&browser, "a[href='/history']", true).await;
    browser.press("\u{e007}").await;
    browser.find("[data-testid=history-item]").await;
    tab_to(&browser, "[data-testid=history-item] .tile-link", false).await;
    browser.press("\u{e007}").await;
    browser.find("h1.fursona-name").await;
    browser.close().await;
}
