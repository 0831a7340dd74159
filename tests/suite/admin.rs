//! The admin console: 404 for everyone but administrators, search and paging, each change and its
//! audit row, disabled accounts refused and restored, plan changes against Stripe, statistics,
//! and the pages with their CSRF-checked forms.

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::helpers::browser::Browser;
use crate::helpers::openai::{api_error, app_with_fake_openai, ok_response};
use crate::helpers::pages::{csrf_token, html_at, log_in_through_form};
use crate::helpers::stripe::{
    PRICE_BASIC, SUBSCRIPTION, app_with_stripe, event, fake_stripe_cancelling, now, sent,
    subscription,
};
use crate::helpers::{Backend, PASSWORD, TestApp, client, error_code, json, on_both_backends};

on_both_backends!(
    everything_admin_answers_what_an_unknown_path_does_to_anyone_not_an_administrator,
    accounts_are_searched_by_email_or_name_and_paged_newest_first,
    each_change_answers_the_account_and_writes_its_audit_row,
    bad_changes_are_refused_and_change_nothing,
    a_disabled_account_is_refused_everywhere_until_enabled_and_keeps_its_data,
    a_stripe_managed_plan_changes_only_when_forced_and_deletion_cancels_stripe_first,
    administrators_cannot_disable_or_delete_themselves,
    stats_count_generations_by_engine_and_failures_given_back,
    the_pages_change_an_account_with_the_csrf_token_and_show_it_in_the_audit_log,
    the_last_seen_time_is_written_at_sign_in_and_at_most_hourly,
    an_administrator_finds_an_account_changes_its_plan_and_sees_it_in_the_log_in_a_browser,
);

const ADMIN: &str = "boss@example.com";

async fn id_of(app: &TestApp, token: &str) -> String {
    app.user_id(token).await
}

/// A browser-like client signed in through the login form.
async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let browser = client();
    let response = log_in_through_form(&browser, &app.address, email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email} signs in");
    browser
}

async fn everything_admin_answers_what_an_unknown_path_does_to_anyone_not_an_administrator(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let normal = app.register("normal@example.com").await;
    let target = id_of(&app, &normal).await;
    app.register("fallen@example.com").await;
    let fallen_browser = signed_in(&app, "fallen@example.com").await;
    let fallen = json(app.login("fallen@example.com", PASSWORD).await).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    // An administrator once, now disabled: no more than anyone else.
    app.sql_execute(
        "UPDATE users SET admin = TRUE, disabled = TRUE WHERE email = 'fallen@example.com'",
    )
    .await;
    let unknown_api = app.get("/api/no-such-thing").await;
    assert_eq!(unknown_api.status(), StatusCode::NOT_FOUND);
    let unknown_api = unknown_api.text().await.expect("body");

    let api_paths = [
        ("GET", "/api/admin/users".to_owned()),
        ("GET", "/api/admin/users?q=x&limit=0".to_owned()),
        ("GET", format!("/api/admin/users/{target}")),
        ("PATCH", format!("/api/admin/users/{target}")),
        ("DELETE", format!("/api/admin/users/{target}")),
        ("POST", format!("/api/admin/users/{target}/reset-usage")),
        ("GET", "/api/admin/users/not-an-id".to_owned()),
        ("GET", "/api/admin/stats".to_owned()),
        // A method no route takes would be a 405 for an administrator.
        ("PUT", "/api/admin/stats".to_owned()),
        ("GET", "/api/admin/audit".to_owned()),
        ("GET", "/api/admin/nothing-here".to_owned()),
    ];
    for token in [
        None,
        Some(normal.as_str()),
        Some(fallen.as_str()),
        Some("junk"),
    ] {
        for (verb, path) in &api_paths {
            let mut request = app
                .client
                .request(verb.parse().expect("method"), app.url(path))
                .json(&json!({"plan": "pro", "disabled": true}));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.expect("request");
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{verb} {path}");
            assert_eq!(
                response.text().await.expect("body"),
                unknown_api,
                "{verb} {path}"
            );
        }
    }
    // Nothing was changed by any of it.
    let me = json(app.me(&normal).await).await;
    assert_eq!(me["subscription"]["plan_type"], "free");
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM admin_audit").await,
        0
    );

    let unknown_page = html_at(&client(), &app.url("/no-such-page")).await;
    let normal_browser = signed_in(&app, "normal@example.com").await;
    let page_paths = [
        ("GET", "/admin".to_owned()),
        ("GET", "/admin/users?q=normal".to_owned()),
        ("GET", format!("/admin/users/{target}")),
        ("GET", "/admin/audit".to_owned()),
        // Without a CSRF token: not a 403, which would tell the route exists.
        ("POST", format!("/admin/users/{target}/plan")),
        ("POST", format!("/admin/users/{target}/delete")),
        ("DELETE", "/admin".to_owned()),
    ];
    for browser in [client(), normal_browser, fallen_browser] {
        for (verb, path) in &page_paths {
            let response = browser
                .request(verb.parse().expect("method"), app.url(path))
                .form(&[("plan", "pro"), ("confirm", "yes")])
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{verb} {path}");
            assert_eq!(
                response.text().await.expect("body"),
                unknown_page,
                "{verb} {path}"
            );
        }
    }
    assert_eq!(app.sql_scalar_i64("SELECT COUNT(*) FROM users").await, 2);
}

