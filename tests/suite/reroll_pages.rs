//! "Make it yours" on the pages: the lock toggles and "Re-roll the rest", and the edit form, as a
//! browser without JavaScript sends them (plain forms, CSRF token in the form) and as htmx does
//! (CSRF token in a header, the workbench swapped in place).

use reqwest::StatusCode;

use crate::helpers::pages::csrf_token;
use crate::helpers::{Backend, TestApp, fixture, image_part, on_both_backends};

on_both_backends!(
    the_fursona_page_offers_locks_rerolling_and_editing,
    rerolling_through_the_plain_form_lands_on_the_new_fursona_with_its_locks_on,
    rerolling_with_htmx_swaps_the_workbench_and_the_usage_counter,
    a_refused_reroll_is_explained_beside_the_button,
    editing_through_the_plain_form_saves_and_returns_to_the_page,
    an_invalid_edit_shows_each_problem_beside_its_field,
    editing_with_htmx_swaps_the_edited_workbench,
    the_forms_need_the_csrf_token,
);

const EMAIL: &str = "page-maker@example.com";

/// A signed-in browser with one fursona: its page's address, HTML and CSRF token.
async fn with_one(app: &TestApp) -> (String, String, String) {
    app.register_through_form(EMAIL).await;
    let token = csrf_token(&app.html("/").await);
    let response = app
        .generate_through_form(
            &token,
            image_part(fixture("photos/chelsea.webp"), "chelsea.webp"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let html = app.get_page(&location).await;
    (location, html, token)
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in the page"))
        + start.len();
    html[from..].split(end).next().expect("end")
}

/// The value attribute of the input with this id, as a browser reads it.
fn value_of(html: &str, input_id_prefix: &str) -> String {
    let tag = between(html, &format!("id=\"{input_id_prefix}"), ">");
    unescaped(between(tag, "value=\"", "\""))
}

/// Text as it was before the template escaped it.
fn unescaped(text: &str) -> String {
    text.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every field of the edit form, as the page filled it in, with `changes` applied.
fn edit_form(html: &str, token: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = vec![("csrf_token".to_owned(), token.to_owned())];
    let text = |prefix: &str| value_of(html, prefix);
    let area = |prefix: &str| {
        let element = between(html, &format!("id=\"{prefix}"), "</textarea>");
        unescaped(element.split_once('>').expect("textarea").1)
    };
    form.push(("name".into(), text("edit-name-")));
    form.push(("species".into(), text("edit-species-")));
    for row in 1..=6 {
        form.push((
            "swatch_hex".into(),
            text(&format!("edit-swatch-hex-{row}-")),
        ));
        form.push((
            "swatch_name".into(),
            text(&format!("edit-swatch-name-{row}-")),
        ));
        form.push((
            "swatch_where".into(),
            text(&format!("edit-swatch-where-{row}-")),
        ));
    }
    form.push(("markings".into(), area("edit-markings-")));
    form.push(("eye_color".into(), text("edit-eyes-")));
    for row in 1..=5 {
        form.push(("trait".into(), text(&format!("edit-trait-{row}-"))));
    }
    form.push(("backstory".into(), area("edit-backstory-")));
    for (key, value) in changes {
        let slot = form
            .iter_mut()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("{key} in the form"));
        slot.1 = (*value).to_owned();
    }
    form
}

async fn the_fursona_page_offers_locks_rerolling_and_editing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (location, html, _) = with_one(&app).await;
    let id = location.trim_start_matches("/fursonas/");
    assert!(html.contains(&format!("action=\"/fursonas/{id}/reroll\"")));
    assert!(html.contains(&format!("data-hx-post=\"/fursonas/{id}/reroll\"")));
    for field in [
        "name",
        "species",
        "palette",
        "markings",
        "eye_color",
        "personality",
        "backstory",
    ] {
        let toggle = format!("name=\"keep\" value=\"{field}\"");
        assert!(html.contains(&toggle), "a lock for {field}");
        // Each toggle has its label.
        assert!(
            html.contains(&format!("for=\"lock-{field}-{id}\"")),
            "{field} labelled"
        );
    }
    assert!(html.contains("Re-roll the rest"));
    assert!(html.contains(&format!("action=\"/fursonas/{id}/edit\"")));
    assert_eq!(
        html.matches("type=\"color\"").count(),
        6,
        "a picker per colour row"
    );
    assert!(html.contains(&format!("<label for=\"edit-name-{id}\">Name</label>")));
    // The portrait's address carries its version, so an edit shows at once.
    assert!(html.contains(&format!("/api/fursona/{id}/portrait.svg?v=")));
}

async fn rerolling_through_the_plain_form_lands_on_the_new_fursona_with_its_locks_on(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let (location, html, token) = with_one(&app).await;
    let species = between(&html, "<p class=\"kicker\">", "</p>").to_owned();
    let response = app
        .post_form(
            &format!("{location}/reroll"),
            &[
                ("csrf_token", token.as_str()),
                ("keep", "species"),
                ("keep", "palette"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let new = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(new.ends_with("?keep=species,palette"), "{new}");
    assert!(!new.starts_with(&location), "a new fursona");
    let page = app.get_page(&new).await;
    assert_eq!(between(&page, "<p class=\"kicker\">", "</p>"), species);
    let species_lock = between(&page, "value=\"species\"", ">");
    assert!(
        species_lock.contains("checked"),
        "the species lock stays on"
    );
    let name_lock = between(&page, "value=\"name\"", ">");
    assert!(!name_lock.contains("checked"));
    assert!(page.contains(&format!("Re-rolled from <a href=\"{location}\">")));
    assert!(page.contains("2 of 5 this month"));
}

async fn rerolling_with_htmx_swaps_the_workbench_and_the_usage_counter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (location, _, token) = with_one(&app).await;
    let response = app
        .client
        .post(app.url(&format!("{location}/reroll")))
        .header("hx-request", "true")
        .header("x-csrf-token", &token)
        .form(&[("keep", "name")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let pushed = response.headers()["hx-push-url"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        pushed.starts_with("/fursonas/") && pushed.ends_with("?keep=name"),
        "{pushed}"
    );
    let html = response.text().await.expect("html");
    assert!(!html.contains("<html"), "a fragment");
    assert!(html.contains("class=\"workbench\""));
    assert!(
        html.contains("2 of 5 this month"),
        "the usage counter follows"
    );
    assert!(html.contains("hx-swap-oob"));
    let new_id = pushed
        .trim_start_matches("/fursonas/")
        .split('?')
        .next()
        .expect("id");
    assert!(html.contains(&format!("id=\"workbench-{new_id}\"")));
}

async fn a_refused_reroll_is_explained_beside_the_button(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (location, _, token) = with_one(&app).await;
    app.sql_execute("UPDATE subscriptions SET generations_used = 5")
        .await;
    let response = app
        .post_form(
            &format!("{location}/reroll"),
            &[("csrf_token", token.as_str()), ("keep", "name")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYMENT_REQUIRED);
    let html = response.text().await.expect("html");
    assert!(
        html.contains("You&#x27;ve used this month&#x27;s fursonas")
            || html.contains("You've used this month's fursonas"),
        "{html}"
    );
    assert!(html.contains("href=\"/plans\""));
    let name_lock = between(&html, "value=\"name\"", ">");
    assert!(name_lock.contains("checked"), "the locks are as they were");

    // An unknown field is refused, and nothing is charged.
    app.sql_execute("UPDATE subscriptions SET generations_used = 1")
        .await;
    let response = app
        .post_form(
            &format!("{location}/reroll"),
            &[("csrf_token", token.as_str()), ("keep", "wings")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));
}

async fn editing_through_the_plain_form_saves_and_returns_to_the_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (location, html, token) = with_one(&app).await;
    let form = edit_form(
        &html,
        &token,
        &[
            ("name", "Quill Ashby"),
            ("swatch_hex", "#123456"),
            ("trait", "patient"),
        ],
    );
    let response = app.post_form(&format!("{location}/edit"), &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], location.as_str());
    let page = app.get_page(&location).await;
    assert!(page.contains("<h1 class=\"fursona-name\" tabindex=\"-1\">Quill Ashby</h1>"));
    assert!(page.contains("<code>#123456</code>"));
    assert!(page.contains("<li>patient</li>"));
    assert!(page.contains("Edited by hand on"));
    assert_eq!(
        app.usage_and_results(EMAIL).await,
        (1, 1),
        "editing is free"
    );
}

async fn an_invalid_edit_shows_each_problem_beside_its_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (location, html, token) = with_one(&app).await;
    let name = between(
        &html,
        "<h1 class=\"fursona-name\" tabindex=\"-1\">",
        "</h1>",
    )
    .to_owned();
    let long = "x".repeat(81);
    let form = edit_form(&html, &token, &[("name", " "), ("species", &long)]);
    let response = app.post_form(&format!("{location}/edit"), &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.expect("html");
    let name_field = between(&page, "<label for=\"edit-name-", "</div>");
    assert!(name_field.contains("aria-invalid=\"true\""), "{name_field}");
    assert!(name_field.contains("Fill this in."), "{name_field}");
    let species_field = between(&page, "<label for=\"edit-species-", "</div>");
    assert!(
        species_field.contains("Keep this to 80 characters or fewer."),
        "{species_field}"
    );
    assert!(
        species_field.contains(&long),
        "what was sent is kept in the form"
    );
    assert!(page.contains("<details class=\"edit\" open>"));
    // Nothing changed.
    let page = app.get_page(&location).await;
    assert!(page.contains(&format!(
        "<h1 class=\"fursona-name\" tabindex=\"-1\">{name}</h1>"
    )));
    assert!(!page.contains("Edited by hand on"));
}

async fn editing_with_htmx_swaps_the_edited_workbench(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (location, html, token) = with_one(&app).await;
    let before = between(&html, "portrait.svg?v=", "\"").to_owned();
    let mut form = edit_form(&html, &token, &[("name", "Juniper")]);
    form.retain(|(k, _)| k != "csrf_token");
    let response = app
        .client
        .post(app.url(&format!("{location}/edit")))
        .header("hx-request", "true")
        .header("x-csrf-token", &token)
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let fragment = response.text().await.expect("html");
    assert!(!fragment.contains("<html"));
    assert!(fragment.contains("<h2 class=\"fursona-name\" tabindex=\"-1\">Juniper</h2>"));
    let after = between(&fragment, "portrait.svg?v=", "\"");
    assert_ne!(
        after, before,
        "the portrait's address changes with the edit"
    );

    // An invalid edit through htmx: the workbench again, with the problem, and 422.
    let mut form = edit_form(&html, &token, &[("trait", "")]);
    form.retain(|(k, _)| k != "csrf_token" && k != "trait");
    form.push(("trait".into(), "only".into()));
    let response = app
        .client
        .post(app.url(&format!("{location}/edit")))
        .header("hx-request", "true")
        .header("x-csrf-token", &token)
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fragment = response.text().await.expect("html");
    assert!(
        fragment.contains("List 3 to 5 traits; there are 1."),
        "{fragment}"
    );
    assert!(!fragment.contains("<html"));
}

async fn the_forms_need_the_csrf_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (location, html, token) = with_one(&app).await;
    let mut form = edit_form(&html, &token, &[("name", "Sneaky")]);
    form.retain(|(k, _)| k != "csrf_token");
    let response = app.post_form(&format!("{location}/edit"), &form).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app
        .post_form(&format!("{location}/reroll"), &[("keep", "name")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.usage_and_results(EMAIL).await, (1, 1));
    assert!(!app.get_page(&location).await.contains("Sneaky"));
}
