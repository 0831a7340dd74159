//! What the fursona templates show, prepared from stored results.

use time::OffsetDateTime;
use time::macros::format_description;

use super::error::capitalized;
use crate::ai::Engine;
use crate::domain::fursona::Fursona;
use crate::error::AppError;
use crate::routes::shapes::image_url;
use crate::store::fursonas::StoredFursona;

pub struct CardView {
    pub id: String,
    pub fursona: Fursona,
    pub image_url: String,
    pub created: String,
    /// "OpenAI (gpt-...)" or "the offline generator".
    pub made_by: String,
}

impl From<StoredFursona> for CardView {
    fn from(stored: StoredFursona) -> Self {
        let made_by = match Engine::parse(&stored.engine) {
            Some(Engine::OpenAi) => format!("OpenAI ({})", stored.model),
            Some(Engine::Offline) => "the offline generator".to_owned(),
            None => stored.engine.clone(),
        };
        CardView {
            id: stored.id.to_string(),
            image_url: image_url(stored.id),
            created: date(stored.created_at),
            made_by,
            fursona: stored.fursona,
        }
    }
}

/// "27 November 2026".
pub fn date(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[day padding:none] [month repr:long] [year]"
    ))
    .unwrap_or_default()
}

/// A refused generation, in plain words.
pub struct GenerateError {
    pub message: String,
    /// At the plan's limit: offer the plans instead.
    pub upgrade: bool,
}

impl GenerateError {
    pub fn from_error(error: &AppError) -> Self {
        GenerateError {
            message: format!("{}.", capitalized(&error.to_string())),
            upgrade: matches!(error, AppError::LimitReached(_)),
        }
    }
}
