//! Running the real binary: configuration, migrations, health, logs, shutdown, CORS.

use crate::helpers::openai::ok_response;
use crate::helpers::pages::{cookie_value, csrf_token, session_cookie};
use crate::helpers::process::{
    BIN, free_port, fursona, output_text, register_at, scratch_dir, serve_on, sigterm, spawn_on,
    terminate, terminate_wait, wait_until_serving,
};
use crate::helpers::relay::{Relay, app_behind_relay, mariadb_behind};
use crate::helpers::{
    Backend, JWT_SECRET, PASSWORD, TestApp, TestDb, client, data_url, fixture, json,
    on_both_backends,
};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use tokio::process::Command;

on_both_backends!(
    health_reports_the_database,
    cors_answers_only_listed_origins_and_only_under_api,
    an_administrator_sets_and_shows_plans_from_the_command_line,
    metrics_are_served_only_with_the_token_or_on_the_private_address,
);

async fn health_reports_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.health().await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        json(response).await,
        json!({"status": "ok", "database": "ok"})
    );
}

async fn cors_answers_only_listed_origins_and_only_under_api(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.cors_allowed_origins = vec!["https://app.example".parse().expect("origin")];
    })
    .await;
    let preflight = |origin: &'static str, path: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url(path))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://app.example", "/api/auth/login")
        .await
        .expect("preflight");
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let refused = preflight("https://evil.example", "/api/auth/login")
        .await
        .expect("preflight");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let page = app
        .client
        .get(app.url("/login"))
        .header("origin", "https://app.example")
        .send()
        .await
        .expect("page");
    assert!(
        page.headers().get("access-control-allow-origin").is_none(),
        "pages never"
    );

    let default = TestApp::spawn(backend).await;
    let response = default
        .client
        .get(default.url("/health"))
        .header("origin", "https://app.example")
        .send()
        .await
        .expect("health");
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "none by default"
    );
}

/// MariaDB only: an embedded SQLite file cannot become unreachable the way a server can.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_mariadb_is_away_requests_fail_fast_and_service_recovers_by_itself() {
    let (app, relay, port, target) = app_behind_relay().await;
    let token = app.register("outage@example.com").await;
    assert_eq!(app.health().await.status(), StatusCode::OK);

    relay.cut();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    // /health asks the database at most once a second: it notices within a few seconds.
    let mut health = None;
    for _ in 0..20 {
        let response = client
            .get(app.url("/health"))
            .send()
            .await
            .expect("answered, not hung");
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            health = Some(json(response).await);
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let health = health.expect("/health reports the outage");
    assert_eq!(health["database"], "unreachable");
    // Requests that need the database fail with a clear 503, not a hang or a 500.
    let response = client
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": "outage@example.com", "password": PASSWORD}))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json(response).await["error"]["code"], "service_unavailable");
    let page = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("answered");
    assert!(page.status().is_server_error());

    // MariaDB comes back on the same address: the pool reconnects with no restart.
    let _back = Relay::start_on(port, target).await;
    let mut recovered = false;
    for _ in 0..60 {
        let me = client
            .get(app.url("/api/auth/me"))
            .bearer_auth(&token)
            .send()
            .await;
        if me.is_ok_and(|r| r.status() == StatusCode::OK) {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(recovered, "service came back within 15 s");
}

/// MariaDB only. Generations in flight when MariaDB goes away are either stored and counted or
/// not counted at all: after the outage (and the settling of anything left pending), every
/// user's usage equals their stored results.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_during_a_burst_of_generations_loses_and_double_counts_nothing() {
    let (app, relay, port, target) = app_behind_relay().await;
    let emails = [
        "burst1@example.com",
        "burst2@example.com",
        "burst3@example.com",
    ];
    let mut tokens = Vec::new();
    for email in emails {
        tokens.push(app.register(email).await);
    }
    app.sql_execute("UPDATE subscriptions SET plan = 'pro', generations_limit = NULL")
        .await;
    let photo = fixture("photos/chelsea.webp");
    let burst = (0..24).map(|n| app.generate_json(&tokens[n % 3], &photo, "image/webp"));
    // Cut once a few results are stored and the rest are in flight; longer than the pool's 5 s
    // acquire timeout, so some requests do fail mid-way.
    let outage = async {
        while app.sql_scalar_i64("SELECT COUNT(*) FROM fursonas").await < 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        relay.cut();
        tokio::time::sleep(Duration::from_secs(6)).await;
        Relay::start_on(port, target).await
    };
    let (responses, _back) = tokio::join!(futures::future::join_all(burst), outage);
    let statuses: Vec<StatusCode> = responses.iter().map(|r| r.status()).collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED
            || *s == StatusCode::SERVICE_UNAVAILABLE
            || s.is_server_error()),
        "{statuses:?}"
    );
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count() as i64;
    // At least 3 were stored before the cut, but one whose commit was acknowledged just as the
    // link went down answers 503 though stored: the counts below must hold all the same.
    assert!(
        (1..24).contains(&created),
        "the outage hit mid-burst: {statuses:?}"
    );
    // Whatever an interrupted request left pending is settled by the next start.
    app.clock.advance(time::Duration::minutes(10));
    let app = app.restart().await;
    for _ in 0..50 {
        if app
            .sql_scalar_i64("SELECT COUNT(*) FROM generation_reservations")
            .await
            == 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut total = 0;
    for email in emails {
        let (used, stored) = app.usage_and_results(email).await;
        assert_eq!(used, stored, "{email}: usage equals stored results");
        total += stored;
    }
    assert!(total >= created, "every answered generation was stored");
}

