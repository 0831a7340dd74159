//! Taking MariaDB away: a TCP relay between the app and MariaDB that the test can cut, and start
//! again where the app expects the database.

use std::net::SocketAddr;

use tokio::task::JoinHandle;

use super::{Backend, TestApp, TestDb, mariadb_admin_url, process::free_port};

/// A TCP relay between the app and MariaDB that can be cut, to take the database away.
pub struct Relay {
    task: JoinHandle<()>,
}

impl Relay {
    /// A relay on a given port, so the database can come "back" where the app expects it.
    pub async fn start_on(port: u16, target: SocketAddr) -> Relay {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind");
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                connections.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Relay { task }
    }

    /// Closes the listener and every relayed connection: the database is gone.
    pub fn cut(&self) {
        self.task.abort();
    }
}

/// Where the test MariaDB really is, and the test database's URL rewritten to go through a port
/// of the test's choosing.
pub async fn mariadb_behind(port: u16, db: &TestDb) -> (SocketAddr, String) {
    let admin = url::Url::parse(&mariadb_admin_url()).expect("admin url");
    let target: SocketAddr = tokio::net::lookup_host((
        admin.host_str().unwrap_or("127.0.0.1"),
        admin.port().unwrap_or(3306),
    ))
    .await
    .expect("resolve")
    .next()
    .expect("an address");
    let mut relayed = url::Url::parse(&db.url).expect("db url");
    relayed.set_host(Some("127.0.0.1")).expect("host");
    relayed.set_port(Some(port)).expect("port");
    (target, relayed.to_string())
}

/// The app on a fresh MariaDB database reached through a relay the test can cut; with the
/// relay's port and MariaDB's address, to start it again.
pub async fn app_behind_relay() -> (TestApp, Relay, u16, SocketAddr) {
    let db = TestDb::create(Backend::MariaDb).await;
    let port = free_port();
    let (target, relayed) = mariadb_behind(port, &db).await;
    let relay = Relay::start_on(port, target).await;
    let app = TestApp::spawn_on(db, |c| {
        c.database.url = secrecy::SecretString::from(relayed);
    })
    .await;
    (app, relay, port, target)
}
