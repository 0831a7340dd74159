//! `/api/account`: change the password, export everything, delete the account.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{AuthResponse, MessageBody, authenticated};
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiUser};
use crate::routes::client::ClientAddr;
use crate::routes::shapes::{Export, export_response};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_password))
        .routes(routes!(delete))
        .routes(routes!(export))
        .routes(routes!(change_email))
}

#[derive(Deserialize, ToSchema)]
struct ChangeEmail {
    #[schema(format = Email, max_length = 254, example = "ada@example.org")]
    new_email: String,
    password: String,
}

/// Mails a confirmation link to the new address; the account moves there when it is opened,
/// and the old address is told.
#[utoipa::path(
    post,
    path = "/api/account/email",
    operation_id = "change_email",
    tag = "account",
    security(("bearer" = [])),
    request_body = ChangeEmail,
    responses(
        (status = 202, description = "A confirmation link is on its way to the new address", body = MessageBody),
        (status = 403, description = "The password is wrong (`wrong_password`)", body = ErrorBody),
        (status = 409, description = "The address is this account's or another's", body = ErrorBody),
        (status = 422, description = "The new address is not valid", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords", body = ErrorBody),
        (status = 503, description = "Email is not set up on this server (`mail_not_configured`)", body = ErrorBody),
    )
)]
async fn change_email(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ChangeEmail>,
) -> Result<(StatusCode, Json<MessageBody>), ApiError> {
    state
        .emails
        .request_email_change(client, &user, &body.new_email, &body.password)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageBody {
            message: "a confirmation link is on its way to the new address",
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
struct ChangePassword {
    current_password: String,
    #[schema(
        min_length = 8,
        max_length = 1024,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*$"
    )]
    new_password: String,
}

#[derive(Deserialize, ToSchema)]
struct DeleteAccount {
    password: String,
}

/// Answers with a new token: every earlier one, this request's included, is revoked.
#[utoipa::path(
    post,
    path = "/api/account/password",
    tag = "account",
    security(("bearer" = [])),
    request_body = ChangePassword,
    responses(
        (status = 200, description = "Changed; use the new token from now on", body = AuthResponse),
        (status = 403, description = "The current password is wrong (`wrong_password`)", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords", body = ErrorBody),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Json<AuthResponse>, ApiError> {
    let user = state
        .accounts
        .change_password(client, &user, &body.current_password, body.new_password)
        .await?;
    Ok(Json(authenticated(&state.jwt, user)?))
}

/// Deletes the account with its fursonas, photos, sessions and tokens, and cancels a paid
/// subscription. Payment records are kept, without the account (see README).
#[utoipa::path(
    post,
    path = "/api/account/delete",
    operation_id = "delete_account",
    tag = "account",
    security(("bearer" = [])),
    request_body = DeleteAccount,
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The password is wrong (`wrong_password`)", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords", body = ErrorBody),
        (status = 502, description = "Stripe could not cancel the subscription; nothing was deleted", body = ErrorBody),
    )
)]
async fn delete(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<DeleteAccount>,
) -> Result<StatusCode, ApiError> {
    state
        .accounts
        .delete_account(client, &user, &body.password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything stored about the caller, as a JSON download.
#[utoipa::path(
    get,
    path = "/api/account/export",
    operation_id = "export_account",
    tag = "account",
    security(("bearer" = [])),
    responses((status = 200, description = "The account, plan and every fursona", body = Export))
)]
async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Response, ApiError> {
    Ok(export_response(&state, &user).await?)
}