/// MariaDB only, for the same reason. The usual Docker Compose race: the app starts first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starting_before_mariadb_is_up_retries_with_backoff_then_serves() {
    let db = TestDb::create(Backend::MariaDb).await;
    let db_port = free_port();
    let (target, relayed) = mariadb_behind(db_port, &db).await;
    let port = free_port();
    let mut child = spawn_on(
        fursona(&db.dir)
            .env("DATABASE_URL", &relayed)
            .env("JWT_SECRET", JWT_SECRET)
            .env("DB_STARTUP_TIMEOUT", "30s"),
        port,
    );
    // MariaDB is "late": nothing listens on its port for a moment.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        child.try_wait().expect("status").is_none(),
        "still waiting for the database"
    );
    let _relay = Relay::start_on(db_port, target).await;
    wait_until_serving(port, &mut child).await;
    let (status, output) = terminate(child).await;
    assert!(status.success());
    assert!(
        output.contains("database not reachable yet"),
        "each attempt is logged: {output}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_database_at_all_the_start_gives_up_after_the_configured_time() {
    let dir = scratch_dir("nodb");
    let output = fursona(&dir)
        .env(
            "DATABASE_URL",
            format!("mysql://root@127.0.0.1:{}/nothing", free_port()),
        )
        .env("DB_STARTUP_TIMEOUT", "2s")
        .output()
        .await
        .expect("run");
    assert!(!output.status.success());
    assert!(output_text(&output).contains("cannot connect to the database"));
    std::fs::remove_dir_all(dir).expect("cleanup");
}

#[tokio::test]
async fn invalid_configuration_is_reported_all_at_once_with_a_failing_exit() {
    let dir = scratch_dir("config");
    let output = fursona(&dir)
        .env("PORT", "not-a-port")
        .env("HOST", "everywhere")
        .env("DATABASE_URL", "postgres://localhost/db")
        .env("JWT_SECRET", "too-short")
        .env("APP_URL", "ftp://files")
        .env("JWT_TTL", "forever")
        .output()
        .await
        .expect("run");
    assert!(!output.status.success());
    let printed = output_text(&output);
    for setting in [
        "PORT",
        "HOST",
        "DATABASE_URL",
        "JWT_SECRET",
        "APP_URL",
        "JWT_TTL",
    ] {
        assert!(
            printed.contains(&format!("{setting}:")),
            "{setting} not reported: {printed}"
        );
    }
    assert!(
        !printed.contains("too-short"),
        "the secret itself is not printed"
    );
    assert!(
        !dir.join("data").exists(),
        "nothing is created on a bad start"
    );
    std::fs::remove_dir_all(dir).expect("cleanup");
}