async fn accounts_are_searched_by_email_or_name_and_paged_newest_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token(ADMIN).await;
    for email in [
        "alice@example.com",
        "bob@example.com",
        "carol@alice.test",
        "100%@example.com",
    ] {
        app.register(email).await;
    }
    let page = json(app.admin_users(&admin, "").await).await;
    let emails: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["email"].as_str().expect("email"))
        .collect();
    assert_eq!(
        emails,
        [
            "100%@example.com",
            "carol@alice.test",
            "bob@example.com",
            "alice@example.com",
            ADMIN
        ],
        "newest first"
    );
    assert_eq!(page["next_cursor"], Value::Null);
    let bob = &page["items"][2];
    for field in [
        "id",
        "email",
        "name",
        "plan",
        "status",
        "generations_used",
        "generations_limit",
        "fursonas",
        "created_at",
        "last_seen_at",
        "disabled",
        "admin",
    ] {
        assert!(bob.get(field).is_some(), "{field} missing from {bob}");
    }
    assert_eq!(bob["plan"], "free");
    assert_eq!(bob["generations_limit"], 5);
    assert_eq!(bob["fursonas"], 0);
    assert_eq!(bob["admin"], false);
    assert_eq!(page["items"][4]["admin"], true);

    let found = json(app.admin_users(&admin, "q=ALICE").await).await;
    let found: Vec<&str> = found["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["email"].as_str().expect("email"))
        .collect();
    assert_eq!(found, ["carol@alice.test", "alice@example.com"]);
    // The name matches too ("Test User" for every registered account).
    let by_name = json(app.admin_users(&admin, "q=test%20us").await).await;
    assert_eq!(by_name["items"].as_array().expect("items").len(), 5);
    // Wildcards are letters like any other.
    let literal = json(app.admin_users(&admin, "q=100%25").await).await;
    assert_eq!(literal["items"].as_array().expect("items").len(), 1);
    let underscore = json(app.admin_users(&admin, "q=_").await).await;
    assert_eq!(underscore["items"].as_array().expect("items").len(), 0);

    let mut seen = Vec::new();
    let mut query = "limit=2".to_owned();
    loop {
        let page = json(app.admin_users(&admin, &query).await).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|a| a["email"].as_str().expect("email").to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, emails, "the pages, in order, are the whole list");

    let one = json(
        app.admin_user(&admin, bob["id"].as_str().expect("id"))
            .await,
    )
    .await;
    assert_eq!(one["email"], "bob@example.com");
    for bad in ["limit=0", "limit=101", "cursor=nope"] {
        let response = app.admin_users(&admin, bad).await;
        assert_eq!(
            error_code(response, StatusCode::UNPROCESSABLE_ENTITY).await,
            "invalid_body"
        );
    }
    let missing = app
        .admin_user(&admin, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
        .await;
    assert_eq!(
        error_code(missing, StatusCode::NOT_FOUND).await,
        "not_found"
    );
}

async fn each_change_answers_the_account_and_writes_its_audit_row(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token(ADMIN).await;
    let member = app.register("member@example.com").await;
    let id = id_of(&app, &member).await;

    let changed = app.admin_change(&admin, &id, &json!({"plan": "pro"})).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed = json(changed).await;
    assert_eq!(changed["plan"], "pro");
    assert_eq!(
        changed["generations_limit"],
        Value::Null,
        "the plan's allowance"
    );
    assert_eq!(
        json(app.me(&member).await).await["subscription"]["plan_type"],
        "pro"
    );

    let custom = json(
        app.admin_change(&admin, &id, &json!({"generations_limit": 7}))
            .await,
    )
    .await;
    assert_eq!(custom["generations_limit"], 7);
    assert_eq!(custom["plan"], "pro");

    app.sql_execute("UPDATE subscriptions SET generations_used = 3")
        .await;
    let reset = app.admin_reset_usage(&admin, &id).await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(json(reset).await["generations_used"], 0);

    let unlimited = json(
        app.admin_change(&admin, &id, &json!({"generations_limit": null}))
            .await,
    )
    .await;
    assert_eq!(unlimited["generations_limit"], Value::Null);
    // Unchanged values write nothing.
    let same = app
        .admin_change(&admin, &id, &json!({"plan": "pro", "disabled": false}))
        .await;
    assert_eq!(same.status(), StatusCode::OK);

    let audit = app.admin_audit(&admin, "").await;
    let rows: Vec<(String, String, String)> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|row| {
            assert_eq!(row["admin_email"], ADMIN);
            assert_eq!(row["target_email"], "member@example.com");
            assert_eq!(row["target_id"], id.as_str());
            assert!(
                row["at"].as_str().is_some_and(|at| at.ends_with('Z')),
                "{row}"
            );
            (
                row["action"].as_str().expect("action").to_owned(),
                row["old_value"].as_str().expect("old").to_owned(),
                row["new_value"].as_str().expect("new").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("generations_limit", "7", "unlimited"),
        ("reset_usage", "3", "0"),
        ("generations_limit", "unlimited", "7"),
        ("generations_limit", "5", "unlimited"),
        ("plan", "free", "pro"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, o, n)| ((*a).to_owned(), (*o).to_owned(), (*n).to_owned()))
        .collect();
    assert_eq!(rows, expected, "newest first");

    let first = app.admin_audit(&admin, "limit=2").await;
    assert_eq!(first["items"].as_array().expect("items").len(), 2);
    let cursor = first["next_cursor"].as_i64().expect("a next page");
    let rest = app.admin_audit(&admin, &format!("cursor={cursor}")).await;
    assert_eq!(rest["items"].as_array().expect("items").len(), 3);
    assert_eq!(rest["items"][2]["action"], "plan");
    assert_eq!(rest["next_cursor"], Value::Null);
}

async fn bad_changes_are_refused_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token(ADMIN).await;
    let member = app.register("member@example.com").await;
    let id = id_of(&app, &member).await;
    for body in [
        json!({"plan": "gold"}),
        json!({"generations_limit": -1}),
        json!({"generations_limit": 1_000_001}),
        json!({"disabled": "yes"}),
    ] {
        let response = app.admin_change(&admin, &id, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    let not_an_object = app.admin_change(&admin, &id, &json!([1, 2])).await;
    assert_eq!(not_an_object.status(), StatusCode::BAD_REQUEST);
    let account = json(app.admin_user(&admin, &id).await).await;
    assert_eq!(account["plan"], "free");
    assert_eq!(account["generations_limit"], 5);
    assert_eq!(account["disabled"], false);
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM admin_audit").await,
        0
    );
    let nobody = app
        .admin_change(
            &admin,
            "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            &json!({"plan": "pro"}),
        )
        .await;
    assert_eq!(error_code(nobody, StatusCode::NOT_FOUND).await, "not_found");
}

async fn a_disabled_account_is_refused_everywhere_until_enabled_and_keeps_its_data(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token(ADMIN).await;
    let member = app.register("member@example.com").await;
    let id = id_of(&app, &member).await;
    assert_eq!(app.generate(&member).await.status(), StatusCode::CREATED);
    let browser = signed_in(&app, "member@example.com").await;
    assert_eq!(
        browser
            .get(app.url("/account"))
            .send()
            .await
            .expect("page")
            .status(),
        StatusCode::OK
    );

    let disabled = json(
        app.admin_change(&admin, &id, &json!({"disabled": true}))
            .await,
    )
    .await;
    assert_eq!(disabled["disabled"], true);

    // The token, at once.
    let refused = app.me(&member).await;
    assert_eq!(
        error_code(refused, StatusCode::FORBIDDEN).await,
        "account_disabled"
    );
    // The page session, at once: signed out.
    let page = browser.get(app.url("/account")).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()["location"], "/login?next=%2Faccount");
    // Signing in, with the right password, on either door.
    let login = app.login("member@example.com", PASSWORD).await;
    assert_eq!(
        error_code(login, StatusCode::FORBIDDEN).await,
        "account_disabled"
    );
    let form = log_in_through_form(&client(), &app.address, "member@example.com", PASSWORD).await;
    assert_eq!(form.status(), StatusCode::FORBIDDEN);
    assert!(
        form.text()
            .await
            .expect("html")
            .contains("This account has been disabled"),
        "the login page says why"
    );
    // A wrong password says only that.
    let wrong = app.login("member@example.com", "not the password").await;
    assert_eq!(
        error_code(wrong, StatusCode::UNAUTHORIZED).await,
        "invalid_credentials"
    );

    // The data stays.
    let (used, stored) = app.usage_and_results("member@example.com").await;
    assert_eq!((used, stored), (1, 1));
    let stats = app.admin_stats(&admin).await;
    assert_eq!(stats["accounts"]["disabled"], 1);

    let enabled = json(
        app.admin_change(&admin, &id, &json!({"disabled": false}))
            .await,
    )
    .await;
    assert_eq!(enabled["disabled"], false);
    let login = app.login("member@example.com", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK);
    let token = json(login).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let history = json(app.history(&token, "").await).await;
    assert_eq!(history["items"].as_array().expect("items").len(), 1);
    let browser = signed_in(&app, "member@example.com").await;
    assert_eq!(
        browser
            .get(app.url("/account"))
            .send()
            .await
            .expect("page")
            .status(),
        StatusCode::OK
    );
    // Tokens from before the disabling stay revoked, as after a password change.
    assert_eq!(app.me(&member).await.status(), StatusCode::UNAUTHORIZED);

    let actions: Vec<Value> = app.admin_audit(&admin, "").await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|row| row["action"].clone())
        .collect();
    assert_eq!(actions, [json!("enable"), json!("disable")]);
}

