//! The accept loop in front of the router: hyper's own, so that the binary defends itself
//! without a proxy. A client must send its whole request head within `HEADER_READ_TIMEOUT`; at
//! most `MAX_CONNECTIONS` are open at once, and `MAX_CONNECTIONS_PER_ADDRESS` from one client
//! address; a connection over either cap is closed at once, unread, so nothing queues and the
//! process never runs out of file descriptors. Stopping: no more accepting, the open
//! connections finish their requests and close (the caller bounds how long).

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::Service as _;

/// Descriptors the process keeps for itself beside the connections it serves: the database
/// pool, the listeners, logs, the SQLite files and a margin.
const RESERVED_FILES: u64 = 128;
/// However small the file limit, this many connections are served.
const MIN_CONNECTIONS: usize = 32;
/// After a failed accept (out of descriptors, say), a pause instead of a busy loop.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// `HEADER_READ_TIMEOUT`.
    pub header_read_timeout: Duration,
    /// `MAX_CONNECTIONS`.
    pub max_connections: usize,
    /// `MAX_CONNECTIONS_PER_ADDRESS`.
    pub max_connections_per_address: usize,
}

/// The default `MAX_CONNECTIONS`: the soft limit on open files (`/proc/self/limits`), less the
/// database pool and [`RESERVED_FILES`]; 1024 when the limit cannot be read.
pub fn default_max_connections(db_connections: u32) -> usize {
    let limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| soft_file_limit(&limits))
        .unwrap_or(1024);
    let left = limit.saturating_sub(RESERVED_FILES + u64::from(db_connections));
    usize::try_from(left)
        .unwrap_or(usize::MAX)
        .max(MIN_CONNECTIONS)
}

/// The soft "Max open files" of a `/proc/<pid>/limits` text ("unlimited" counts as very many).
fn soft_file_limit(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line
        .strip_prefix("Max open files")?
        .split_whitespace()
        .next()?;
    if soft == "unlimited" {
        return Some(u64::from(u32::MAX));
    }
    soft.parse().ok()
}

/// Open connections, in all and per client address.
#[derive(Clone)]
struct Connections {
    config: ServerConfig,
    open: Arc<Mutex<(usize, HashMap<IpAddr, usize>)>>,
}

/// One admitted connection; counted until dropped.
struct Admitted {
    connections: Connections,
    address: IpAddr,
}

impl Connections {
    fn admit(&self, address: IpAddr) -> Option<Admitted> {
        let mut open = self.lock();
        let (total, by_address) = &mut *open;
        let from_address = by_address.get(&address).copied().unwrap_or(0);
        if *total >= self.config.max_connections
            || from_address >= self.config.max_connections_per_address
        {
            return None;
        }
        *total += 1;
        by_address.insert(address, from_address + 1);
        Some(Admitted {
            connections: self.clone(),
            address,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, HashMap<IpAddr, usize>)> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.connections.lock();
        let (total, by_address) = &mut *open;
        *total = total.saturating_sub(1);
        if let Some(count) = by_address.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                by_address.remove(&self.address);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting and resolves
/// once every open connection has finished its request and closed. Each request carries
/// `ConnectInfo<SocketAddr>` of its connection, as axum's own `serve` gives it.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    // HTTP/1.1 only: an HTTP/2 preface would have to be awaited with no timeout of hyper's;
    // browsers speak HTTP/2 with TLS only, which a proxy in front terminates.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    let connections = Connections {
        config,
        open: Arc::default(),
    };
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(admitted) = connections.admit(remote.ip()) else {
            // Over a cap: closed at once, before anything is read.
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: http::Request<Incoming>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(remote));
            router.clone().call(request.map(axum::body::Body::new))
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(admitted);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_file_limit_is_read_from_proc() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max processes             62581                62581                processes \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(soft_file_limit(limits), Some(1024));
        assert_eq!(
            soft_file_limit("Max open files  unlimited unlimited files"),
            Some(u64::from(u32::MAX))
        );
        assert_eq!(soft_file_limit("nothing here"), None);
    }

    #[test]
    fn the_default_leaves_room_and_has_a_floor() {
        assert!(default_max_connections(10) >= MIN_CONNECTIONS);
    }

    #[test]
    fn caps_hold_in_all_and_per_address() {
        let connections = Connections {
            config: ServerConfig {
                header_read_timeout: Duration::from_secs(1),
                max_connections: 3,
                max_connections_per_address: 2,
            },
            open: Arc::default(),
        };
        let a: IpAddr = "127.0.0.1".parse().expect("ip");
        let b: IpAddr = "127.0.0.2".parse().expect("ip");
        let first = connections.admit(a).expect("first");
        let _second = connections.admit(a).expect("second");
        assert!(connections.admit(a).is_none(), "per address");
        let _third = connections.admit(b).expect("another address");
        assert!(connections.admit(b).is_none(), "in all");
        drop(first);
        assert!(
            connections.admit(a).is_some(),
            "a closed one frees its place"
        );
    }
}
