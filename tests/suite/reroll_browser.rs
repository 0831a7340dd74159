//! Lock and re-roll in a real browser: htmx swaps the new fursona in place, the kept field stays
//! and stays locked, the address and the usage counter follow. Screenshots of the result with
//! its forms, on a desktop and a phone, go to `target/screenshots/`.

use std::time::Duration;

use crate::helpers::browser::{Browser, photo_path};
use crate::helpers::{Backend, TestApp, on_both_backends};

on_both_backends!(locking_the_species_and_rerolling_keeps_it_in_a_real_browser);

async fn locking_the_species_and_rerolling_keeps_it_in_a_real_browser(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::start().await;
    let name = format!("{backend:?}").to_lowercase();
    browser
        .register(&app, "Lock Person", "locks@example.com")
        .await;
    browser
        .find("#photo")
        .await
        .send_keys(&photo_path("chelsea.png"))
        .await
        .expect("choose file");
    browser.click("#generate-form button[type=submit]").await;
    let first = browser.find("#result [data-testid=workbench]").await;
    let first_id = first.attr("id").await.expect("attr").expect("id");
    let species = browser.text("#result .kicker").await;
    browser
        .screenshot(&format!("make-it-yours-result-{name}"))
        .await;

    browser.click("#result label[for^=lock-species-]").await;
    browser
        .click("#result form.reroll button[type=submit]")
        .await;
    // The new workbench replaces the old one in place.
    let mut swapped = None;
    for _ in 0..100 {
        // Read in the page: an element found before the swap may be gone by the time it is read.
        let id = browser
            .client
            .execute(
                "const w = document.querySelector('#result [data-testid=workbench]'); \
                 return w ? w.id : null;",
                vec![],
            )
            .await
            .expect("script");
        if let Some(id) = id.as_str().filter(|id| *id != first_id) {
            swapped = Some(id.to_owned());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let new_id = swapped.expect("the re-rolled fursona was swapped in");
    assert_eq!(
        browser.text("#result .kicker").await,
        species,
        "the species is kept"
    );
    let lock = browser.find("#result input[value=species]").await;
    assert!(
        lock.is_selected().await.expect("checked"),
        "and stays locked"
    );
    assert_eq!(browser.text("#usage-counter").await, "2 of 5 this month");
    let url = browser.client.current_url().await.expect("url");
    assert_eq!(
        url.path(),
        format!("/fursonas/{}", new_id.trim_start_matches("workbench-")),
        "the address names the new fursona"
    );
    assert!(
        browser.image_loaded("#result .portrait").await,
        "its portrait loads"
    );

    // The edit form opens with a picker per colour.
    browser.click("#result details.edit summary").await;
    browser.find("#result .edit-form input[type=color]").await;
    browser
        .screenshot(&format!("make-it-yours-locks-{name}"))
        .await;
    scroll_to(&browser, ".edit-form").await;
    browser
        .screenshot(&format!("make-it-yours-edit-{name}"))
        .await;
    browser
        .client
        .set_window_size(390, 844)
        .await
        .expect("resize");
    browser.client.goto(url.as_str()).await.expect("reload");
    browser.find("[data-testid=workbench]").await;
    scroll_to(&browser, ".make-it-yours").await;
    browser
        .screenshot(&format!("make-it-yours-phone-{name}"))
        .await;
    browser.click("details.edit summary").await;
    scroll_to(&browser, ".palette-edit").await;
    browser
        .screenshot(&format!("make-it-yours-phone-edit-{name}"))
        .await;
    browser.close().await;
}

async fn scroll_to(browser: &Browser, css: &str) {
    browser
        .client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView()",
            vec![serde_json::json!(css)],
        )
        .await
        .expect("scroll");
}