async fn a_stripe_managed_plan_changes_only_when_forced_and_deletion_cancels_stripe_first(
    backend: Backend,
) {
    let stripe = fake_stripe_cancelling(200).await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let admin = app.admin_token(ADMIN).await;
    let payer = app.register("payer@example.com").await;
    let id = id_of(&app, &payer).await;
    app.link_stripe_customer(&payer).await;
    let created = event(
        "evt_sub",
        "customer.subscription.created",
        now() - 90,
        subscription(PRICE_BASIC, "active", json!({})),
    );
    assert_eq!(app.deliver(&created).await.status(), StatusCode::OK);
    let account = json(app.admin_user(&admin, &id).await).await;
    assert_eq!(account["plan"], "basic");
    assert_eq!(account["stripe_managed"], true);

    let stats = app.admin_stats(&admin).await;
    assert_eq!(stats["paying"]["basic"], 1);
    assert_eq!(stats["paying"]["pro"], 0);
    assert_eq!(stats["monthly_recurring_revenue"]["amount"], 999);
    assert_eq!(stats["monthly_recurring_revenue"]["currency"], "usd");

    let refused = app.admin_change(&admin, &id, &json!({"plan": "pro"})).await;
    assert_eq!(
        error_code(refused, StatusCode::CONFLICT).await,
        "stripe_managed"
    );
    assert_eq!(
        json(app.admin_user(&admin, &id).await).await["plan"],
        "basic"
    );
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM admin_audit").await,
        0
    );
    // The allowance is not Stripe's: no force needed.
    let limit = app
        .admin_change(&admin, &id, &json!({"generations_limit": 60}))
        .await;
    assert_eq!(limit.status(), StatusCode::OK);

    let forced = app
        .admin_change(&admin, &id, &json!({"plan": "pro", "force": true}))
        .await;
    assert_eq!(forced.status(), StatusCode::OK);
    assert_eq!(json(forced).await["plan"], "pro");

    let deleted = app.admin_delete(&admin, &id).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        sent(&stripe, &format!("/v1/subscriptions/{SUBSCRIPTION}"))
            .await
            .len(),
        1,
        "the subscription was cancelled"
    );
    assert_eq!(
        error_code(app.admin_user(&admin, &id).await, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM users WHERE email = 'payer@example.com'")
            .await,
        0
    );
    let audit = app.admin_audit(&admin, "").await;
    assert_eq!(audit["items"][0]["action"], "delete");
    assert_eq!(audit["items"][0]["target_email"], "payer@example.com");
    assert_eq!(audit["items"][0]["old_value"], "pro");
}

