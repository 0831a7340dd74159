//! Failed-login throttling, per client address and per account. Counters live in this process:
//! with several instances each counts on its own, which bounds guessing per instance and needs no
//! shared store; a restart forgets them.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

use super::device::Device;
use crate::domain::usage::Clock;

#[derive(Debug, Clone)]
pub struct ThrottleConfig {
    pub max_failures: u32,
    pub window: Duration,
}

/// Above this many tracked keys, expired windows are swept so memory stays bounded.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    Account(String),
    /// A browser that signed in before (see [`super::device`]).
    Device(String),
}

#[derive(Clone)]
pub struct LoginThrottle {
    config: ThrottleConfig,
    clock: Arc<dyn Clock>,
    windows: Arc<Mutex<HashMap<Key, Window>>>,
}

#[derive(Clone, Copy)]
struct Window {
    started: OffsetDateTime,
    failures: u32,
}

impl Window {
    /// How long this window still runs at `now`; `None` once it has ended.
    fn left(&self, window: Duration, now: OffsetDateTime) -> Option<Duration> {
        Duration::try_from(self.started + window - now)
            .ok()
            .filter(|left| !left.is_zero())
    }
}

impl LoginThrottle {
    pub fn new(config: ThrottleConfig, clock: Arc<dyn Clock>) -> Self {
        LoginThrottle {
            config,
            clock,
            windows: Arc::default(),
        }
    }

    /// `Err(retry_after)` when this address or this account has used up its failures.
    pub fn check(&self, address: IpAddr, account: &str) -> Result<(), Duration> {
        self.wait(&[Key::Address(address), Key::Account(account.to_owned())])
    }

    pub fn record_failure(&self, address: IpAddr, account: &str) {
        self.record([Key::Address(address), Key::Account(account.to_owned())]);
    }

    /// As [`LoginThrottle::check`], for a browser with a device cookie: its own failures and its
    /// address's count, not the account's, so guesses from elsewhere do not lock it out.
    pub fn check_device(&self, address: IpAddr, device: &Device) -> Result<(), Duration> {
        self.wait(&[Key::Address(address), Key::Device(device.0.clone())])
    }

    pub fn record_device_failure(&self, address: IpAddr, device: &Device) {
        self.record([Key::Address(address), Key::Device(device.0.clone())]);
    }

    /// As [`LoginThrottle::check`], for failures that have no account (unknown share links).
    pub fn check_address(&self, address: IpAddr) -> Result<(), Duration> {
        self.wait(&[Key::Address(address)])
    }

    pub fn record_address_failure(&self, address: IpAddr) {
        self.record([Key::Address(address)]);
    }

    fn wait(&self, keys: &[Key]) -> Result<(), Duration> {
        let now = self.clock.now();
        let windows = self.lock();
        let wait = keys
            .iter()
            .filter_map(|key| windows.get(key))
            .filter(|w| w.failures >= self.config.max_failures)
            .filter_map(|w| w.left(self.config.window, now))
            .max();
        wait.map_or(Ok(()), Err)
    }

    fn record<const N: usize>(&self, keys: [Key; N]) {
        let now = self.clock.now();
        let window = self.config.window;
        let mut windows = self.lock();
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, w| w.left(window, now).is_some());
        }
        for key in keys {
            let entry = windows.entry(key).or_insert(Window {
                started: now,
                failures: 0,
            });
            if entry.left(window, now).is_none() {
                *entry = Window {
                    started: now,
                    failures: 0,
                };
            }
            entry.failures += 1;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Window>> {
        // The map holds plain counters, valid even if a holder panicked.
        self.windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, Ordering};

    /// Starts at a fixed instant and moves only when told.
    #[derive(Default)]
    struct StoppedClock(AtomicI64);

    impl Clock for StoppedClock {
        fn now(&self) -> OffsetDateTime {
            OffsetDateTime::UNIX_EPOCH
                + Duration::from_secs(1_800_000_000)
                + time::Duration::seconds(self.0.load(Ordering::SeqCst))
        }
    }

    fn throttle(window: Duration) -> LoginThrottle {
        throttle_on(window, Arc::new(StoppedClock::default()))
    }

    fn throttle_on(window: Duration, clock: Arc<StoppedClock>) -> LoginThrottle {
        LoginThrottle::new(
            ThrottleConfig {
                max_failures: 3,
                window,
            },
            clock,
        )
    }

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const AWAY: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn failures_up_to_the_limit_are_allowed_then_refused() {
        let t = throttle(Duration::from_secs(60));
        for _ in 0..3 {
            assert!(t.check(HOME, "a@x.io").is_ok());
            t.record_failure(HOME, "a@x.io");
        }
        let wait = t.check(HOME, "a@x.io").expect_err("throttled");
        assert!(wait <= Duration::from_secs(60) && wait > Duration::from_secs(50));
    }

    #[test]
    fn an_address_is_throttled_across_accounts_and_an_account_across_addresses() {
        let t = throttle(Duration::from_secs(60));
        for n in 0..3 {
            t.record_failure(HOME, &format!("user{n}@x.io"));
        }
        assert!(t.check(HOME, "new@x.io").is_err(), "same address");
        assert!(
            t.check(AWAY, "new@x.io").is_ok(),
            "other address, other account"
        );
        for _ in 0..3 {
            t.record_failure(AWAY, "victim@x.io");
        }
        assert!(
            t.check("10.0.0.3".parse().expect("ip"), "victim@x.io")
                .is_err()
        );
    }

    #[test]
    fn the_window_ends_by_itself() {
        let clock = Arc::new(StoppedClock::default());
        let t = throttle_on(Duration::from_secs(30), clock.clone());
        for _ in 0..3 {
            t.record_failure(HOME, "a@x.io");
        }
        clock.0.store(29, Ordering::SeqCst);
        assert!(t.check(HOME, "a@x.io").is_err());
        clock.0.store(30, Ordering::SeqCst);
        assert!(t.check(HOME, "a@x.io").is_ok());
    }
}
