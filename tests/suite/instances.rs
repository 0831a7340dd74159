//! Two `fursona` processes on one MariaDB behave as one service: nothing that must be shared lives
//! in one process's memory.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use tokio::process::Child;

use crate::helpers::pages::{html_at, log_in_through_form};
use crate::helpers::process::{free_port, fursona, register_at, serve_on, terminate};
use crate::helpers::stripe::{
    PRICE_BASIC, PRICE_PRO, WEBHOOK_SECRET, event, signature, stripe_fixture,
};
use crate::helpers::{Backend, JWT_SECRET, PASSWORD, TestDb, client, data_url, fixture};

struct Instance {
    base: String,
    child: Child,
}

async fn instance(db: &TestDb) -> Instance {
    let port = free_port();
    let child = serve_on(
        fursona(&db.dir)
            .env("DATABASE_URL", &db.url)
            .env("JWT_SECRET", JWT_SECRET)
            .env("STRIPE_SECRET_KEY", "sk_test_instances")
            .env("STRIPE_PRICE_BASIC", PRICE_BASIC)
            .env("STRIPE_PRICE_PRO", PRICE_PRO)
            .env("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET),
        port,
    )
    .await;
    Instance {
        base: format!("http://127.0.0.1:{port}"),
        child,
    }
}

/// `request` sent with the bearer token: its status.
async fn sent(request: reqwest::RequestBuilder, token: &str) -> StatusCode {
    request
        .bearer_auth(token)
        .send()
        .await
        .expect("answered")
        .status()
}

/// The first page of history, as read through the instance at `base`.
async fn history_at(base: &str, token: &str) -> serde_json::Value {
    client()
        .get(format!("{base}/api/fursona/history"))
        .bearer_auth(token)
        .send()
        .await
        .expect("history")
        .json()
        .await
        .expect("json")
}

/// MariaDB only: several instances on one SQLite file is not a supported deployment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_behave_as_one_service() {
    let db = TestDb::create(Backend::MariaDb).await;
    let (a, b) = (instance(&db).await, instance(&db).await);

    // A token from one works on the other.
    let token = register_at(&a.base, "twin@example.com").await;
    let me = client()
        .get(format!("{}/api/auth/me", b.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), StatusCode::OK);

    // So does a page session (cookies are per host, not per port).
    let browser = client();
    let signed_in = log_in_through_form(&browser, &a.base, "twin@example.com", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let home = html_at(&browser, &format!("{}/", b.base)).await;
    assert!(
        home.contains("Signed in as"),
        "the session is in the database, not in process A"
    );

    // The last free generation, raced from both processes, goes to exactly one request.
    db.execute("UPDATE subscriptions SET generations_used = 4")
        .await;
    let photo = fixture("photos/chelsea.webp");
    let image = data_url("image/webp", &photo);
    let requests = (0..20).map(|n| {
        let base = if n % 2 == 0 { &a.base } else { &b.base };
        client()
            .post(format!("{base}/api/fursona/generate"))
            .bearer_auth(&token)
            .json(&json!({"image": image}))
            .send()
    });
    let statuses: Vec<StatusCode> = join_all(requests)
        .await
        .into_iter()
        .map(|r| r.expect("answered").status())
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::PAYMENT_REQUIRED)
            .count(),
        19
    );
    assert_eq!(
        db.scalar_i64("SELECT generations_used FROM subscriptions")
            .await,
        5
    );
    assert_eq!(db.scalar_i64("SELECT COUNT(*) FROM fursonas").await, 1);

    // Each process keeps the fursonas' JSON it made for history; a change made through the
    // other still shows in the next page.
    let before = history_at(&a.base, &token).await;
    let fursona = format!(
        "{}/api/fursona/{}",
        b.base,
        before["items"][0]["id"].as_str().expect("id")
    );
    let edit = client().patch(&fursona).json(&json!({"name": "Twin Edit"}));
    assert_eq!(sent(edit, &token).await, StatusCode::OK);
    let share = client().post(format!("{fursona}/share")).json(&json!({}));
    assert_eq!(sent(share, &token).await, StatusCode::CREATED);
    let after = history_at(&a.base, &token).await;
    assert_eq!(after["items"][0]["name"], "Twin Edit");
    assert!(after["items"][0]["share_url"].is_string(), "{after}");

    // A webhook delivered to both at once is applied once.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    db.execute("UPDATE subscriptions SET stripe_customer_id = 'cus_twin'")
        .await;
    let mut invoice = stripe_fixture("invoice");
    invoice["id"] = json!("in_twin");
    invoice["customer"] = json!("cus_twin");
    let payload = event("evt_twin", "invoice.paid", now, invoice);
    let deliveries = [&a.base, &b.base, &a.base, &b.base].map(|base| {
        client()
            .post(format!("{base}/api/webhook/stripe"))
            .header("stripe-signature", signature(&payload, now))
            .body(payload.clone())
            .send()
    });
    for response in join_all(deliveries).await {
        assert_eq!(response.expect("answered").status(), StatusCode::OK);
    }
    assert_eq!(
        db.scalar_i64("SELECT COUNT(*) FROM payment_history").await,
        1
    );
    assert_eq!(db.scalar_i64("SELECT COUNT(*) FROM stripe_events").await, 1);

    for instance in [a, b] {
        let (status, _) = terminate(instance.child).await;
        assert!(status.success());
    }

    // A generation left pending by a crash is settled once, however many instances start.
    db.execute("UPDATE subscriptions SET generations_used = 3")
        .await;
    db.execute(
        "INSERT INTO generation_reservations (id, user_id, period_start, created_at) \
         SELECT X'0192f0a0b1c27d3e8f9a0b1c2d3e4f51', user_id, current_period_start, \
         current_period_start - INTERVAL 1 DAY FROM subscriptions",
    )
    .await;
    let (a, b) = tokio::join!(instance(&db), instance(&db));
    for _ in 0..50 {
        if db
            .scalar_i64("SELECT COUNT(*) FROM generation_reservations")
            .await
            == 0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        db.scalar_i64("SELECT COUNT(*) FROM generation_reservations")
            .await,
        0
    );
    assert_eq!(
        db.scalar_i64("SELECT generations_used FROM subscriptions")
            .await,
        2,
        "given back once, not twice"
    );
    for instance in [a, b] {
        terminate(instance.child).await;
    }
}
