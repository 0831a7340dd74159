//! Generating a fursona from an upload, shared by the API and the pages: prepare the photo,
//! reserve one generation, ask the generator, then store the result or give the generation back.
//! A re-roll is the same from the stored photo of an earlier fursona, keeping some of its fields.

mod pipeline;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::task::TaskTracker;
use uuid::Uuid;

use crate::ai::Generator;
use crate::ai::queue::GenerationQueue;
use crate::domain::fursona::{Field, FursonaId, Kept};
use crate::domain::photo::PreparedPhoto;
use crate::domain::plan::Plan;
use crate::domain::usage::{Usage, UsageClock};
use crate::error::AppError;
use crate::store::Store;
use crate::store::fursonas::{NewFursona, StoredFursona};
use crate::store::usage::{Reservation, Reserved};
use crate::store::users::User;
pub use pipeline::{PhotoPipeline, Upload, UploadConfig, UploadSlot};

/// What a generation starts from besides the photo: for a re-roll, the values kept and the
/// fursona re-rolled.
#[derive(Default)]
struct Lineage {
    kept: Kept,
    parent: Option<FursonaId>,
}

pub struct Generated {
    pub fursona: StoredFursona,
    pub usage: Usage,
}

/// Generations in this process: the parts they use, their tasks (so a shutdown can wait for
/// them) and their reservations until settled (so a shutdown that cannot wait gives them back).
#[derive(Clone)]
pub struct Generations {
    store: Store,
    generator: Arc<dyn Generator>,
    queue: GenerationQueue,
    photos: PhotoPipeline,
    clock: UsageClock,
    tasks: TaskTracker,
    pending: Arc<Mutex<HashMap<Uuid, Reservation>>>,
    /// `REQUIRE_VERIFIED_EMAIL`: an unverified address cannot generate.
    require_verified_email: bool,
}

impl Generations {
    pub fn new(
        store: Store,
        generator: Arc<dyn Generator>,
        queue: GenerationQueue,
        photos: PhotoPipeline,
        clock: UsageClock,
    ) -> Self {
        Generations {
            store,
            generator,
            queue,
            photos,
            clock,
            tasks: TaskTracker::new(),
            pending: Arc::default(),
            require_verified_email: false,
        }
    }

    /// Generating waits until the account's address is verified.
    pub fn requiring_verified_email(mut self, required: bool) -> Self {
        self.require_verified_email = required;
        self
    }

    /// Waits for the account's turn and a place to read its upload into (see
    /// [`PhotoPipeline`]); the caller bounds the wait.
    pub async fn upload_slot(&self, user: &User) -> Result<UploadSlot, AppError> {
        self.photos.upload_slot(user.id).await
    }

    pub async fn generate(&self, user: &User, upload: Upload) -> Result<Generated, AppError> {
        self.may_generate(user)?;
        // A photo that cannot be used is refused before anything is charged.
        let photo = self.photos.prepare(upload).await?;
        self.charge_and_run(user, photo, Lineage::default()).await
    }

