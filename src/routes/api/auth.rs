//! `/api/auth`: register, login, me, logout.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::extract::{ApiJson, ApiUser};
use crate::accounts;
use crate::auth::jwt::Jwt;
use crate::domain::account::UserId;
use crate::domain::plan::Plan;
use crate::error::ApiError;
use crate::routes::client::ClientAddr;
use crate::state::AppState;
use crate::store::users::{Subscription, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/register", post(register))
        .route("/api/auth/login", post(login))
        .route("/api/auth/me", get(me))
        .route("/api/auth/logout", post(logout))
}

#[derive(Deserialize)]
struct RegisterRequest {
    email: String,
    password: String,
    name: String,
}

#[derive(Deserialize)]
struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Serialize)]
struct UserBody {
    id: UserId,
    email: String,
    name: String,
}

impl From<User> for UserBody {
    fn from(user: User) -> Self {
        UserBody {
            id: user.id,
            email: user.email,
            name: user.name,
        }
    }
}

#[derive(Serialize)]
pub struct AuthResponse {
    token: String,
    user: UserBody,
}

#[derive(Serialize)]
struct SubscriptionBody {
    plan_type: Plan,
    status: String,
    generations_used: i32,
    /// `null`: unlimited.
    generations_limit: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    current_period_end: OffsetDateTime,
}

impl From<Subscription> for SubscriptionBody {
    fn from(s: Subscription) -> Self {
        SubscriptionBody {
            plan_type: s.plan,
            status: s.status,
            generations_used: s.generations_used,
            generations_limit: s.generations_limit,
            current_period_end: s.current_period_end,
        }
    }
}

#[derive(Serialize)]
struct MeResponse {
    user: UserBody,
    subscription: SubscriptionBody,
}

#[derive(Serialize)]
struct MessageBody {
    message: &'static str,
}

async fn register(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<AuthResponse>), ApiError> {
    let user = accounts::register(&state, &body.email, body.password, &body.name).await?;
    Ok((StatusCode::CREATED, Json(authenticated(&state.jwt, user)?)))
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    let user = accounts::login(&state, client, &body.email, &body.password).await?;
    Ok(Json(authenticated(&state.jwt, user)?))
}

async fn me(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<MeResponse>, ApiError> {
    let subscription = state.store.subscription(user.id).await?;
    Ok(Json(MeResponse {
        user: user.into(),
        subscription: subscription.into(),
    }))
}

/// Revokes every token of the user issued until now, on every device.
async fn logout(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<MessageBody>, ApiError> {
    state
        .store
        .revoke_tokens(user.id, Jwt::revocation_instant())
        .await?;
    Ok(Json(MessageBody {
        message: "signed out; every token issued until now is revoked",
    }))
}

pub fn authenticated(jwt: &Jwt, user: User) -> Result<AuthResponse, ApiError> {
    Ok(AuthResponse {
        token: jwt.issue(&user)?,
        user: user.into(),
    })
}
