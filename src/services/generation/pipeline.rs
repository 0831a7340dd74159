//! The photo pipeline on its own threads, one photo per thread at a time (decoding a 12 MP photo
//! holds tens of megabytes), and the places for uploads held in memory while they are read and
//! prepared: each upload may be up to `MAX_UPLOAD_BYTES`, so a burst of big uploads waits for a
//! place instead of exhausting memory.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::photo::{self, PhotoLimits, PreparedPhoto};
use crate::error::AppError;
use crate::support::cpu_pool::CpuPool;

#[derive(Debug, Clone)]
pub struct UploadConfig {
    pub max_bytes: usize,
    pub photo_max_side: u32,
}

#[derive(Clone)]
pub struct PhotoPipeline {
    limits: PhotoLimits,
    threads: CpuPool,
    uploads: Arc<Semaphore>,
}

/// A place for one upload in memory, held from before its first byte is read until the photo
/// is prepared.
pub struct UploadSlot {
    _permit: OwnedSemaphorePermit,
}

/// The uploaded bytes, not yet trusted to be anything, in their place.
pub struct Upload {
    pub bytes: Vec<u8>,
    _slot: UploadSlot,
}

impl UploadSlot {
    pub fn fill(self, bytes: Vec<u8>) -> Upload {
        Upload { bytes, _slot: self }
    }
}

impl PhotoPipeline {
    /// `threads` pipeline threads, and one upload in memory per thread: that keeps them busy,
    /// and a burst of 10 MB uploads within a few hundred megabytes.
    pub fn new(config: &UploadConfig, threads: usize) -> std::io::Result<Self> {
        Ok(PhotoPipeline {
            limits: PhotoLimits {
                stored_long_side: config.photo_max_side,
                ..PhotoLimits::default()
            },
            threads: CpuPool::new("photos", threads)?,
            uploads: Arc::new(Semaphore::new(threads.max(1))),
        })
    }

    /// Waits for a place to read an upload into.
    pub async fn upload_slot(&self) -> Result<UploadSlot, AppError> {
        self.uploads
            .clone()
            .acquire_owned()
            .await
            .map(|permit| UploadSlot { _permit: permit })
            .map_err(|e| AppError::Internal(e.into()))
    }

    /// The upload, and its place, are let go once prepared.
    pub async fn prepare(&self, upload: Upload) -> Result<PreparedPhoto, AppError> {
        let limits = self.limits.clone();
        self.threads
            .run(move || photo::prepare(&upload.bytes, &limits))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(AppError::from)
    }
}
