//! Whether the database answers, asked at most once a second: requests in between reuse the
//! answer, so a load balancer polling hard costs the database nothing, and every answer comes
//! within a few seconds whatever the database does.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::store::Store;

const PING_TIMEOUT: Duration = Duration::from_secs(3);
const FRESH_FOR: Duration = Duration::from_secs(1);

/// The last answer of the database and when it was given.
#[derive(Clone, Default)]
pub struct DatabaseHealth {
    last: Arc<Mutex<Option<(Instant, bool)>>>,
}

impl DatabaseHealth {
    pub async fn reachable(&self, store: &Store) -> bool {
        // Held across the ping: while one request asks, the others wait for its answer.
        let mut last = self.last.lock().await;
        if let Some((at, reachable)) = *last
            && at.elapsed() < FRESH_FOR
        {
            return reachable;
        }
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
        *last = Some((Instant::now(), reachable));
        reachable
    }
}
