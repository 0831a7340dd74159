//! `POST /api/webhook/stripe`: Stripe's events, verified against the raw body, applied once.
//! 2xx tells Stripe the event is handled; any failure answers 5xx and records nothing, so
//! Stripe's retry applies it later.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::api::error::{ApiError, ErrorBody};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::billing::Applied;

/// Stripe events are a few kilobytes; this leaves ample room.
const EVENT_LIMIT: usize = 512 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stripe))
        .layer(DefaultBodyLimit::max(EVENT_LIMIT))
}

#[derive(Serialize, utoipa::ToSchema)]
struct Received {
    received: bool,
    /// This event was applied before; nothing changed now.
    duplicate: bool,
}

/// A Stripe event, signed with the endpoint's secret (`STRIPE_WEBHOOK_SECRET`).
#[utoipa::path(
    post,
    path = "/api/webhook/stripe",
    operation_id = "stripe_webhook",
    tag = "webhook",
    params(("Stripe-Signature" = String, Header, description = "`t=<unix time>,v1=<HMAC-SHA256>`, as Stripe sends it")),
    request_body(content = Object, content_type = "application/json", description = "The event, exactly as Stripe sent it"),
    responses(
        (status = 200, description = "Handled, now or before", body = Received),
        (status = 400, description = "The signature is missing, wrong or too old, or the event unreadable; nothing changed", body = ErrorBody),
        (status = 503, description = "Payments are not configured, or the database is unreachable; Stripe retries later", body = ErrorBody),
    )
)]
async fn stripe(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Received>, ApiError> {
    // Read here rather than by a `String` extractor, so a bad body still answers in JSON.
    let body = body.map_err(|e| AppError::MalformedRequest {
        status: e.status(),
        message: e.body_text(),
    })?;
    let body = std::str::from_utf8(&body).map_err(|_| AppError::MalformedRequest {
        status: axum::http::StatusCode::BAD_REQUEST,
        message: "the event is not UTF-8 JSON".into(),
    })?;
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    let event = state.subscriptions.receive(body, signature).await?;
    tracing::info!(event = %event.id, kind = %event.kind, applied = ?event.applied, "Stripe event");
    let outcome = match event.applied {
        Applied::Now => "applied",
        Applied::AlreadyApplied => "duplicate",
    };
    metrics::counter!("stripe_events_total", "type" => event.kind, "outcome" => outcome)
        .increment(1);
    Ok(Json(Received {
        received: true,
        duplicate: event.applied == Applied::AlreadyApplied,
    }))
}
