//! The photo pipeline on its own threads, one photo per thread at a time (decoding a 12 MP photo
//! holds tens of megabytes), and the places for uploads held in memory while they are read and
//! prepared: each upload may be up to `MAX_UPLOAD_BYTES`, so a burst of big uploads waits for a
//! place instead of exhausting memory.
//!
//! Places are only given to a signed-in account, and one at a time per account while its body is
//! read: a second upload of the same account waits until the first has arrived (within
//! `UPLOAD_READ_TIMEOUT`, like everything else before the body is read). So slow clients cannot
//! take every place unless they hold that many accounts, and whoever reads the body bounds how
//! long it may take. Once a body is in, preparing it takes a bounded moment of CPU, and the
//! account's next upload is read meanwhile: holding the turn until then kept one account's
//! uploads to one pipeline thread.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::account::UserId;
use crate::domain::photo::{self, PhotoLimits, PreparedPhoto};
use crate::error::AppError;
use crate::support::cpu_pool::CpuPool;

/// Uploads read or prepared at once, per pipeline thread. Each holds at most what its client
/// has sent so far, up to the limit. Four keep a thread busy (one prepared while others arrive);
/// eight let one account's burst of 10 MB uploads hold 160 MB once its turn ended with each
/// body's arrival.
const UPLOADS_PER_THREAD: usize = 4;

#[derive(Debug, Clone)]
pub struct UploadConfig {
    pub max_bytes: usize,
    pub photo_max_side: u32,
    /// `UPLOAD_READ_TIMEOUT`: from the request's arrival to the last byte of its body.
    pub read_timeout: Duration,
}

#[derive(Clone)]
pub struct PhotoPipeline {
    limits: PhotoLimits,
    threads: CpuPool,
    uploads: Arc<Semaphore>,
    accounts: Arc<Mutex<HashMap<UserId, Arc<Semaphore>>>>,
}

/// A place for one upload in memory, held from before its first byte is read until the photo
/// is prepared; and, until its body is in, the account's one upload being read.
pub struct UploadSlot {
    _permit: OwnedSemaphorePermit,
    _account: AccountPlace,
}

/// The account's one upload; the account's entry goes when nobody holds or waits for it.
struct AccountPlace {
    user: UserId,
    permit: Option<OwnedSemaphorePermit>,
    accounts: Arc<Mutex<HashMap<UserId, Arc<Semaphore>>>>,
}

impl Drop for AccountPlace {
    fn drop(&mut self) {
        let mut accounts = lock(&self.accounts);
        drop(self.permit.take());
        if accounts
            .get(&self.user)
            .is_some_and(|place| Arc::strong_count(place) == 1)
        {
            accounts.remove(&self.user);
        }
    }
}

fn lock(
    accounts: &Mutex<HashMap<UserId, Arc<Semaphore>>>,
) -> std::sync::MutexGuard<'_, HashMap<UserId, Arc<Semaphore>>> {
    accounts.lock().unwrap_or_else(|p| p.into_inner())
}

/// The uploaded bytes, not yet trusted to be anything, in their place.
pub struct Upload {
    pub bytes: Vec<u8>,
    _place: OwnedSemaphorePermit,
}

impl UploadSlot {
    /// The body is in: the place is kept until the photo is prepared, the account's turn ends.
    pub fn fill(self, bytes: Vec<u8>) -> Upload {
        let UploadSlot { _permit, _account } = self;
        drop(_account);
        Upload {
            bytes,
            _place: _permit,
        }
    }
}

impl PhotoPipeline {
    /// `threads` pipeline threads, and [`UPLOADS_PER_THREAD`] uploads in memory per thread:
    /// that keeps them busy, and a burst of 10 MB uploads within a few hundred megabytes.
    /// Photos are stored at `PHOTO_MAX_SIDE` only when a model looks at them in `high_detail`;
    /// otherwise at the low-detail size, which is then the one copy made: a 12 MP photo decodes
    /// at 1/8 scale instead of 1/4 and is encoded once instead of twice.
    pub fn new(config: &UploadConfig, high_detail: bool, threads: usize) -> std::io::Result<Self> {
        let defaults = PhotoLimits::default();
        let stored_long_side = if high_detail {
            config.photo_max_side
        } else {
            config.photo_max_side.min(defaults.low_detail_long_side)
        };
        Ok(PhotoPipeline {
            limits: PhotoLimits {
                stored_long_side,
                ..defaults
            },
            threads: CpuPool::new("photos", threads)?,
            uploads: Arc::new(Semaphore::new(threads.max(1) * UPLOADS_PER_THREAD)),
            accounts: Arc::default(),
        })
    }

    /// Waits for the account's turn (its earlier upload prepared), then for a place to read an
    /// upload into. The caller bounds the wait.
    pub async fn upload_slot(&self, user: UserId) -> Result<UploadSlot, AppError> {
        let closed = |e: tokio::sync::AcquireError| AppError::Internal(e.into());
        let place = lock(&self.accounts)
            .entry(user)
            .or_insert_with(|| Arc::new(Semaphore::new(1)))
            .clone();
        let mut account = AccountPlace {
            user,
            permit: None,
            accounts: self.accounts.clone(),
        };
        // Held by `account` from here, so a cancelled wait still cleans the entry up.
        let waiting = place.clone();
        drop(place);
        account.permit = Some(waiting.acquire_owned().await.map_err(closed)?);
        let permit = self.uploads.clone().acquire_owned().await.map_err(closed)?;
        Ok(UploadSlot {
            _permit: permit,
            _account: account,
        })
    }

    /// A photo from the copy stored with an earlier fursona, as the generators take it. The
    /// stored copy itself is kept as it is, since encoding it again would lose a little more
    /// at each re-roll; the smaller images are made from it again.
    pub async fn from_stored(
        &self,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<PreparedPhoto, AppError> {
        let limits = self.limits.clone();
        let content_type = content_type.to_owned();
        self.threads
            .run(move || {
                let mut photo = photo::prepare(&bytes, &limits)?;
                if photo.stored.content_type == content_type {
                    photo.stored.bytes = bytes;
                }
                Ok(photo)
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|e: photo::PhotoError| AppError::from(e))
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
