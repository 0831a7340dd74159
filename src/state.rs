//! What every handler can reach. Built once at start by [`crate::startup`]; no globals.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::ai::Generator;
use crate::ai::queue::GenerationQueue;
use crate::auth::jwt::Jwt;
use crate::auth::password::Passwords;
use crate::auth::throttle::LoginThrottle;
use crate::billing::Payments;
use crate::config::Config;
use crate::cpu_pool::CpuPool;
use crate::domain::photo::PhotoLimits;
use crate::domain::usage::{Clock, Moment};
use crate::generation::Generations;
use crate::routes::health::DatabaseHealth;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub jwt: Jwt,
    pub passwords: Passwords,
    pub login_throttle: LoginThrottle,
    pub clock: Arc<dyn Clock>,
    pub generator: Arc<dyn Generator>,
    pub generation_queue: GenerationQueue,
    pub photos: PhotoPipeline,
    /// `None`: payments are not configured.
    pub payments: Option<Payments>,
    pub generations: Generations,
    pub health: DatabaseHealth,
}

impl AppState {
    /// Now, as usage periods and payment grace see it.
    pub fn moment(&self) -> Moment {
        let now = self.clock.now();
        Moment {
            now,
            past_due_cutoff: now - self.config.billing.past_due_grace,
        }
    }
}

/// The image pipeline on its own threads, one photo per thread at a time: decoding a 12 MP
/// photo holds tens of megabytes. Uploads are read a bounded number at once too, each up to
/// `MAX_UPLOAD_BYTES` in memory, so that a burst of big uploads waits instead of exhausting it.
#[derive(Clone)]
pub struct PhotoPipeline {
    pub limits: PhotoLimits,
    pub threads: CpuPool,
    pub uploads: Arc<Semaphore>,
}
