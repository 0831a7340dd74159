//! At most `AI_MAX_CONCURRENCY` generations run at once; the rest wait, paid plans ahead of
//! free ones (the original design's "Priority" for Basic and Pro). Within a class, first come
//! first served.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::domain::plan::Plan;

#[derive(Clone)]
pub struct GenerationQueue {
    inner: Arc<Mutex<State>>,
}

struct State {
    free_slots: usize,
    paid: VecDeque<oneshot::Sender<Slot>>,
    free: VecDeque<oneshot::Sender<Slot>>,
}

/// A running generation; dropping it lets the next waiter in.
pub struct Slot {
    queue: Option<GenerationQueue>,
}

impl GenerationQueue {
    pub fn new(concurrency: usize) -> Self {
        GenerationQueue {
            inner: Arc::new(Mutex::new(State {
                free_slots: concurrency.max(1),
                paid: VecDeque::new(),
                free: VecDeque::new(),
            })),
        }
    }

    /// Waits for a slot. Cancel-safe: a waiter that goes away passes its turn on.
    pub async fn enter(&self, plan: Plan) -> Slot {
        let receiver = {
            let mut state = self.lock();
            if state.free_slots > 0 {
                state.free_slots -= 1;
                return self.slot();
            }
            let (sender, receiver) = oneshot::channel();
            match plan {
                Plan::Free => state.free.push_back(sender),
                Plan::Basic | Plan::Pro => state.paid.push_back(sender),
            }
            receiver
        };
        match receiver.await {
            Ok(slot) => slot,
            // The queue itself is gone (shutdown); run rather than hang.
            Err(_) => Slot { queue: None },
        }
    }

    fn slot(&self) -> Slot {
        Slot {
            queue: Some(self.clone()),
        }
    }

    /// Hands a finished slot to the next waiter, paid first, or returns it to the pool.
    fn release(&self) {
        let mut state = self.lock();
        loop {
            let next = state.paid.pop_front().or_else(|| state.free.pop_front());
            match next {
                Some(waiter) => match waiter.send(self.slot()) {
                    Ok(()) => return,
                    // That waiter gave up; its undelivered slot must not release again.
                    Err(mut slot) => slot.queue = None,
                },
                None => {
                    state.free_slots += 1;
                    return;
                }
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[cfg(test)]
    fn waiting(&self) -> (usize, usize) {
        let state = self.lock();
        (state.paid.len(), state.free.len())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(queue) = self.queue.take() {
            queue.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn paid_waiters_go_before_free_ones_that_came_first() {
        let queue = GenerationQueue::new(1);
        let running = queue.enter(Plan::Free).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, plan) in [
            ("free-1", Plan::Free),
            ("free-2", Plan::Free),
            ("pro", Plan::Pro),
        ] {
            let (waiter_queue, order) = (queue.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _slot = waiter_queue.enter(plan).await;
                order.lock().expect("lock").push(name);
            }));
            // Let each waiter enqueue before the next, so arrival order is known.
            while queue.waiting().0 + queue.waiting().1 < tasks.len() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        drop(running);
        for task in tasks {
            task.await.expect("task");
        }
        assert_eq!(*order.lock().expect("lock"), ["pro", "free-1", "free-2"]);
    }

    #[tokio::test]
    async fn a_waiter_that_gives_up_does_not_lose_the_slot() {
        let queue = GenerationQueue::new(1);
        let running = queue.enter(Plan::Free).await;
        let impatient =
            tokio::time::timeout(Duration::from_millis(10), queue.enter(Plan::Pro)).await;
        assert!(impatient.is_err(), "still waiting");
        drop(running);
        let again = tokio::time::timeout(Duration::from_secs(1), queue.enter(Plan::Free)).await;
        assert!(again.is_ok(), "the slot came back");
    }
}