    /// A new fursona from the same stored photo as the user's fursona `id`, keeping the values
    /// of `keep` exactly; charged like any generation.
    pub async fn reroll(
        &self,
        user: &User,
        id: FursonaId,
        keep: &[Field],
    ) -> Result<Generated, AppError> {
        self.may_generate(user)?;
        let original = self
            .store
            .find_fursona(user.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (bytes, content_type) = self
            .store
            .fursona_image(user.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let photo = self.photos.from_stored(bytes, &content_type).await?;
        let lineage = Lineage {
            kept: Kept::from_fields(&original.fursona, keep),
            parent: Some(id),
        };
        self.charge_and_run(user, photo, lineage).await
    }

    fn may_generate(&self, user: &User) -> Result<(), AppError> {
        if self.require_verified_email && user.email_verified_at.is_none() {
            return Err(AppError::EmailUnverified);
        }
        Ok(())
    }

    /// Reserves one generation (402 at the limit) and runs it to the end in a task of its own.
    async fn charge_and_run(
        &self,
        user: &User,
        photo: PreparedPhoto,
        lineage: Lineage,
    ) -> Result<Generated, AppError> {
        let reservation = match self
            .store
            .reserve_generation(user.id, self.clock.moment())
            .await?
        {
            Reserved::Yes(reservation) => reservation,
            Reserved::LimitReached(usage) => {
                record(
                    self.generator.engine().as_str(),
                    usage.plan,
                    "limit_reached",
                );
                return Err(AppError::LimitReached(usage));
            }
        };
        // Once charged, the work runs to the end even if the client goes away: the result is
        // kept (it shows up in history) or the generation is given back. Never charged for
        // nothing.
        self.track(&reservation);
        let this = self.clone();
        self.tasks
            .spawn(async move {
                let id = reservation.id;
                let outcome = this.finish(reservation, photo, lineage).await;
                this.untrack(id);
                outcome
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?
    }

    fn track(&self, reservation: &Reservation) {
        self.lock().insert(reservation.id, reservation.clone());
    }

    fn untrack(&self, id: Uuid) {
        self.lock().remove(&id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Reservation>> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// At shutdown: lets running generations finish for up to `within`, then gives back the
    /// generations of any that did not.
    pub async fn drain(&self, within: Duration) {
        self.tasks.close();
        if tokio::time::timeout(within, self.tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!("generations still running at the end of the grace period");
        }
        let left: Vec<Reservation> = self.lock().drain().map(|(_, r)| r).collect();
        for reservation in left {
            match self
                .store
                .release_generation(&reservation, self.clock.now())
                .await
            {
                Ok(_) => {
                    tracing::info!(reservation = %reservation.id, "gave back an unfinished generation")
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not give back a generation; the settler will")
                }
            }
        }
    }

    async fn finish(
        &self,
        reservation: Reservation,
        photo: PreparedPhoto,
        lineage: Lineage,
    ) -> Result<Generated, AppError> {
        let engine = self.generator.engine().as_str();
        let generated = {
            let _slot = self.queue.enter(reservation.plan).await;
            let started = std::time::Instant::now();
            let generated = self
                .generator
                .generate(&photo, reservation.plan, reservation.user_id, &lineage.kept)
                .await;
            metrics::histogram!("ai_request_duration_seconds", "engine" => engine)
                .record(started.elapsed().as_secs_f64());
            generated
        };
        let generation = match generated {
            Ok(generation) => generation,
            Err(error) => {
                record(engine, reservation.plan, error.kind());
                self.store
                    .release_generation(&reservation, self.clock.now())
                    .await?;
                return Err(error.into());
            }
        };
        if let Some(tokens) = generation.tokens {
            metrics::counter!("ai_tokens_total", "engine" => engine).increment(u64::from(tokens));
        }
        let stored = StoredFursona {
            id: FursonaId::new(),
            description: generation.fursona.description(),
            engine: generation.engine.as_str().to_owned(),
            model: generation.model,
            created_at: self.clock.now(),
            fursona: generation.fursona,
            parent_id: lineage.parent,
            edited_at: None,
            revision: 0,
            share: None,
        };
        let row = NewFursona {
            id: stored.id,
            user_id: reservation.user_id,
            data: serde_json::to_string(&stored.fursona)
                .map_err(|e| AppError::Internal(e.into()))?,
            description: stored.description.clone(),
            engine: &stored.engine,
            model: &stored.model,
            tokens: generation.tokens,
            image: &photo.stored.bytes,
            image_type: photo.stored.content_type,
            created_at: stored.created_at,
            parent_id: stored.parent_id,
        };
        match self
            .store
            .complete_generation(&reservation, &row, self.clock.moment())
            .await
        {
            Ok(usage) => {
                record(engine, reservation.plan, "stored");
                Ok(Generated {
                    fursona: stored,
                    usage,
                })
            }
            Err(error) => {
                // Storing failed (the database is down?): give the generation back if we can; if
                // not, the settler does it once the reservation is stale.
                if let Err(e) = self
                    .store
                    .release_generation(&reservation, self.clock.now())
                    .await
                {
                    tracing::warn!(error = %e, "could not give back a generation; the settler will");
                }
                match error {
                    // The account (or the fursona re-rolled) was deleted while this one was
                    // being made: nothing of it may be stored, and that is the answer, not an
                    // internal error.
                    sqlx::Error::Database(e) if e.is_foreign_key_violation() => {
                        Err(AppError::Conflict(
                            "the account or the original fursona was deleted while this one was being made",
                        ))
                    }
                    error => Err(error.into()),
                }
            }
        }
    }

    /// Gives back generations whose process died between reserving and finishing. Safe to run
    /// in several instances at once: each reservation is settled by whoever deletes its row.
    pub async fn settle_stale_reservations(&self, older_than: Duration) -> Result<usize, AppError> {
        let cutoff = self.clock.now() - older_than;
        let mut settled = 0;
        for reservation in self.store.stale_reservations(cutoff).await? {
            if self
                .store
                .release_generation(&reservation, self.clock.now())
                .await?
            {
                settled += 1;
            }
        }
        if settled > 0 {
            tracing::warn!(
                settled,
                "gave back generations left pending by an interrupted process"
            );
        }
        Ok(settled)
    }
}

/// One generation's outcome, by engine and plan.
fn record(engine: &'static str, plan: Plan, outcome: &'static str) {
    metrics::counter!("generations_total", "engine" => engine, "plan" => plan.as_str(), "outcome" => outcome)
        .increment(1);
}
