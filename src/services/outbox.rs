//! The outbox task: sends the mail that requests and Stripe events wrote to the outbox table.
//! Each due row is claimed first (a conditional UPDATE judged by rows affected), so several
//! instances never send one twice; a failure is tried again with backoff, and a mail that could
//! not be sent for a day is given up. It polls every few seconds and wakes when a mail is queued.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::domain::mail::Mail;
use crate::domain::usage::Clock;
use crate::mail::{Mailer, SendError};
use crate::store::Store;
use crate::store::mail::Queued;

/// How often the outbox is looked at without being woken (another instance's mail, retries).
pub const POLL_EVERY: Duration = Duration::from_secs(2);
/// A claimed mail belongs to its claimer this long; past it (a crash), another may send it.
const CLAIM_FOR: Duration = Duration::from_secs(120);
const BATCH: u32 = 20;
/// The first retry waits this long, doubling up to [`MAX_BACKOFF`], so that once a server is
/// back, queued mail goes out within a minute.
const FIRST_BACKOFF: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A mail not sent within a day is given up.
const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);

#[derive(Clone)]
pub struct Outbox {
    store: Store,
    mailer: Arc<Mailer>,
    clock: Arc<dyn Clock>,
    wake: Arc<Notify>,
}

impl Outbox {
    pub fn new(store: Store, mailer: Mailer, clock: Arc<dyn Clock>, wake: Arc<Notify>) -> Self {
        Outbox {
            store,
            mailer: Arc::new(mailer),
            clock,
            wake,
        }
    }

    /// Sends due mail until `stop` is cancelled; a send in progress finishes first.
    pub async fn run(self, stop: CancellationToken) {
        loop {
            let sent_a_full_batch = match self.send_due().await {
                Ok(n) => n == BATCH as usize,
                Err(e) => {
                    tracing::warn!(error = %e, "the outbox could not be read; will retry");
                    false
                }
            };
            if sent_a_full_batch && !stop.is_cancelled() {
                continue;
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(POLL_EVERY) => {}
            }
        }
    }

    /// Claims and sends what is due now; returns how many were claimed.
    pub async fn send_due(&self) -> Result<usize, sqlx::Error> {
        let now = self.clock.now();
        let claimed = self
            .store
            .claim_due_mail(now, now + CLAIM_FOR, BATCH)
            .await?;
        let count = claimed.len();
        for queued in claimed {
            self.send_one(queued).await?;
        }
        Ok(count)
    }

    async fn send_one(&self, queued: Queued) -> Result<(), sqlx::Error> {
        let template = queued.template.clone();
        let result = match serde_json::from_str(&queued.data)
            .and_then(|data| Mail::from_parts(&queued.template, data))
        {
            Ok(mail) => self.mailer.send(&queued.recipient, &mail).await,
            Err(e) => Err(SendError::Permanent(format!("unreadable outbox row: {e}"))),
        };
        let now = self.clock.now();
        match result {
            Ok(()) => {
                self.store.mark_mail_sent(queued.id, now).await?;
                metrics::counter!("mail_sent_total", "template" => template).increment(1);
                tracing::info!(mail = %queued.id, template = %queued.template, "mail sent");
            }
            Err(error) => {
                let gave_up = matches!(error, SendError::Permanent(_))
                    || now - queued.created_at >= GIVE_UP_AFTER;
                let next = (!gave_up).then(|| now + backoff(queued.attempts + 1));
                self.store
                    .mark_mail_unsent(queued.id, next, &error.to_string(), now)
                    .await?;
                if gave_up {
                    metrics::counter!("mail_failed_total", "template" => template).increment(1);
                    tracing::error!(mail = %queued.id, %error, "mail given up");
                } else {
                    metrics::counter!("mail_retried_total", "template" => template).increment(1);
                    tracing::warn!(mail = %queued.id, %error, attempts = queued.attempts + 1, "mail not sent; will retry");
                }
            }
        }
        Ok(())
    }
}

/// The wait after the `attempts`-th failure: 5 s, 10 s, 20 s, 40 s, then every minute.
fn backoff(attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(16);
    (FIRST_BACKOFF * 2u32.pow(doublings)).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_once_a_minute() {
        let waits: Vec<u64> = (1..=7).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60, 60]);
        assert_eq!(backoff(1000), MAX_BACKOFF);
    }
}