#[tokio::test]
async fn help_documents_every_setting_of_the_example_env_file() {
    let output = Command::new(BIN)
        .arg("--help")
        .output()
        .await
        .expect("help");
    assert!(output.status.success());
    let help = output_text(&output);
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.env.example"))
        .expect(".env.example");
    let settings: Vec<&str> = example
        .lines()
        .map(|line| line.trim_start_matches('#').trim())
        .filter_map(|line| line.split_once('=').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect();
    assert!(settings.len() >= 15, "{settings:?}");
    for setting in settings {
        assert!(
            help.contains(setting),
            "{setting} is in .env.example but not in --help"
        );
    }
    assert!(help.contains("migrate"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_configuration_it_serves_from_sqlite_in_the_data_directory_and_stops_on_sigterm() {
    let dir = scratch_dir("zero");
    // Only the port is chosen, so the test cannot collide with a server already on 3001.
    let port = free_port();
    let child = serve_on(&mut fursona(&dir), port).await;
    assert!(dir.join("data/fursona.db").exists());
    let mode = std::fs::metadata(dir.join("data/jwt_secret"))
        .expect("secret")
        .permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );
    let (status, output) = terminate(child).await;
    assert!(status.success(), "graceful exit: {output}");
    assert!(
        output.contains("JWT_SECRET is not set"),
        "the warning is logged: {output}"
    );
    std::fs::remove_dir_all(dir).expect("cleanup");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_applies_migrations_to_mariadb_named_by_the_db_variables_and_exits() {
    let db = TestDb::create(Backend::MariaDb).await;
    let url = url::Url::parse(&db.url).expect("url");
    let output = fursona(&db.dir)
        .arg("migrate")
        .env("DB_HOST", url.host_str().expect("host"))
        .env("DB_PORT", url.port().unwrap_or(3306).to_string())
        .env("DB_USER", url.username())
        .env("DB_PASSWORD", url.password().unwrap_or(""))
        .env("DB_NAME", url.path().trim_start_matches('/'))
        .output()
        .await
        .expect("run");
    assert!(output.status.success(), "{}", output_text(&output));
    let app_tables = [
        "users",
        "subscriptions",
        "fursonas",
        "payment_history",
        "stripe_events",
        "sessions",
    ];
    let placeholders = app_tables.map(|t| format!("'{t}'")).join(",");
    let count = db
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ({placeholders})"
        ))
        .await;
    assert_eq!(count, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_have_one_line_per_request_and_never_a_secret() {
    let dir = scratch_dir("logs");
    let port = free_port();
    let child = serve_on(
        fursona(&dir)
            .env("JWT_SECRET", JWT_SECRET)
            .env("RUST_LOG", "debug"),
        port,
    )
    .await;

    let base = format!("http://127.0.0.1:{port}");
    let api = client();
    let token = register_at(&base, "logs@example.com").await;
    let me = api
        .get(format!("{base}/api/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), StatusCode::OK);
    let wrong = "wrong-password-typed-by-mistake";
    api.post(format!("{base}/api/auth/login"))
        .json(&json!({"email": "logs@example.com", "password": wrong}))
        .send()
        .await
        .expect("login");
    let login_page = api.get(format!("{base}/login")).send().await.expect("page");
    let cookie = cookie_value(&session_cookie(login_page.headers()).expect("session cookie"));
    let csrf = csrf_token(&login_page.text().await.expect("html"));
    api.post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "logs@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("page login");
    api.post(format!("{base}/api/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("logout");

    let (status, output) = terminate(child).await;
    assert!(status.success());
    let secret_file = std::fs::read_to_string(dir.join("data/jwt_secret")).unwrap_or_default();
    for secret in [
        PASSWORD,
        wrong,
        token.as_str(),
        cookie.as_str(),
        csrf.as_str(),
        JWT_SECRET,
    ] {
        assert!(
            !output.contains(secret),
            "a secret appears in the logs: {secret}"
        );
    }
    assert!(
        secret_file.is_empty(),
        "JWT_SECRET was set, so no secret file is written"
    );
    let signature = token.rsplit('.').next().expect("signature");
    assert!(!output.contains(signature));

    let access_lines: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("finished processing request"))
        .collect();
    let me_line = access_lines
        .iter()
        .find(|line| line.contains("path=\"/api/auth/me\""))
        .expect("an access line for /api/auth/me");
    for field in ["method=GET", "status=200", "latency=", "request{id="] {
        assert!(me_line.contains(field), "{field} missing: {me_line}");
    }
    let requests_sent = 7; // health poll(s) come on top
    assert!(access_lines.len() >= requests_sent, "{access_lines:#?}");
    std::fs::remove_dir_all(dir).expect("cleanup");
}

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

/// A server with a slow fake AI, one generation in flight, then SIGTERM. Returns the in-flight
/// request's outcome, the exit status and output, and (used, stored, pending) afterwards.
async fn stop_during_a_slow_generation(
    ai_delay: Duration,
    grace: &str,
) -> (
    Option<StatusCode>,
    std::process::ExitStatus,
    String,
    (i64, i64, i64),
) {
    let ai = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ok_response().set_delay(ai_delay))
        .mount(&ai)
        .await;
    let dir = scratch_dir("drain");
    let port = free_port();
    let child = serve_on(
        fursona(&dir)
            .env("JWT_SECRET", JWT_SECRET)
            .env("OPENAI_BASE_URL", format!("{}/v1", ai.uri()))
            .env("OPENAI_API_KEY", "sk-test")
            .env("SHUTDOWN_GRACE", grace),
        port,
    )
    .await;
    let base = format!("http://127.0.0.1:{port}");
    let token = register_at(&base, "slow@example.com").await;
    let photo = fixture("photos/chelsea.webp");
    let url = format!("{base}/api/fursona/generate");
    let in_flight = tokio::spawn(async move {
        let image = data_url("image/webp", &photo);
        client()
            .post(url)
            .bearer_auth(token)
            .json(&json!({"image": image}))
            .send()
            .await
    });
    for _ in 0..100 {
        if !ai.received_requests().await.unwrap_or_default().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        ai.received_requests().await.unwrap_or_default().len(),
        1,
        "the generation reached the AI"
    );

    sigterm(&child).await;
    // New connections are refused at once, while the generation is still waiting on the AI.
    let mut refused = false;
    for _ in 0..40 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(refused, "the listener closed");
    let answered = in_flight.await.expect("task").ok().map(|r| r.status());
    let (status, output) = terminate_wait(child).await;

    let url = format!("sqlite://{}", dir.join("data/fursona.db").display());
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("db");
    let mut count =
        async |sql: &str| -> i64 { sqlx::query_scalar(sql).fetch_one(&mut db).await.expect(sql) };
    let state = (
        count("SELECT generations_used FROM subscriptions").await,
        count("SELECT COUNT(*) FROM fursonas").await,
        count("SELECT COUNT(*) FROM generation_reservations").await,
    );
    std::fs::remove_dir_all(dir).expect("cleanup");
    (answered, status, output, state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_slow_generation_finish_then_exits_cleanly() {
    let (answered, status, output, state) =
        stop_during_a_slow_generation(Duration::from_secs(3), "20s").await;
    assert_eq!(
        answered,
        Some(StatusCode::CREATED),
        "the in-flight generation was answered"
    );
    assert!(status.success(), "exit 0: {output}");
    assert!(output.contains("stopped"));
    assert_eq!(
        state,
        (1, 1, 0),
        "charged once, stored once, nothing pending"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generation_outlasting_the_grace_period_is_given_back() {
    let (answered, status, output, state) =
        stop_during_a_slow_generation(Duration::from_secs(8), "1s").await;
    assert_eq!(
        answered, None,
        "the connection was closed at the end of the grace period"
    );
    assert!(status.success(), "exit 0: {output}");
    assert!(
        output.contains("gave back an unfinished generation"),
        "{output}"
    );
    assert_eq!(
        state,
        (0, 0, 0),
        "not charged for nothing, nothing left pending"
    );
}

async fn metrics_are_served_only_with_the_token_or_on_the_private_address(backend: Backend) {
    let private = free_port();
    let app = TestApp::spawn_with(backend, |c| {
        c.metrics_token = Some(secrecy::SecretString::from("metrics-secret-token"));
        c.metrics_addr = Some(format!("127.0.0.1:{private}").parse().expect("addr"));
    })
    .await;
    let token = app.register("metered@example.com").await;
    assert_eq!(app.generate(&token).await.status(), StatusCode::CREATED);

    let anonymous = app.get("/metrics").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = app.get_authed("/metrics", &token).await;
    assert_eq!(
        wrong.status(),
        StatusCode::UNAUTHORIZED,
        "a user's token is not the metrics token"
    );
    let scraped = app.get_authed("/metrics", "metrics-secret-token").await;
    assert_eq!(scraped.status(), StatusCode::OK);
    let text = scraped.text().await.expect("text");
    for expected in [
        "http_requests_total{",
        "route=\"/api/fursona/generate\"",
        "status=\"201\"",
        "http_request_duration_seconds_bucket{",
        "generations_total{",
        "outcome=\"stored\"",
        "ai_request_duration_seconds_bucket{",
        "db_pool_connections{",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert!(!text.contains(&token), "no secrets in metrics");

    let private = reqwest::get(format!("http://127.0.0.1:{private}/metrics"))
        .await
        .expect("private");
    assert_eq!(private.status(), StatusCode::OK);
    assert!(
        private
            .text()
            .await
            .expect("text")
            .contains("http_requests_total")
    );

    let without = TestApp::spawn(backend).await;
    let hidden = without.get("/metrics").await;
    assert_eq!(
        hidden.status(),
        StatusCode::NOT_FOUND,
        "off unless configured"
    );
}
