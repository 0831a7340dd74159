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
use super::extract::{ApiAccount, ApiJson, ApiUser};
use crate::auth::jwt::Jwt;
use crate::domain::account::UserId;
use crate::domain::plan::Plan;
use crate::routes::client::ClientAddr;
use crate::services::emails::Opened;
use crate::state::AppState;
use crate::store::users::{Account, Subscription, User};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(me))
        .routes(routes!(logout))
        .routes(routes!(forgot_password))
        .routes(routes!(reset_password))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
}

#[derive(Deserialize, ToSchema)]
struct RegisterRequest {
    /// Trimmed and lower-cased; one account per address in any letter case.
    #[schema(format = Email, max_length = 254, example = "ada@example.com")]
    email: String,
    /// Never truncated.
    #[schema(
        min_length = 8,
        max_length = 1024,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*$"
    )]
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
    /// The owner opened a verification link mailed to this address.
    email_verified: bool,
}

impl From<User> for UserBody {
    fn from(user: User) -> Self {
        UserBody {
            id: user.id,
            email_verified: user.email_verified_at.is_some(),
            email: user.email,
            name: user.name,
        }
    }
}

#[derive(Deserialize, ToSchema)]
struct ForgotPasswordRequest {
    /// Whether or not it has an account, the answer is the same.
    #[schema(format = Email, max_length = 254, example = "ada@example.com")]
    email: String,
}

#[derive(Deserialize, ToSchema)]
struct ResetPasswordRequest {
    /// The `token` of the mailed link.
    #[schema(max_length = 200)]
    token: String,
    #[schema(
        min_length = 8,
        max_length = 1024,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*$"
    )]
    new_password: String,
}

#[derive(Deserialize, ToSchema)]
struct VerifyEmailRequest {
    /// The `token` of the mailed link (verification or address change).
    #[schema(max_length = 200)]
    token: String,
}

#[derive(Serialize, ToSchema)]
struct VerifiedBody {
    user: UserBody,
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
pub struct MessageBody {
    pub message: &'static str,
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
        .login(client, &body.email, &body.password, None)
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
async fn me(ApiAccount(Account { user, subscription }): ApiAccount) -> Json<MeResponse> {
    Json(MeResponse {
        user: user.into(),
        subscription: subscription.into(),
    })
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
        .revoke_tokens(
            user.id,
            state.jwt.revocation_instant(user.tokens_valid_after),
        )
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

/// Mails a password reset link (valid for one hour) if the address has an account. The answer
/// is the same whether or not it does.
#[utoipa::path(
    post,
    path = "/api/auth/forgot-password",
    tag = "auth",
    request_body = ForgotPasswordRequest,
    responses(
        (status = 202, description = "If the address has an account, a link is on its way", body = MessageBody),
        (status = 422, description = "Not an email address", body = ErrorBody),
        (status = 429, description = "Too many reset mails for this address or from this client this hour", body = ErrorBody),
        (status = 503, description = "Email is not set up on this server (`mail_not_configured`)", body = ErrorBody),
    )
)]
async fn forgot_password(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<ForgotPasswordRequest>,
) -> Result<(StatusCode, Json<MessageBody>), ApiError> {
    state.emails.forgot_password(client, &body.email)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageBody {
            message: "if this address has an account, a reset link is on its way",
        }),
    ))
}

/// Sets a new password with the token of a reset link, and signs in: every other token and page
/// session of the account ends.
#[utoipa::path(
    post,
    path = "/api/auth/reset-password",
    tag = "auth",
    request_body = ResetPasswordRequest,
    responses(
        (status = 200, description = "Changed and signed in", body = AuthResponse),
        (status = 400, description = "The link is used, expired or unknown (`invalid_token`)", body = ErrorBody),
    )
)]
async fn reset_password(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ResetPasswordRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    let user = state
        .emails
        .reset_password(&body.token, body.new_password)
        .await?;
    Ok(Json(authenticated(&state.jwt, user)?))
}

/// Opens a verification link (or an address change link) without a browser.
#[utoipa::path(
    post,
    path = "/api/auth/verify-email",
    tag = "auth",
    request_body = VerifyEmailRequest,
    responses(
        (status = 200, description = "The address is verified (or the account moved to it)", body = VerifiedBody),
        (status = 400, description = "The link is used, expired or unknown (`invalid_token`)", body = ErrorBody),
        (status = 409, description = "Another account uses the new address now", body = ErrorBody),
    )
)]
async fn verify_email(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<VerifyEmailRequest>,
) -> Result<Json<VerifiedBody>, ApiError> {
    let user = match state.emails.confirm(&body.token).await? {
        Opened::Verified(user) | Opened::EmailChanged(user) => user,
    };
    Ok(Json(VerifiedBody { user: user.into() }))
}

/// Mails a new verification link, at most once a minute.
#[utoipa::path(
    post,
    path = "/api/auth/resend-verification",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A new link is on its way", body = MessageBody),
        (status = 409, description = "The address is verified already", body = ErrorBody),
        (status = 429, description = "A link was sent less than a minute ago", body = ErrorBody),
        (status = 503, description = "Email is not set up on this server (`mail_not_configured`)", body = ErrorBody),
    )
)]
async fn resend_verification(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<(StatusCode, Json<MessageBody>), ApiError> {
    state.emails.resend_verification(&user).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageBody {
            message: "a new verification link is on its way",
        }),
    ))
}
