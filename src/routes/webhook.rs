//! `POST /api/webhook/stripe`: Stripe's events, verified against the raw body, applied once.
//! 2xx tells Stripe the event is handled; any failure answers 5xx and records nothing, so
//! Stripe's retry applies it later.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use stripe_webhook::{Webhook, WebhookError};

use crate::billing::webhook::{effect, timestamp};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use crate::store::billing::Applied;

/// Stripe events are a few kilobytes; this leaves ample room.
const EVENT_LIMIT: usize = 512 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/webhook/stripe", post(stripe))
        .layer(DefaultBodyLimit::max(EVENT_LIMIT))
}

async fn stripe(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    // Read here rather than by a `String` extractor, so a bad body still answers in JSON.
    let body = body.map_err(|e| AppError::MalformedRequest {
        status: e.status(),
        message: e.body_text(),
    })?;
    let body = std::str::from_utf8(&body).map_err(|_| AppError::MalformedRequest {
        status: axum::http::StatusCode::BAD_REQUEST,
        message: "the event is not UTF-8 JSON".into(),
    })?;
    let secret = state
        .config
        .billing
        .webhook_secret
        .as_ref()
        .ok_or(AppError::PaymentsNotConfigured)?;
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or(AppError::InvalidSignature)?;
    let event =
        Webhook::construct_event(body, signature, secret.expose_secret()).map_err(|e| match e {
            WebhookError::BadParse(reason) => AppError::MalformedRequest {
                status: axum::http::StatusCode::BAD_REQUEST,
                message: format!("the event could not be read: {reason}"),
            },
            _ => AppError::InvalidSignature,
        })?;
    let effect = effect(&event, state.payments.as_ref());
    let applied = state
        .store
        .apply_stripe_event(
            event.id.as_str(),
            event.type_.as_str(),
            timestamp(event.created),
            &effect,
            state.clock.now(),
        )
        .await?;
    tracing::info!(event = %event.id, kind = event.type_.as_str(), ?applied, "Stripe event");
    let outcome = match applied {
        Applied::Now => "applied",
        Applied::AlreadyApplied => "duplicate",
    };
    metrics::counter!("stripe_events_total", "type" => event.type_.as_str().to_owned(), "outcome" => outcome)
        .increment(1);
    Ok(Json(
        json!({"received": true, "duplicate": applied == Applied::AlreadyApplied}),
    ))
}
