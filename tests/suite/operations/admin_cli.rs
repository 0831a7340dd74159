//! `fursona admin`: setting and showing plans, and granting and revoking administrators, from
//! the command line.

use crate::helpers::process::{fursona, output_text};
use crate::helpers::{Backend, JWT_SECRET, TestApp, on_both_backends};

on_both_backends!(
    an_administrator_sets_and_shows_plans_from_the_command_line,
    administrators_are_granted_and_revoked_from_the_command_line_only,
);

async fn an_administrator_sets_and_shows_plans_from_the_command_line(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("member@example.com").await;
    let admin = |args: &[&str]| {
        let mut command = fursona(&app.db.dir);
        command
            .args(args)
            .env("DATABASE_URL", &app.db.url)
            .env("JWT_SECRET", JWT_SECRET);
        command.output()
    };
    let output = admin(&["admin", "set-plan", "Member@Example.com", "pro"])
        .await
        .expect("run");
    assert!(output.status.success(), "{}", output_text(&output));
    assert!(output_text(&output).contains("member@example.com is now on the Pro plan"));
    let current = app.current_plan(&token).await;
    assert_eq!(current["plan_type"], "pro");
    assert_eq!(current["generations_limit"], serde_json::Value::Null);

    let output = admin(&["admin", "show", "member@example.com"])
        .await
        .expect("run");
    assert!(output.status.success());
    let shown = output_text(&output);
    for line in [
        "plan:         pro",
        "usage:        0 of unlimited",
        "stripe customer:     -",
    ] {
        assert!(shown.contains(line), "{line} missing from {shown}");
    }
    for (args, complaint) in [
        (
            &["admin", "set-plan", "nobody@example.com", "pro"][..],
            "no account",
        ),
        (
            &["admin", "set-plan", "member@example.com", "gold"][..],
            "unknown plan",
        ),
        (&["admin", "show", "not-an-email"][..], "valid email"),
    ] {
        let output = admin(args).await.expect("run");
        assert!(!output.status.success(), "{args:?}");
        assert!(
            output_text(&output).contains(complaint),
            "{args:?}: {}",
            output_text(&output)
        );
    }
}

async fn administrators_are_granted_and_revoked_from_the_command_line_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("boss@example.com").await;
    let admin = |args: &[&str]| {
        let mut command = fursona(&app.db.dir);
        command
            .args(args)
            .env("DATABASE_URL", &app.db.url)
            .env("JWT_SECRET", JWT_SECRET);
        command.output()
    };
    assert_eq!(
        app.get_authed("/api/admin/stats", &token).await.status(),
        reqwest::StatusCode::NOT_FOUND
    );
    let output = admin(&["admin", "grant-admin", "Boss@Example.com"])
        .await
        .expect("run");
    assert!(output.status.success(), "{}", output_text(&output));
    assert!(output_text(&output).contains("boss@example.com is an administrator"));
    assert_eq!(
        app.get_authed("/api/admin/stats", &token).await.status(),
        reqwest::StatusCode::OK
    );
    let audit = app.admin_audit(&token, "").await;
    assert_eq!(audit["items"][0]["action"], "grant_admin");
    assert_eq!(audit["items"][0]["admin_email"], "command line");
    assert_eq!(audit["items"][0]["admin_id"], serde_json::Value::Null);

    let output = admin(&["admin", "revoke-admin", "boss@example.com"])
        .await
        .expect("run");
    assert!(output.status.success(), "{}", output_text(&output));
    assert_eq!(
        app.get_authed("/api/admin/stats", &token).await.status(),
        reqwest::StatusCode::NOT_FOUND
    );
    let output = admin(&["admin", "grant-admin", "nobody@example.com"])
        .await
        .expect("run");
    assert!(!output.status.success());
    assert!(output_text(&output).contains("no account"));
}