async fn administrators_cannot_disable_or_delete_themselves(backend: Backend) {
    let stripe = fake_stripe_cancelling(502).await;
    let app = app_with_stripe(backend, Some(stripe.uri())).await;
    let admin = app.admin_token(ADMIN).await;
    let own = id_of(&app, &admin).await;
    let refused = app
        .admin_change(&admin, &own, &json!({"disabled": true}))
        .await;
    assert_eq!(
        error_code(refused, StatusCode::CONFLICT).await,
        "own_account"
    );
    let refused = app.admin_delete(&admin, &own).await;
    assert_eq!(
        error_code(refused, StatusCode::CONFLICT).await,
        "own_account"
    );
    // Their own plan is theirs to change.
    let plan = app
        .admin_change(&admin, &own, &json!({"plan": "pro"}))
        .await;
    assert_eq!(plan.status(), StatusCode::OK);
    assert_eq!(json(app.me(&admin).await).await["user"]["email"], ADMIN);

    let browser = signed_in(&app, ADMIN).await;
    let page = app
        .get_page_as(&browser, &format!("/admin/users/{own}"))
        .await;
    assert!(
        !page.contains("Disable the account"),
        "no button that cannot work"
    );
    assert!(page.contains("This is your own account"));
    let token = csrf_token(&page);
    let response = app
        .post_form_as(
            &browser,
            &format!("/admin/users/{own}/disabled"),
            &[("csrf_token", token.as_str()), ("disabled", "true")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("cannot disable or delete")
    );

    // Stripe refusing the cancellation deletes nothing.
    let payer = app.register("payer@example.com").await;
    let payer_id = id_of(&app, &payer).await;
    app.link_stripe_customer(&payer).await;
    let created = event(
        "evt_sub",
        "customer.subscription.created",
        now() - 90,
        subscription(PRICE_BASIC, "active", json!({})),
    );
    assert_eq!(app.deliver(&created).await.status(), StatusCode::OK);
    let failed = app.admin_delete(&admin, &payer_id).await;
    assert_eq!(
        error_code(failed, StatusCode::BAD_GATEWAY).await,
        "payment_service_error"
    );
    assert_eq!(
        app.admin_user(&admin, &payer_id).await.status(),
        StatusCode::OK
    );
    let audit = app.admin_audit(&admin, "").await;
    assert_eq!(
        audit["items"].as_array().expect("items").len(),
        2,
        "the plan, twice"
    );
}

async fn stats_count_generations_by_engine_and_failures_given_back(backend: Backend) {
    let server = MockServer::start().await;
    let app = app_with_fake_openai(backend, &server).await;
    let admin = app.admin_token(ADMIN).await;
    let member = app.register("member@example.com").await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(api_error(401, "invalid_request_error", "invalid_api_key"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ok_response())
        .mount(&server)
        .await;
    let failed = app.generate(&member).await;
    assert_eq!(failed.status(), StatusCode::BAD_GATEWAY);
    for _ in 0..2 {
        assert_eq!(app.generate(&member).await.status(), StatusCode::CREATED);
    }

    let stats = app.admin_stats(&admin).await;
    assert_eq!(stats["accounts"]["total"], 2);
    assert_eq!(stats["accounts"]["new_last_7_days"], 2);
    assert_eq!(stats["accounts"]["disabled"], 0);
    assert_eq!(stats["generations"]["today"], 2);
    assert_eq!(stats["generations"]["this_month"], 2);
    assert_eq!(stats["generations"]["by_engine"], json!({"openai": 2}));
    assert_eq!(stats["generations"]["failures_given_back"], 1);
    assert_eq!(stats["paying"], json!({"basic": 0, "pro": 0}));
    assert_eq!(stats["monthly_recurring_revenue"]["amount"], 0);
    let days = stats["per_day"].as_array().expect("per_day");
    assert_eq!(days.len(), 30);
    assert_eq!(days[29]["count"], 2, "today is last");
    assert!(days[..29].iter().all(|d| d["count"] == 0));
    let listed = json(app.admin_users(&admin, "q=member").await).await;
    assert_eq!(listed["items"][0]["fursonas"], 2);
    assert_eq!(listed["items"][0]["generations_used"], 2);

    // A month later, this month's counts start again; the chart still has the old days.
    app.clock.advance(time::Duration::days(31));
    let later = app.admin_stats(&admin).await;
    assert_eq!(later["generations"]["this_month"], 0);
    assert_eq!(later["generations"]["failures_given_back"], 0);
    assert_eq!(later["accounts"]["new_last_7_days"], 0);
    assert_eq!(later["per_day"][29]["count"], 0);
}

async fn the_pages_change_an_account_with_the_csrf_token_and_show_it_in_the_audit_log(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    app.admin_token(ADMIN).await;
    let member = app.register("member@example.com").await;
    let id = id_of(&app, &member).await;
    assert_eq!(app.generate(&member).await.status(), StatusCode::CREATED);
    let browser = signed_in(&app, ADMIN).await;

    let home = app.get_page_as(&browser, "/").await;
    assert!(
        home.contains("href=\"/admin\""),
        "administrators see the console in the nav"
    );
    let dashboard = app.get_page_as(&browser, "/admin").await;
    assert!(dashboard.contains("<svg class=\"chart\""));
    assert_eq!(dashboard.matches("class=\"chart-bar\"").count(), 30);
    assert!(
        dashboard.contains(": 1 generation<"),
        "today's bar says its count"
    );
    assert!(dashboard.contains("data-testid=\"stat-accounts\">2<"));

    let list = app.get_page_as(&browser, "/admin/users?q=MEMBER").await;
    assert!(list.contains(&format!("/admin/users/{id}")));
    assert!(!list.contains(&format!("{ADMIN}</a>")), "only the match");
    let page = app
        .get_page_as(&browser, &format!("/admin/users/{id}"))
        .await;
    assert!(page.contains("1 of 5"));
    let token = csrf_token(&page);

    let forged = app
        .post_form_as(
            &browser,
            &format!("/admin/users/{id}/plan"),
            &[("plan", "pro")],
        )
        .await;
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "an administrator's form needs its token"
    );
    let changed = app
        .post_form_as(
            &browser,
            &format!("/admin/users/{id}/plan"),
            &[("csrf_token", token.as_str()), ("plan", "basic")],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let location = changed.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(location, format!("/admin/users/{id}?saved=plan"));
    let page = app.get_page_as(&browser, &location).await;
    assert!(page.contains("The plan was changed."));
    assert!(page.contains("1 of 50"));

    for (path, fields, saved) in [
        ("allowance", vec![("generations_limit", "12")], "1 of 12"),
        ("reset-usage", vec![], "0 of 12"),
        (
            "disabled",
            vec![("disabled", "true")],
            "signed out everywhere",
        ),
    ] {
        let mut form = vec![("csrf_token", token.as_str())];
        form.extend(fields);
        let response = app
            .post_form_as(&browser, &format!("/admin/users/{id}/{path}"), &form)
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        let location = response.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(
            app.get_page_as(&browser, &location).await.contains(saved),
            "{path}"
        );
    }
    let refused = app
        .post_form_as(
            &browser,
            &format!("/admin/users/{id}/allowance"),
            &[
                ("csrf_token", token.as_str()),
                ("generations_limit", "lots"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.expect("html").contains("whole number"));

    let audit = app.get_page_as(&browser, "/admin/audit").await;
    for text in [
        "disable",
        "reset usage",
        "generations limit",
        "plan",
        "member@example.com",
        ADMIN,
    ] {
        assert!(audit.contains(text), "{text} missing from the audit page");
    }
    let unconfirmed = app
        .post_form_as(
            &browser,
            &format!("/admin/users/{id}/delete"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let deleted = app
        .post_form_as(
            &browser,
            &format!("/admin/users/{id}/delete"),
            &[("csrf_token", token.as_str()), ("confirm", "yes")],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(deleted.headers()["location"], "/admin/users");
    assert_eq!(
        app.sql_scalar_i64("SELECT COUNT(*) FROM fursonas").await,
        0,
        "its fursonas went with it"
    );
}

async fn the_last_seen_time_is_written_at_sign_in_and_at_most_hourly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token(ADMIN).await;
    let member = app.register("member@example.com").await;
    let id = id_of(&app, &member).await;
    let seen = |account: Value| account["last_seen_at"].as_str().expect("seen").to_owned();
    let first = seen(json(app.admin_user(&admin, &id).await).await);

    app.clock.advance(time::Duration::minutes(30));
    assert_eq!(app.me(&member).await.status(), StatusCode::OK);
    assert_eq!(
        seen(json(app.admin_user(&admin, &id).await).await),
        first,
        "not yet"
    );

    app.clock.advance(time::Duration::minutes(31));
    assert_eq!(app.me(&member).await.status(), StatusCode::OK);
    let second = seen(json(app.admin_user(&admin, &id).await).await);
    assert!(second > first, "{second} after {first}");

    app.clock.advance(time::Duration::hours(2));
    signed_in(&app, "member@example.com").await;
    let third = seen(json(app.admin_user(&admin, &id).await).await);
    assert!(third > second, "signing in counts");
}

/// Screenshots of a console page at a desktop's and a phone's size.
async fn screenshots(browser: &Browser, name: &str) {
    for (width, height) in [(1280, 900), (390, 844)] {
        browser
            .client
            .set_window_size(width, height)
            .await
            .expect("resize");
        browser.screenshot(&format!("admin-{name}-{width}")).await;
    }
    browser
        .client
        .set_window_size(1280, 900)
        .await
        .expect("resize");
}

async fn an_administrator_finds_an_account_changes_its_plan_and_sees_it_in_the_log_in_a_browser(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let member = app.register("fennec@example.com").await;
    for _ in 0..2 {
        assert_eq!(app.generate(&member).await.status(), StatusCode::CREATED);
    }
    app.register("otter@example.com").await;
    let browser = Browser::start().await;
    browser.register(&app, "Boss Badger", ADMIN).await;
    app.make_admin(ADMIN).await;
    let shots = backend == Backend::Sqlite;

    browser.client.goto(&app.url("/")).await.expect("home");
    browser.click("nav a[href='/admin']").await;
    browser.find("[data-testid=chart]").await;
    assert_eq!(browser.text("[data-testid=stat-accounts]").await, "3");
    assert_eq!(browser.text("[data-testid=stat-today]").await, "2");
    if shots {
        screenshots(&browser, "dashboard").await;
    }

    browser.click(".admin-nav a[href='/admin/users']").await;
    browser.find("[data-testid=accounts]").await;
    // Typing searches as you type (htmx): only the match stays.
    browser.fill("[data-testid=account-search]", "FENN").await;
    browser
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_url(&url::Url::parse(&app.url("/admin/users?q=FENN")).expect("url"))
        .await
        .expect("the search ran");
    let links = browser
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=account-link]"))
        .await
        .expect("links");
    assert_eq!(links.len(), 1);
    if shots {
        screenshots(&browser, "accounts").await;
    }
    browser.click("[data-testid=account-link]").await;
    assert_eq!(browser.text("[data-testid=admin-plan]").await, "free");

    browser
        .find("[data-testid=admin-plan-select] option[value=pro]")
        .await
        .click()
        .await
        .expect("choose pro");
    browser.click("[data-testid=admin-plan-save]").await;
    assert!(
        browser
            .text("[data-testid=admin-saved]")
            .await
            .contains("plan was changed")
    );
    assert_eq!(browser.text("[data-testid=admin-plan]").await, "pro");
    assert_eq!(
        browser.text("[data-testid=admin-usage]").await,
        "2 of unlimited"
    );
    if shots {
        screenshots(&browser, "account").await;
    }

    browser.click(".admin-nav a[href='/admin/audit']").await;
    let log = browser.text("[data-testid=audit]").await;
    for text in ["fennec@example.com", ADMIN, "plan", "free", "pro"] {
        assert!(
            log.contains(text),
            "{text} missing from the audit log: {log}"
        );
    }
    if shots {
        screenshots(&browser, "audit").await;
    }
    assert_eq!(
        json(app.me(&member).await).await["subscription"]["plan_type"],
        "pro"
    );
    browser.close().await;
}
