//! The OpenAI generator: Chat Completions with the photo as a base64 data URL and a strict JSON
//! schema for the answer. Works with any OpenAI-compatible server through `OPENAI_BASE_URL`.
//! Failed calls are retried by [`super::retry`] under the client.

use std::time::Duration;

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::ReqwestService;
use async_openai::types::chat::ReasoningEffort;
use async_openai::types::chat::{
    ChatCompletionRequestMessage, ChatCompletionRequestMessageContentPartImage,
    ChatCompletionRequestMessageContentPartText, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestSystemMessageContent, ChatCompletionRequestUserMessage,
    ChatCompletionRequestUserMessageContent, ChatCompletionRequestUserMessageContentPart,
    CreateChatCompletionRequest, FinishReason, ImageDetail, ImageUrl, ResponseFormat,
    ResponseFormatJsonSchema,
};
use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::seq::IndexedRandom;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::retry::RetryLayer;
use super::{AiError, Engine, Generation, Generator, ModelInfo};
use crate::domain::account::UserId;
use crate::domain::fursona::{Fursona, Kept, PALETTE_SIZE, Swatch, TRAIT_COUNT};
use crate::domain::photo::PreparedPhoto;
use crate::domain::plan::Plan;

const OPENAI_API_BASE: &str = "https://api.openai.com/v1";
/// Room for the JSON answer (and a reasoning model's thinking) without letting it run away.
const MAX_COMPLETION_TOKENS: u32 = 4000;

const SYSTEM_PROMPT: &str = "You design fursonas: original furry personas (anthropomorphic \
animal or creature characters) for the person who sent the photo. The photo may show a person, \
a pet, another animal, an object or a scene. Draw inspiration from what you see: take the \
palette from the photo's real colours (hex values close to colours actually in it), ordered by \
how much of the photo each colour covers, largest first, and let its mood, textures, shapes and \
features suggest the species, markings, personality and story. For a person, never describe or \
guess their identity, ethnicity, age or health: translate only colours, clothing, style and \
mood. Species may be any animal or fandom species (fox, wolf, cat, dragon, bird, otter, \
protogen, sergal, avali, wickerbeast, Dutch angel dragon, ...). Decide in the order of the \
fields: first whether the photo is usable, then the species, then the palette and markings \
that species can wear, then the eyes, name and personality, and the backstory last, each \
fitting what came before. Every palette colour's \"where\" names a body part the species \
really has (no wings on a wingless species, no mane on a tiger, no gills on a cat), and the \
markings mention every palette colour, in lower case mid-sentence. Stay within these limits, \
or the answer is rejected: name and species at most 80 characters each; 3 to 6 palette \
colours as #rrggbb, each name at most 60 characters and each \"where\" at most 120; markings \
at most 600; eye_color at most 80; 3 to 5 personality traits of at most 60 characters; \
backstory at most 2000 (one short paragraph of 3 to 6 sentences is best). Write warmly and \
concretely. If the image is blank, unreadable, or not a photo you can draw inspiration from, \
set usable to false and explain why in unusable_reason; otherwise usable is true and \
unusable_reason is null.";

const USER_PROMPT: &str = "Create a fursona inspired by this photo.";

/// One of these is added to each request, so repeated calls on one photo differ (the same
/// prompt and photo would otherwise get much the same answer every time).
const ANGLES: &[&str] = &[
    "a less obvious species that still fits the photo",
    "a gentle, quiet character",
    "a bold, adventurous character",
    "a character who lives in a big city",
    "a character from somewhere wild and remote",
    "a funny, slightly chaotic character",
    "a thoughtful, bookish character",
    "a character with an unusual job",
    "a fantasy or fandom species if one fits",
    "a character shaped by the sea",
    "a character shaped by the mountains",
    "a warm, sociable character",
];

#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    pub api_key: Option<SecretString>,
    /// `None`: api.openai.com.
    pub base_url: Option<String>,
    pub max_retries: usize,
    /// Sent to reasoning models, whose reasoning tokens count against the completion limit;
    /// `None`: not sent (models without reasoning may reject it).
    pub reasoning_effort: Option<ReasoningEffort>,
    pub free: ModelChoice,
    pub basic: ModelChoice,
    pub pro: ModelChoice,
}

/// The model and image detail one plan gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelChoice {
    pub model: String,
    pub detail: Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Low,
    High,
}

