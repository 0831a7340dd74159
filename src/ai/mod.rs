//! Turning a prepared photo into a fursona, behind one trait: the OpenAI client (any
//! OpenAI-compatible server) and the offline generator. [`queue`] bounds how many run at once.

pub mod offline;
pub mod openai;
pub mod queue;
mod retry;

pub use async_openai::types::chat::ReasoningEffort;
pub use openai::{Detail, ModelChoice, OpenAiConfig};

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::domain::account::UserId;
use crate::domain::fursona::{Fursona, Kept};
use crate::domain::photo::PreparedPhoto;
use crate::domain::plan::{PLANS, Plan};

#[derive(Debug, Clone)]
pub struct AiConfig {
    /// `None`: the offline generator.
    pub openai: Option<OpenAiConfig>,
    pub timeout: Duration,
    pub max_concurrency: usize,
}

/// Which generator made a result; shown in the UI and the API's `engine` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    OpenAi,
    Offline,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::OpenAi => "openai",
            Engine::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "openai" => Some(Engine::OpenAi),
            "offline" => Some(Engine::Offline),
            _ => None,
        }
    }
}

/// Who made a stored fursona, for people: "OpenAI (gpt-...)" or "the offline generator".
pub fn made_by(engine: &str, model: &str) -> String {
    match Engine::parse(engine) {
        Some(Engine::OpenAi) => format!("OpenAI ({model})"),
        Some(Engine::Offline) => "the offline generator".to_owned(),
        None => engine.to_owned(),
    }
}

/// A validated fursona and what it cost.
#[derive(Debug)]
pub struct Generation {
    pub fursona: Fursona,
    pub engine: Engine,
    pub model: String,
    pub tokens: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum AiError {
    /// The model looked at the photo and said it cannot be used (e.g. nothing recognisable).
    #[error("this photo cannot be used: {0}")]
    UnusablePhoto(String),
    #[error("the AI declined to describe this photo")]
    Refused(String),
    /// Timeouts, connection failures, rate limits and server errors that outlasted the retries.
    #[error("the AI service is busy or unreachable; try again in a minute")]
    Unavailable(String),
    /// An answer that cannot be used: an error status, truncated or invalid output.
    #[error("the AI service gave an unusable answer; try again")]
    BadAnswer(String),
}

impl AiError {
    /// A short label for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            AiError::UnusablePhoto(_) => "unusable_photo",
            AiError::Refused(_) => "refused",
            AiError::Unavailable(_) => "ai_unavailable",
            AiError::BadAnswer(_) => "bad_answer",
        }
    }
}

/// The model a plan's generations use, and the image detail sent to it (`None`: no image is
/// sent anywhere).
pub struct ModelInfo {
    pub model: String,
    pub detail: Option<Detail>,
}

#[async_trait]
pub trait Generator: Send + Sync {
    fn engine(&self) -> Engine;

    fn model_for(&self, plan: Plan) -> ModelInfo;

    /// Whether the model sees any plan's photo in high detail. Otherwise nothing ever uses more
    /// than the low-detail copy, and the stored photo is kept at that size.
    fn sees_high_detail(&self) -> bool {
        PLANS
            .iter()
            .any(|info| self.model_for(info.plan).detail == Some(Detail::High))
    }

    /// A fursona for the photo whose kept fields are exactly `kept`'s, the others made to fit
    /// them. `account` is who asked (a hashed form of it goes to OpenAI as the
    /// `safety_identifier`).
    async fn generate(
        &self,
        photo: &PreparedPhoto,
        plan: Plan,
        account: UserId,
        kept: &Kept,
    ) -> Result<Generation, AiError>;
}

/// The generator the configuration asks for.
pub fn from_config(config: &AiConfig) -> Arc<dyn Generator> {
    match &config.openai {
        Some(openai) => Arc::new(openai::OpenAiGenerator::new(openai, config.timeout)),
        None => Arc::new(OfflineGenerator),
    }
}

/// The generator with no network: palette, colour families and pattern measured from the photo,
/// the rest from curated tables chosen to fit them. It is CPU work on a small sample, so it runs
/// on a blocking thread.
pub struct OfflineGenerator;

/// Names the offline tables in stored results, so a later change of tables is traceable.
pub const OFFLINE_MODEL: &str = "offline-tables-v2";

#[async_trait]
impl Generator for OfflineGenerator {
    fn engine(&self) -> Engine {
        Engine::Offline
    }

    fn model_for(&self, _plan: Plan) -> ModelInfo {
        ModelInfo {
            model: OFFLINE_MODEL.to_owned(),
            detail: None,
        }
    }

    async fn generate(
        &self,
        photo: &PreparedPhoto,
        _plan: Plan,
        _account: UserId,
        kept: &Kept,
    ) -> Result<Generation, AiError> {
        let sample = photo.sample.clone();
        let kept = kept.clone();
        let fursona = tokio::task::spawn_blocking(move || {
            offline::compose_keeping(&sample, &kept, &mut rand::rng())
        })
        .await
        .map_err(|e| AiError::BadAnswer(format!("offline generator failed: {e}")))?
        .validated()
        .map_err(|e| AiError::BadAnswer(format!("offline generator produced {e}")))?;
        Ok(Generation {
            fursona,
            engine: Engine::Offline,
            model: OFFLINE_MODEL.to_owned(),
            tokens: None,
        })
    }
}
