//! Bytes made once and kept under a key that names exactly what they are (a validator, an id
//! with its revision), within a byte budget: oldest out first. Nothing kept can go stale, so
//! nothing is ever invalidated; what changed simply has a new key.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

pub struct Kept<K> {
    budget: usize,
    held: Mutex<Held<K>>,
}

struct Held<K> {
    order: VecDeque<K>,
    bytes_by_key: HashMap<K, Arc<[u8]>>,
    bytes: usize,
}

impl<K: Hash + Eq + Clone> Kept<K> {
    /// Holds at most `budget` bytes.
    pub fn new(budget: usize) -> Self {
        Kept {
            budget,
            held: Mutex::new(Held {
                order: VecDeque::new(),
                bytes_by_key: HashMap::new(),
                bytes: 0,
            }),
        }
    }

    pub fn get(&self, key: &K) -> Option<Arc<[u8]>> {
        self.lock().bytes_by_key.get(key).cloned()
    }

    /// Keeps `bytes` under `key`, unless they alone are over the budget or the key is kept.
    pub fn keep(&self, key: K, bytes: Arc<[u8]>) {
        let mut held = self.lock();
        if bytes.len() > self.budget || held.bytes_by_key.contains_key(&key) {
            return;
        }
        held.bytes += bytes.len();
        held.order.push_back(key.clone());
        held.bytes_by_key.insert(key, bytes);
        while held.bytes > self.budget {
            let Some(oldest) = held.order.pop_front() else {
                break;
            };
            if let Some(gone) = held.bytes_by_key.remove(&oldest) {
                held.bytes -= gone.len();
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Held<K>> {
        // Plain data, valid even if a holder panicked.
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(n: usize) -> Arc<[u8]> {
        vec![7; n].into()
    }

    #[test]
    fn the_oldest_go_first_once_over_the_budget() {
        let kept = Kept::new(10);
        kept.keep("a", bytes(4));
        kept.keep("b", bytes(4));
        assert!(kept.get(&"a").is_some());
        kept.keep("c", bytes(4));
        assert!(kept.get(&"a").is_none(), "a was the oldest");
        assert_eq!(kept.get(&"b").map(|b| b.len()), Some(4));
        assert_eq!(kept.get(&"c").map(|b| b.len()), Some(4));
    }

    #[test]
    fn what_is_over_the_budget_alone_or_kept_already_is_not_kept_again() {
        let kept = Kept::new(10);
        kept.keep("big", bytes(11));
        assert!(kept.get(&"big").is_none());
        kept.keep("a", bytes(4));
        kept.keep("a", bytes(6));
        assert_eq!(kept.get(&"a").map(|b| b.len()), Some(4), "the first stays");
        kept.keep("b", bytes(6));
        assert!(kept.get(&"a").is_some(), "a counted once, so both fit");
    }
}
