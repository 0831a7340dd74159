//! `/api/subscription`: the plan table, the caller's subscription, Checkout and the portal.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::extract::{ApiJson, ApiUser};
use crate::ai::Engine;
use crate::config::Detail;
use crate::domain::plan::{PLANS, Plan, PlanInfo};
use crate::error::ApiError;
use crate::state::AppState;
use crate::subscriptions;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/subscription/plans", get(plans))
        .route("/api/subscription/current", get(current))
        // The second path of each is the original implementation's.
        .route("/api/subscription/checkout", post(checkout))
        .route("/api/subscription/create-checkout", post(checkout))
        .route("/api/subscription/portal", post(portal))
        .route("/api/subscription/create-portal", post(portal))
}

#[derive(Serialize)]
struct PlanBody {
    id: Plan,
    name: &'static str,
    price_cents: u32,
    currency: &'static str,
    /// `null`: unlimited.
    monthly_limit: Option<u32>,
    features: &'static [&'static str],
    ai: AiBody,
}

#[derive(Serialize)]
struct AiBody {
    engine: &'static str,
    model: String,
    detail: Option<&'static str>,
}

#[derive(Serialize)]
struct PlansResponse {
    plans: Vec<PlanBody>,
    /// False when the server has no Stripe key: upgrading is not possible.
    payments_enabled: bool,
}

#[derive(Serialize)]
struct CurrentResponse {
    plan_type: Plan,
    status: String,
    generations_used: u32,
    generations_limit: Option<u32>,
    #[serde(with = "time::serde::rfc3339")]
    current_period_end: OffsetDateTime,
    cancel_at_period_end: bool,
    /// A payment failed and has not been made since.
    past_due: bool,
}

#[derive(Deserialize)]
struct CheckoutRequest {
    plan: Plan,
}

#[derive(Serialize)]
struct UrlResponse {
    url: String,
}

async fn plans(State(state): State<AppState>) -> Json<PlansResponse> {
    let plans = PLANS.iter().map(|info| plan_body(&state, info)).collect();
    Json(PlansResponse {
        plans,
        payments_enabled: state.payments.is_some(),
    })
}

fn plan_body(state: &AppState, info: &PlanInfo) -> PlanBody {
    let ai = match (&state.config.ai.openai, state.generator.engine()) {
        (Some(openai), Engine::OpenAi) => {
            let choice = match info.plan {
                Plan::Free => &openai.free,
                Plan::Basic => &openai.basic,
                Plan::Pro => &openai.pro,
            };
            AiBody {
                engine: Engine::OpenAi.as_str(),
                model: choice.model.clone(),
                detail: Some(match choice.detail {
                    Detail::Low => "low",
                    Detail::High => "high",
                }),
            }
        }
        _ => AiBody {
            engine: Engine::Offline.as_str(),
            model: crate::ai::OFFLINE_MODEL.to_owned(),
            detail: None,
        },
    };
    PlanBody {
        id: info.plan,
        name: info.name,
        price_cents: info.price_cents,
        currency: info.currency,
        monthly_limit: info.monthly_limit,
        features: info.features,
        ai,
    }
}

async fn current(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<CurrentResponse>, ApiError> {
    let usage = state.store.usage(user.id, state.moment()).await?;
    let billing = state.store.billing(user.id).await?;
    Ok(Json(CurrentResponse {
        plan_type: usage.plan,
        status: billing.status,
        generations_used: usage.used,
        generations_limit: usage.limit,
        current_period_end: usage.period_end,
        cancel_at_period_end: billing.cancel_at_period_end,
        past_due: usage.past_due,
    }))
}

async fn checkout(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<CheckoutRequest>,
) -> Result<Json<UrlResponse>, ApiError> {
    let url = subscriptions::checkout(&state, &user, request.plan).await?;
    Ok(Json(UrlResponse { url }))
}

async fn portal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<UrlResponse>, ApiError> {
    let url = subscriptions::portal(&state, &user).await?;
    Ok(Json(UrlResponse { url }))
}
