//! `/api/auth`: register, login, me, logout.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiUser};
use crate::auth::jwt::Jwt;
use crate::domain::account::UserId;
use crate::domain::plan::Plan;
use crate::routes::client::ClientAddr;
use crate::state::AppState;
use crate::store::users::{Subscription, User};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(me))
        .routes(routes!(logout))
}

#[derive(Deserialize, ToSchema)]
struct RegisterRequest {
    /// Trimmed and lower-cased; one account per address in any letter case.
    #[schema(format = Email, max_length = 254, example = "ada@example.com")]
    email: String,
    /// Never truncated.
    #[schema(min_length = 8, max_length = 1024)]
    password: String,
    /// Trimmed; no control characters, and something besides spaces.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$",
        example = "Ada"
    )]
    name: String,
}

#[derive(Deserialize, ToSchema)]
struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
pub struct AuthResponse {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    user: UserBody,
}

#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
struct MeResponse {
    user: UserBody,
    subscription: SubscriptionBody,
}

#[derive(Serialize, ToSchema)]
struct MessageBody {
    message: &'static str,
}

/// Creates an account on the free plan and signs it in.
#[utoipa::path(
    post,
    path = "/api/auth/register",
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = AuthResponse),
        (status = 409, description = "This email already has an account", body = ErrorBody),
        (status = 429, description = "Too many registrations from this address (`REGISTER_MAX_PER_HOUR`)", body = ErrorBody),
    )
)]
async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<AuthResponse>), ApiError> {
    let user = state
        .accounts
        .register(client, &body.email, body.password, &body.name)
        .await?;
    Ok((StatusCode::CREATED, Json(authenticated(&state.jwt, user)?)))
}

/// Unknown email and wrong password answer alike.
#[utoipa::path(
    post,
    path = "/api/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse),
        (status = 401, description = "Wrong email or password", body = ErrorBody),
        (status = 429, description = "Too many failed attempts from this address or for this account", body = ErrorBody),
    )
)]
async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    let user = state
        .accounts
        .login(client, &body.email, &body.password)
        .await?;
    Ok(Json(authenticated(&state.jwt, user)?))
}

/// The signed-in user and their plan's usage this period.
#[utoipa::path(
    get,
    path = "/api/auth/me",
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, description = "The user and their subscription", body = MeResponse))
)]
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
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, description = "Signed out everywhere", body = MessageBody))
)]
async fn logout(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<MessageBody>, ApiError> {
    state
        .store
        .revoke_tokens(user.id, state.jwt.revocation_instant())
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
