//! Generating a fursona from an upload, shared by the API and the pages: prepare the photo,
//! reserve one generation, ask the generator, then store the result or give the generation back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::task::TaskTracker;
use uuid::Uuid;

use crate::domain::fursona::FursonaId;
use crate::domain::photo::{self, PreparedPhoto};
use crate::domain::usage::Usage;
use crate::error::AppError;
use crate::routes::upload::Upload;
use crate::state::{AppState, PhotoPipeline};
use crate::store::fursonas::{NewFursona, StoredFursona};
use crate::store::usage::{Reservation, Reserved};
use crate::store::users::User;

pub struct Generated {
    pub fursona: StoredFursona,
    pub usage: Usage,
}

pub async fn generate(
    state: &AppState,
    user: &User,
    upload: Upload,
) -> Result<Generated, AppError> {
    // A photo that cannot be used is refused before anything is charged.
    let photo = state.photos.prepare(upload).await?;
    let reservation = match state
        .store
        .reserve_generation(user.id, state.moment())
        .await?
    {
        Reserved::Yes(reservation) => reservation,
        Reserved::LimitReached(usage) => {
            record(
                state.generator.engine().as_str(),
                usage.plan,
                "limit_reached",
            );
            return Err(AppError::LimitReached(usage));
        }
    };
    // Once charged, the work runs to the end even if the client goes away: the result is kept
    // (it shows up in history) or the generation is given back. Never charged for nothing.
    state.generations.track(&reservation);
    let task_state = state.clone();
    state
        .generations
        .tasks
        .spawn(async move {
            let id = reservation.id;
            let outcome = finish(&task_state, reservation, photo).await;
            task_state.generations.untrack(id);
            outcome
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
}

/// The generations running in this process: their tasks, so a shutdown can wait for them, and
/// their reservations until settled, so a shutdown that cannot wait gives them back.
#[derive(Clone, Default)]
pub struct Generations {
    tasks: TaskTracker,
    pending: Arc<Mutex<HashMap<Uuid, Reservation>>>,
}

impl Generations {
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
    pub async fn drain(&self, state: &AppState, within: Duration) {
        self.tasks.close();
        if tokio::time::timeout(within, self.tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!("generations still running at the end of the grace period");
        }
        let left: Vec<Reservation> = self.lock().drain().map(|(_, r)| r).collect();
        for reservation in left {
            match state.store.release_generation(&reservation).await {
                Ok(_) => {
                    tracing::info!(reservation = %reservation.id, "gave back an unfinished generation")
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not give back a generation; the settler will")
                }
            }
        }
    }
}

async fn finish(
    state: &AppState,
    reservation: Reservation,
    photo: PreparedPhoto,
) -> Result<Generated, AppError> {
    let engine = state.generator.engine().as_str();
    let generated = {
        let _slot = state.generation_queue.enter(reservation.plan).await;
        let started = std::time::Instant::now();
        let generated = state.generator.generate(&photo, reservation.plan).await;
        metrics::histogram!("ai_request_duration_seconds", "engine" => engine)
            .record(started.elapsed().as_secs_f64());
        generated
    };
    let generation = match generated {
        Ok(generation) => generation,
        Err(error) => {
            record(engine, reservation.plan, error.kind());
            state.store.release_generation(&reservation).await?;
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
        created_at: state.clock.now(),
        fursona: generation.fursona,
    };
    let row = NewFursona {
        id: stored.id,
        user_id: reservation.user_id,
        data: serde_json::to_string(&stored.fursona).map_err(|e| AppError::Internal(e.into()))?,
        description: stored.description.clone(),
        engine: &stored.engine,
        model: &stored.model,
        tokens: generation.tokens,
        image: &photo.stored.bytes,
        image_type: photo.stored.content_type,
        created_at: stored.created_at,
    };
    match state
        .store
        .complete_generation(&reservation, &row, state.moment())
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
            if let Err(e) = state.store.release_generation(&reservation).await {
                tracing::warn!(error = %e, "could not give back a generation; the settler will");
            }
            Err(error.into())
        }
    }
}

/// One generation's outcome, by engine and plan.
fn record(engine: &'static str, plan: crate::domain::plan::Plan, outcome: &'static str) {
    metrics::counter!("generations_total", "engine" => engine, "plan" => plan.as_str(), "outcome" => outcome)
        .increment(1);
}

impl PhotoPipeline {
    /// The upload, and its place among the uploads held in memory, are let go once prepared.
    pub async fn prepare(&self, upload: Upload) -> Result<PreparedPhoto, AppError> {
        let limits = self.limits.clone();
        self.threads
            .run(move || photo::prepare(&upload.bytes, &limits))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(AppError::from)
    }
}

/// Gives back generations whose process died between reserving and finishing. Safe to run in
/// several instances at once: each reservation is settled by whoever deletes its row.
pub async fn settle_stale_reservations(
    state: &AppState,
    older_than: Duration,
) -> Result<usize, AppError> {
    let cutoff = state.clock.now() - older_than;
    let mut settled = 0;
    for reservation in state.store.stale_reservations(cutoff).await? {
        if state.store.release_generation(&reservation).await? {
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