impl Detail {
    pub fn as_str(self) -> &'static str {
        match self {
            Detail::Low => "low",
            Detail::High => "high",
        }
    }
}

pub struct OpenAiGenerator {
    client: Client<OpenAIConfig>,
    config: OpenAiConfig,
    timeout: Duration,
}

impl OpenAiGenerator {
    pub fn new(config: &OpenAiConfig, timeout: Duration) -> Self {
        let api = OpenAIConfig::new()
            .with_api_base(config.base_url.as_deref().unwrap_or(OPENAI_API_BASE))
            .with_api_key(config.api_key.as_ref().map_or("", |k| k.expose_secret()));
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .unwrap_or_default();
        let transport = tower::ServiceBuilder::new()
            .layer(RetryLayer::new(config.max_retries))
            .service(ReqwestService::new(http));
        OpenAiGenerator {
            client: Client::with_config(api).with_http_service(transport),
            config: config.clone(),
            timeout,
        }
    }

    fn choice(&self, plan: Plan) -> &ModelChoice {
        match plan {
            Plan::Free => &self.config.free,
            Plan::Basic => &self.config.basic,
            Plan::Pro => &self.config.pro,
        }
    }
}

#[async_trait]
impl Generator for OpenAiGenerator {
    fn engine(&self) -> Engine {
        Engine::OpenAi
    }

    fn model_for(&self, plan: Plan) -> ModelInfo {
        let choice = self.choice(plan);
        ModelInfo {
            model: choice.model.clone(),
            detail: Some(choice.detail),
        }
    }

    async fn generate(
        &self,
        photo: &PreparedPhoto,
        plan: Plan,
        account: UserId,
        kept: &Kept,
    ) -> Result<Generation, AiError> {
        let choice = self.choice(plan);
        let angle = ANGLES
            .choose(&mut rand::rng())
            .copied()
            .unwrap_or(ANGLES[0]);
        let mut request = request(choice, photo, &user_prompt(kept, angle));
        request.safety_identifier = Some(safety_identifier(account));
        request.reasoning_effort = self.config.reasoning_effort.clone();
        let response = tokio::time::timeout(self.timeout, self.client.chat().create(request))
            .await
            .map_err(|_| AiError::Unavailable(format!("no answer within {:?}", self.timeout)))?
            .map_err(classify)?;
        let tokens = response.usage.as_ref().map(|u| u.total_tokens);
        let choice_made = response
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| AiError::BadAnswer("the answer has no choices".into()))?;
        if let Some(refusal) = choice_made.message.refusal.filter(|r| !r.trim().is_empty()) {
            return Err(AiError::Refused(refusal));
        }
        match choice_made.finish_reason {
            Some(FinishReason::Length) => {
                return Err(AiError::BadAnswer("the answer was cut off".into()));
            }
            Some(FinishReason::ContentFilter) => {
                return Err(AiError::Refused("content filter".into()));
            }
            _ => {}
        }
        let content = choice_made
            .message
            .content
            .ok_or_else(|| AiError::BadAnswer("the answer is empty".into()))?;
        // The model was told the kept fields; whatever it wrote for them, they stay exactly
        // the original's.
        let fursona = kept.apply(parse_answer(&content)?);
        Ok(Generation {
            fursona,
            engine: Engine::OpenAi,
            model: choice.model.clone(),
            tokens,
        })
    }
}

/// What the user message says: the task, the kept fields as fixed facts, and this call's angle.
fn user_prompt(kept: &Kept, angle: &str) -> String {
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let mut facts = Vec::new();
    if let Some(species) = &kept.species {
        facts.push(format!("species: {}", quoted(species)));
    }
    if let Some(palette) = &kept.palette {
        let swatches: Vec<String> = palette
            .iter()
            .map(|s| {
                format!(
                    "{} {} on the {}",
                    quoted(&s.name),
                    s.hex,
                    quoted(&s.placement)
                )
            })
            .collect();
        facts.push(format!("palette, in this order: {}", swatches.join("; ")));
    }
    if let Some(markings) = &kept.markings {
        facts.push(format!("markings: {}", quoted(markings)));
    }
    if let Some(eyes) = &kept.eye_color {
        facts.push(format!("eye_color: {}", quoted(eyes)));
    }
    if let Some(name) = &kept.name {
        facts.push(format!("name: {}", quoted(name)));
    }
    if let Some(traits) = &kept.personality {
        let traits: Vec<String> = traits.iter().map(|t| quoted(t)).collect();
        facts.push(format!("personality: {}", traits.join(", ")));
    }
    if let Some(backstory) = &kept.backstory {
        facts.push(format!("backstory: {}", quoted(backstory)));
    }
    let mut prompt = USER_PROMPT.to_owned();
    if facts.is_empty() {
        prompt.push_str(&format!(" This time, lean towards {angle}."));
    } else {
        prompt.push_str(
            " These fields are fixed facts about this fursona: repeat them exactly as given, \
             and make every other field fit them (parts the species has, colours from this \
             palette, a story about this name and personality).\n",
        );
        for fact in facts {
            prompt.push_str(&format!("- {fact}\n"));
        }
        prompt.push_str(&format!("For the other fields, lean towards {angle}."));
    }
    prompt
}

