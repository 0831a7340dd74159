//! A few dedicated threads for CPU-heavy work (password hashing, the photo pipeline). Tokio's
//! blocking pool would run each job on whichever of up to 512 threads is free, and glibc gives
//! busy threads their own heap arenas, each keeping the tens of megabytes a hash or a decode
//! needed: a login burst grew the process to 470 MiB that way. Fixed threads keep that bounded.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct CpuPool {
    name: &'static str,
    jobs: mpsc::Sender<Job>,
}

/// The job panicked, or the pool is shutting down.
#[derive(Debug, thiserror::Error)]
#[error("the {0} worker did not finish the job")]
pub struct JobLost(&'static str);

impl CpuPool {
    /// `threads` workers named after `name`; they end when the last handle is dropped.
    pub fn new(name: &'static str, threads: usize) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || {
                    loop {
                        // Only taking the next job happens under the lock, never the job itself.
                        let next = queue
                            .lock()
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                            .recv();
                        match next {
                            Ok(job) => job(),
                            Err(mpsc::RecvError) => return,
                        }
                    }
                })?;
        }
        Ok(CpuPool { name, jobs })
    }

    /// Runs `work` on the pool's threads, in turn with the other jobs, and waits for its answer.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JobLost> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            // A panic loses this job's answer, not the worker thread.
            if let Ok(value) = catch_unwind(AssertUnwindSafe(work)) {
                let _ = answer.send(value);
            }
        });
        self.jobs.send(job).map_err(|_| JobLost(self.name))?;
        answered.await.map_err(|_| JobLost(self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_the_named_threads_and_a_panic_loses_only_its_job() {
        let pool = CpuPool::new("test-pool", 2).expect("threads");
        let name = pool
            .run(|| std::thread::current().name().map(str::to_owned))
            .await
            .expect("answer");
        assert!(name.is_some_and(|n| n.starts_with("test-pool-")));
        let lost = pool.run(|| panic!("boom")).await;
        assert!(matches!(lost, Err(JobLost("test-pool"))));
        let answers =
            futures_util::future::join_all((0..10).map(|n| pool.run(move || n * 2))).await;
        let answers: Vec<_> = answers.into_iter().map(|a| a.expect("answer")).collect();
        assert_eq!(answers, (0..10).map(|n| n * 2).collect::<Vec<_>>());
    }
}
