//! `/api/account`: change the password, export everything, delete the account.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{AuthResponse, authenticated};
use super::extract::{ApiJson, ApiUser};
use super::fursona::FursonaBody;
use crate::accounts;
use crate::domain::account::UserId;
use crate::domain::plan::Plan;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::routes::client::ClientAddr;
use crate::state::AppState;
use crate::store::users::User;

/// Fursonas fetched per query while exporting.
const EXPORT_PAGE: u32 = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_password))
        .routes(routes!(delete))
        .routes(routes!(export))
}

#[derive(Deserialize, ToSchema)]
struct ChangePassword {
    current_password: String,
    #[schema(min_length = 8, max_length = 1024)]
    new_password: String,
}

#[derive(Deserialize, ToSchema)]
struct DeleteAccount {
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Export {
    account: ExportedAccount,
    subscription: ExportedSubscription,
    /// Photos are links, answered to this account's token or session.
    fursonas: Vec<FursonaBody>,
    #[serde(with = "time::serde::rfc3339")]
    exported_at: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
struct ExportedAccount {
    id: UserId,
    email: String,
    name: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
struct ExportedSubscription {
    plan: Plan,
    status: String,
    generations_used: u32,
    generations_limit: Option<u32>,
    #[serde(with = "time::serde::rfc3339")]
    current_period_end: OffsetDateTime,
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
    let user = accounts::change_password(
        &state,
        client,
        &user,
        &body.current_password,
        body.new_password,
    )
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
    accounts::delete_account(&state, client, &user, &body.password).await?;
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

/// The whole account as a JSON download, for the API and the account page.
pub async fn export_response(state: &AppState, user: &User) -> Result<Response, AppError> {
    let usage = state.store.usage(user.id, state.moment()).await?;
    let billing = state.store.billing(user.id).await?;
    let mut fursonas = Vec::new();
    let mut before = None;
    loop {
        let page = state
            .store
            .list_fursonas(user.id, EXPORT_PAGE, before)
            .await?;
        before = page.last().map(|f| f.id);
        let full = page.len() == EXPORT_PAGE as usize;
        fursonas.extend(page.into_iter().map(FursonaBody::from));
        if !full {
            break;
        }
    }
    let export = Export {
        account: ExportedAccount {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            created_at: user.created_at,
        },
        subscription: ExportedSubscription {
            plan: usage.plan,
            status: billing.status,
            generations_used: usage.used,
            generations_limit: usage.limit,
            current_period_end: usage.period_end,
        },
        fursonas,
        exported_at: state.clock.now(),
    };
    let json = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"fursona-account.json\""),
            ),
        ],
        json,
    )
        .into_response())
}