/// A stable, one-way name for the account, so OpenAI can tell users apart without learning who
/// they are.
fn safety_identifier(account: UserId) -> String {
    let digest = Sha256::digest(format!("fursona-account:{}", account.0));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn request(
    choice: &ModelChoice,
    photo: &PreparedPhoto,
    prompt: &str,
) -> CreateChatCompletionRequest {
    // At low detail the model sees at most 512 px, so anything larger is wasted bytes.
    let image = match choice.detail {
        Detail::Low => &photo.low_detail,
        Detail::High => &photo.stored,
    };
    let data_url = format!(
        "data:{};base64,{}",
        image.content_type,
        STANDARD.encode(&image.bytes)
    );
    let detail = match choice.detail {
        Detail::Low => ImageDetail::Low,
        Detail::High => ImageDetail::High,
    };
    let system = ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage {
        content: ChatCompletionRequestSystemMessageContent::Text(SYSTEM_PROMPT.into()),
        name: None,
    });
    let user = ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage {
        content: ChatCompletionRequestUserMessageContent::Array(vec![
            ChatCompletionRequestUserMessageContentPart::Text(
                ChatCompletionRequestMessageContentPartText {
                    text: prompt.into(),
                    ..Default::default()
                },
            ),
            ChatCompletionRequestUserMessageContentPart::ImageUrl(
                ChatCompletionRequestMessageContentPartImage {
                    image_url: ImageUrl {
                        url: data_url,
                        detail: Some(detail),
                    },
                    ..Default::default()
                },
            ),
        ]),
        name: None,
    });
    CreateChatCompletionRequest {
        model: choice.model.clone(),
        messages: vec![system, user],
        response_format: Some(ResponseFormat::JsonSchema {
            json_schema: ResponseFormatJsonSchema {
                name: "fursona".into(),
                description: Some("A fursona inspired by the photo".into()),
                schema: schema(),
                strict: Some(true),
            },
        }),
        max_completion_tokens: Some(MAX_COMPLETION_TOKENS),
        ..Default::default()
    }
}

/// The strict schema of the answer: every property required, nothing extra, colours as
/// `#rrggbb`, and a way for the model to say the photo cannot be used. Strict structured output
/// writes the keys in the schema's order, so the order is the order a model should decide in:
/// usable first, the species before what it wears, the story last (serde_json keeps insertion
/// order with its `preserve_order` feature, which this relies on).
pub fn schema() -> Value {
    let text = |description: &str| json!({"type": "string", "description": description});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": SCHEMA_ORDER,
        "properties": {
            "usable": {"type": "boolean", "description": "false if no fursona can be drawn from this image"},
            "unusable_reason": {"type": ["string", "null"], "description": "why the image cannot be used, else null"},
            "species": text("species, e.g. red fox, protogen, Dutch angel dragon; at most 80 characters"),
            "palette": {
                "type": "array",
                "minItems": PALETTE_SIZE.start(),
                "maxItems": PALETTE_SIZE.end(),
                "description": "the photo's colours, the one covering most of it first",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name", "hex", "where"],
                    "properties": {
                        "name": text("an evocative colour name, e.g. Amber; at most 60 characters"),
                        "hex": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$", "description": "the colour as #rrggbb, taken from the photo"},
                        "where": text("a body part this species has, e.g. main fur, ear tips; at most 120 characters")
                    }
                }
            },
            "markings": text("markings and patterns naming every palette colour, one or two sentences; at most 600 characters"),
            "eye_color": text("eye colour; at most 80 characters"),
            "name": text("the fursona's name; at most 80 characters"),
            "personality": {
                "type": "array",
                "minItems": TRAIT_COUNT.start(),
                "maxItems": TRAIT_COUNT.end(),
                "items": text("one personality trait, one or two words; at most 60 characters")
            },
            "backstory": text("a short paragraph of backstory; at most 2000 characters")
        }
    })
}

