//! Generating a fursona from an upload, shared by the API and the pages: prepare the photo,
//! reserve one generation, ask the generator, then store the result or give the generation back.

use std::time::Duration;

use crate::domain::fursona::FursonaId;
use crate::domain::photo::{self, PreparedPhoto};
use crate::domain::usage::Usage;
use crate::error::AppError;
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
    upload: Vec<u8>,
) -> Result<Generated, AppError> {
    // A photo that cannot be used is refused before anything is charged.
    let photo = state.photos.prepare(upload).await?;
    let reservation = match state
        .store
        .reserve_generation(user.id, state.moment())
        .await?
    {
        Reserved::Yes(reservation) => reservation,
        Reserved::LimitReached(usage) => return Err(AppError::LimitReached(usage)),
    };
    // Once charged, the work runs to the end even if the client goes away: the result is kept
    // (it shows up in history) or the generation is given back. Never charged for nothing.
    let state = state.clone();
    tokio::spawn(async move { finish(&state, reservation, photo).await })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
}

async fn finish(
    state: &AppState,
    reservation: Reservation,
    photo: PreparedPhoto,
) -> Result<Generated, AppError> {
    let generated = {
        let _slot = state.generation_queue.enter(reservation.plan).await;
        state.generator.generate(&photo, reservation.plan).await
    };
    let generation = match generated {
        Ok(generation) => generation,
        Err(error) => {
            state.store.release_generation(&reservation).await?;
            return Err(error.into());
        }
    };
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
        Ok(usage) => Ok(Generated {
            fursona: stored,
            usage,
        }),
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

impl PhotoPipeline {
    pub async fn prepare(&self, upload: Vec<u8>) -> Result<PreparedPhoto, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        let limits = self.limits.clone();
        tokio::task::spawn_blocking(move || photo::prepare(&upload, &limits))
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
