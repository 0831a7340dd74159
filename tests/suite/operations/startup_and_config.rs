//! Starting the binary: configuration errors, `--help`, `migrate`, and the SQLite default with no
//! configuration at all.

use tokio::process::Command;

use crate::helpers::process::{
    BIN, free_port, fursona, output_text, scratch_dir, serve_on, terminate,
};
use crate::helpers::{Backend, TestDb};

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
