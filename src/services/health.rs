//! Whether the database answers. Requests that arrive while a ping is in flight share its answer,
//! so a load balancer polling hard costs one ping at a time; an "ok" always came from the
//! database after the request arrived, so the first call after the database goes away already
//! says so. An
//! "unreachable" is reused for a second: a dead database is not asked by every poll, and every
//! answer comes within a few seconds whatever the database does.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::store::Store;

const PING_TIMEOUT: Duration = Duration::from_secs(3);
const UNREACHABLE_FOR: Duration = Duration::from_secs(1);

/// The last answer of the database and when it came.
#[derive(Clone, Default)]
pub struct DatabaseHealth {
    last: Arc<Mutex<Option<(Instant, bool)>>>,
}

impl DatabaseHealth {
    pub async fn reachable(&self, store: &Store) -> bool {
        let asked = Instant::now();
        // Held across the ping: while one request asks, the others wait for its answer.
        let mut last = self.last.lock().await;
        // An answer that came after this request arrived (a ping in flight then) is as fresh as
        // one of its own: waiting for that ping and then pinging again halved the rate.
        if let Some((answered, reachable)) = *last
            && (answered >= asked || (!reachable && answered.elapsed() < UNREACHABLE_FOR))
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