/// The answer's properties in the order a model should decide them.
pub const SCHEMA_ORDER: [&str; 9] = [
    "usable",
    "unusable_reason",
    "species",
    "palette",
    "markings",
    "eye_color",
    "name",
    "personality",
    "backstory",
];

/// The answer as the schema describes it.
#[derive(Deserialize)]
struct Answer {
    usable: bool,
    unusable_reason: Option<String>,
    name: String,
    species: String,
    palette: Vec<Swatch>,
    markings: String,
    eye_color: String,
    personality: Vec<String>,
    backstory: String,
}

fn parse_answer(content: &str) -> Result<Fursona, AiError> {
    let answer: Answer = serde_json::from_str(content)
        .map_err(|e| AiError::BadAnswer(format!("the answer is not the requested JSON: {e}")))?;
    if !answer.usable {
        let reason = answer
            .unusable_reason
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| "the AI could not find anything to draw inspiration from".into());
        return Err(AiError::UnusablePhoto(reason));
    }
    Fursona {
        name: answer.name,
        species: answer.species,
        palette: answer.palette,
        markings: answer.markings,
        eye_color: answer.eye_color,
        personality: answer.personality,
        backstory: answer.backstory,
    }
    .validated()
    .map_err(|e| AiError::BadAnswer(format!("the answer breaks a rule: {e}")))
}

/// Which failures are worth trying again later (503) and which are answers that went wrong (502).
fn classify(error: OpenAIError) -> AiError {
    match error {
        OpenAIError::ApiError(e) if e.status_code.as_u16() == 429 => {
            if e.api_error.r#type.as_deref() == Some("insufficient_quota")
                || e.api_error.code.as_deref() == Some("insufficient_quota")
            {
                // Nothing the user can do and no retry helps: the operator must add credit.
                tracing::error!(error = %e.api_error, "the OpenAI account's quota is exhausted: generations fail until credit is added");
                AiError::Unavailable(format!("the AI account is out of quota: {}", e.api_error))
            } else {
                AiError::Unavailable(format!("rate limited: {}", e.api_error))
            }
        }
        OpenAIError::ApiError(e) if e.status_code.is_server_error() => {
            AiError::Unavailable(format!("server error {}: {}", e.status_code, e.api_error))
        }
        OpenAIError::ApiError(e) => {
            AiError::BadAnswer(format!("{} {}", e.status_code, e.api_error))
        }
        OpenAIError::Reqwest(e) if e.is_timeout() || e.is_connect() => {
            AiError::Unavailable(e.to_string())
        }
        other => AiError::BadAnswer(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unusable_answer_is_an_error_with_the_models_reason() {
        let content = json!({"usable": false, "unusable_reason": "the image is entirely black",
            "name": "", "species": "", "palette": [], "markings": "", "eye_color": "",
            "personality": [], "backstory": ""});
        match parse_answer(&content.to_string()) {
            Err(AiError::UnusablePhoto(reason)) => assert!(reason.contains("black")),
            other => panic!("expected UnusablePhoto, got {other:?}"),
        }
    }

    #[test]
    fn json_that_breaks_the_rules_is_refused() {
        let content = json!({"usable": true, "unusable_reason": null, "name": "Ash",
            "species": "wolf", "palette": [{"name": "Grey", "hex": "grey", "where": "fur"}],
            "markings": "none", "eye_color": "blue", "personality": ["calm"], "backstory": "x"});
        assert!(matches!(
            parse_answer(&content.to_string()),
            Err(AiError::BadAnswer(_))
        ));
        assert!(matches!(
            parse_answer("{not json"),
            Err(AiError::BadAnswer(_))
        ));
    }

    #[test]
    fn the_schema_is_strict_everywhere() {
        fn check(node: &Value) {
            if node.get("type") == Some(&json!("object")) {
                assert_eq!(node["additionalProperties"], false);
                let properties = node["properties"].as_object().expect("properties");
                let required: Vec<&str> = node["required"]
                    .as_array()
                    .expect("required")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                assert_eq!(properties.len(), required.len());
                properties.values().for_each(check);
            }
            if let Some(items) = node.get("items") {
                check(items);
            }
        }
        check(&schema());
    }
}
