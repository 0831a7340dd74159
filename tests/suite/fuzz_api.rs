//! schemathesis (tests/schemathesis) against the running app on MariaDB, with a valid token (an
//! administrator's, so that `/api/admin` is fuzzed too) and Stripe answered by a local fake:
//! every operation, every default check, 100+ examples each, and no finding allowed.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::helpers::openapi::operations;
use crate::helpers::smtp::{SmtpServer, configure_mail};
use crate::helpers::stripe::{configure_stripe, fake_stripe};
use crate::helpers::{Backend, PASSWORD, TestApp};

const EMAIL: &str = "fuzzer@example.com";

/// `SCHEMATHESIS` if set, else where scripts/test installs it.
fn schemathesis() -> PathBuf {
    std::env::var_os("SCHEMATHESIS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/schemathesis/bin/schemathesis"),
        PathBuf::from,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing() {
    let program = schemathesis();
    assert!(
        program.exists(),
        "{} is missing: ./scripts/test installs it (pip install -r tests/schemathesis/requirements.txt)",
        program.display()
    );
    let stripe = fake_stripe().await;
    // Mail on, into a real SMTP server: the mailing endpoints answer as in production.
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with(Backend::MariaDb, |c| {
        configure_stripe(c, Some(stripe.uri()));
        configure_mail(c, &smtp.url());
        // The fuzzer sends hundreds of wrong logins from one address; throttling has its own tests.
        c.login_throttle.max_failures = u32::MAX;
    })
    .await;
    app.register(EMAIL).await;
    // An administrator, so that the admin API is fuzzed too, not only its 404.
    app.make_admin(EMAIL).await;
    let operations = operations(&app.openapi_document().await).len();

    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/schemathesis.toml");
    let output = tokio::process::Command::new(&program)
        .arg("--config-file")
        .arg(&config)
        .args([
            "--no-color",
            "run",
            "--max-examples",
            "100",
            // One worker: hypothesis on Python 3.11 can crash parsing sources in parallel.
            "--workers",
            "1",
        ])
        .arg(app.url("/api/openapi.json"))
        // Its example cache goes here, not into the checkout.
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .env("FUZZ_EMAIL", EMAIL)
        .env("FUZZ_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .await
        .expect("schemathesis runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found problems:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every operation but the document itself, which schemathesis leaves out as its source.
    let tested = format!("Tested: {}", operations - 1);
    assert!(report.contains(&tested), "expected {tested}:\n{report}");
}
