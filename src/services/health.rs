//! Whether the database answers. Requests that arrive while a ping is in flight share its answer,
//! so a load balancer polling hard costs one ping at a time; an "ok" is never older than the
//! request it answers, so the first call after the database goes away already says so. An
//! "unreachable" is reused for a second: a dead database is not asked by every poll, and every
//! answer comes within a few seconds whatever the database does.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::store::Store;

const PING_TIMEOUT: Duration = Duration::from_secs(3);
const UNREACHABLE_FOR: Duration = Duration::from_secs(1);

/// The last answer of the database and when the ping that gave it started.
#[derive(Clone, Default)]
pub struct DatabaseHealth {
    last: Arc<Mutex<Option<(Instant, bool)>>>,
}

impl DatabaseHealth {
    pub async fn reachable(&self, store: &Store) -> bool {
        let asked = Instant::now();
        // Held across the ping: while one request asks, the others wait for its answer.
        let mut last = self.last.lock().await;
        if let Some((pinged, reachable)) = *last
            && (pinged >= asked || (!reachable && pinged.elapsed() < UNREACHABLE_FOR))
        {
            return reachable;
        }
        let pinged = Instant::now();
        let reachable = match tokio::time::timeout(PING_TIMEOUT, store.ping()).await {
            Ok(Ok(())) => true,
            outcome => {
                let reason = match outcome {
                    Ok(Err(e)) => e.to_string(),
                    _ => "timed out".to_owned(),
                };
                tracing::warn!(%reason, "health check: database unreachable");
                false
            }
        };
        *last = Some((pinged, reachable));
        reachable
    }
}
