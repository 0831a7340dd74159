//! `fursona admin`: setting and showing plans from the command line.

use crate::helpers::process::{fursona, output_text};
use crate::helpers::{Backend, JWT_SECRET, TestApp, on_both_backends};

on_both_backends!(an_administrator_sets_and_shows_plans_from_the_command_line);

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
