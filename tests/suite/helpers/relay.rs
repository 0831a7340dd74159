//! Taking MariaDB away: a TCP relay between the app and MariaDB that the test can cut, and start
//! again where the app expects the database.

use std::net::SocketAddr;

use tokio::task::JoinHandle;

use super::{Backend, TestApp, TestDb, mariadb_admin_url, process::free_port};

/// A TCP relay between the app and MariaDB that can be cut, to take the database away, or paused,
/// to make it stall as a hung server or a dead link does (connections stay open, nothing moves).
pub struct Relay {
    task: JoinHandle<()>,
    paused: tokio::sync::watch::Sender<bool>,
}

impl Relay {
    /// A relay on a given port, so the database can come "back" where the app expects it.
    pub async fn start_on(port: u16, target: SocketAddr) -> Relay {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind");
        let (paused, gate) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((inbound, _)) = listener.accept().await {
                let mut gate = gate.clone();
                connections.spawn(async move {
                    if gate.wait_for(|paused| !paused).await.is_err() {
                        return;
                    }
                    if let Ok(outbound) = tokio::net::TcpStream::connect(target).await {
                        let (from_app, to_app) = inbound.into_split();
                        let (from_db, to_db) = outbound.into_split();
                        tokio::join!(
                            forward(from_app, to_db, gate.clone()),
                            forward(from_db, to_app, gate)
                        );
                    }
                });
            }
        });
        Relay { task, paused }
    }

    /// Closes the listener and every relayed connection: the database is gone.
    pub fn cut(&self) {
        self.task.abort();
    }

    /// Holds every byte and every new connection until [`Relay::resume`], as `SIGSTOP` on a
    /// relay process would.
    pub fn pause(&self) {
        self.paused.send_replace(true);
    }

    pub fn resume(&self) {
        self.paused.send_replace(false);
    }
}

/// Copies one direction, holding each chunk while the relay is paused.
async fn forward(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut gate: tokio::sync::watch::Receiver<bool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        if gate.wait_for(|paused| !paused).await.is_err()
            || to.write_all(&buffer[..read]).await.is_err()
        {
            break;
        }
    }
    let _ = to.shutdown().await;
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
