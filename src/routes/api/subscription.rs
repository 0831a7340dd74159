//! `/api/subscription`: the plan table, the caller's subscription, Checkout and the portal.

use axum::Json;
use axum::extract::State;
use axum::routing::post;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::docs;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiUser};
use crate::ai::Detail;
use crate::domain::plan::{PLANS, Plan, PlanInfo};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    let router = OpenApiRouter::new()
        .routes(routes!(plans))
        .routes(routes!(current))
        .routes(routes!(checkout))
        .routes(routes!(portal));
    // The original implementation's paths, kept for its clients.
    let router = docs::alias(
        router,
        "/api/subscription/create-checkout",
        "/api/subscription/checkout",
        post(checkout),
    );
    docs::alias(
        router,
        "/api/subscription/create-portal",
        "/api/subscription/portal",
        post(portal),
    )
}

#[derive(Serialize, ToSchema)]
struct PlanBody {
    id: Plan,
    name: &'static str,
    price_cents: u32,
    currency: &'static str,
    /// `null`: unlimited.
    monthly_limit: Option<u32>,
    features: Vec<&'static str>,
    ai: AiBody,
}

#[derive(Serialize, ToSchema)]
struct AiBody {
    engine: &'static str,
    model: String,
    detail: Option<&'static str>,
}

#[derive(Serialize, ToSchema)]
struct PlansResponse {
    plans: Vec<PlanBody>,
    /// False when the server has no Stripe key: upgrading is not possible.
    payments_enabled: bool,
}

#[derive(Serialize, ToSchema)]
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

#[derive(Deserialize, ToSchema)]
struct CheckoutRequest {
    /// Its price is the server's to choose.
    plan: PaidPlan,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
enum PaidPlan {
    Basic,
    Pro,
}

impl From<PaidPlan> for Plan {
    fn from(plan: PaidPlan) -> Plan {
        match plan {
            PaidPlan::Basic => Plan::Basic,
            PaidPlan::Pro => Plan::Pro,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct UrlResponse {
    url: String,
}

/// The plans, with their prices, limits, features and AI.
#[utoipa::path(
    get,
    path = "/api/subscription/plans",
    tag = "subscription",
    responses((status = 200, description = "Every plan", body = PlansResponse))
)]
async fn plans(State(state): State<AppState>) -> Json<PlansResponse> {
    let plans = PLANS.iter().map(|info| plan_body(&state, info)).collect();
    Json(PlansResponse {
        plans,
        payments_enabled: state.subscriptions.payments_enabled(),
    })
}

fn plan_body(state: &AppState, info: &PlanInfo) -> PlanBody {
    let model = state.generator.model_for(info.plan);
    let ai = AiBody {
        engine: state.generator.engine().as_str(),
        model: model.model,
        detail: model.detail.map(Detail::as_str),
    };
    PlanBody {
        id: info.plan,
        name: info.name,
        price_cents: info.price_cents,
        currency: info.currency,
        monthly_limit: info.monthly_limit,
        features: info.features.iter().map(|f| f.name).collect(),
        ai,
    }
}

/// The caller's plan, its status and this period's usage.
#[utoipa::path(
    get,
    path = "/api/subscription/current",
    tag = "subscription",
    security(("bearer" = [])),
    responses((status = 200, description = "The subscription", body = CurrentResponse))
)]
async fn current(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<CurrentResponse>, ApiError> {
    let usage = state.store.usage(user.id, state.clock.moment()).await?;
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

/// A Stripe Checkout page for a paid plan; send the user to `url`.
#[utoipa::path(
    post,
    path = "/api/subscription/checkout",
    tag = "subscription",
    security(("bearer" = [])),
    request_body = CheckoutRequest,
    responses(
        (status = 200, description = "Checkout is ready", body = UrlResponse),
        (status = 409, description = "Already on a paid plan: change it in the billing portal", body = ErrorBody),
        (status = 422, description = "`plan` is not `basic` or `pro`", body = ErrorBody),
        (status = 502, description = "Stripe failed", body = ErrorBody),
        (status = 503, description = "Payments are not configured on this server (`payments_not_configured`), or the database is unreachable", body = ErrorBody),
    )
)]
async fn checkout(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<CheckoutRequest>,
) -> Result<Json<UrlResponse>, ApiError> {
    let url = state
        .subscriptions
        .checkout(&user, request.plan.into())
        .await?;
    Ok(Json(UrlResponse { url }))
}

/// A Stripe billing portal session; send the user to `url`.
#[utoipa::path(
    post,
    path = "/api/subscription/portal",
    tag = "subscription",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The portal is ready", body = UrlResponse),
        (status = 409, description = "No billing account yet: choose a paid plan first", body = ErrorBody),
        (status = 502, description = "Stripe failed", body = ErrorBody),
        (status = 503, description = "Payments are not configured, or the database is unreachable", body = ErrorBody),
    )
)]
async fn portal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<UrlResponse>, ApiError> {
    let url = state.subscriptions.portal(&user).await?;
    Ok(Json(UrlResponse { url }))
}
