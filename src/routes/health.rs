//! `GET /health`: liveness and database reachability (see
//! [`crate::services::health::DatabaseHealth`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if state.health.reachable(&state.store).await {
        (
            StatusCode::OK,
            Json(json!({"status": "ok", "database": "ok"})),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "degraded", "database": "unreachable"})),
        )
    }
}
