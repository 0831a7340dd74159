//! `/api/account`: change the password, export everything, delete the account.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::auth::{AuthResponse, authenticated};
use super::extract::{ApiJson, ApiUser};
use super::fursona::FursonaBody;
use crate::accounts;
use crate::domain::account::UserId;
use crate::domain::plan::Plan;
use crate::error::{ApiError, AppError};
use crate::routes::client::ClientAddr;
use crate::state::AppState;
use crate::store::users::User;

/// Fursonas fetched per query while exporting.
const EXPORT_PAGE: u32 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/account/password", post(change_password))
        .route("/api/account/delete", post(delete))
        .route("/api/account/export", get(export))
}

#[derive(Deserialize)]
struct ChangePassword {
    current_password: String,
    new_password: String,
}

#[derive(Deserialize)]
struct DeleteAccount {
    password: String,
}

#[derive(Serialize)]
pub struct Export {
    account: ExportedAccount,
    subscription: ExportedSubscription,
    /// Photos are links, answered to this account's token or session.
    fursonas: Vec<FursonaBody>,
    #[serde(with = "time::serde::rfc3339")]
    exported_at: OffsetDateTime,
}

#[derive(Serialize)]
struct ExportedAccount {
    id: UserId,
    email: String,
    name: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

#[derive(Serialize)]
struct ExportedSubscription {
    plan: Plan,
    status: String,
    generations_used: u32,
    generations_limit: Option<u32>,
    #[serde(with = "time::serde::rfc3339")]
    current_period_end: OffsetDateTime,
}

/// Answers with a new token: every earlier one, this request's included, is revoked.
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

async fn delete(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<DeleteAccount>,
) -> Result<StatusCode, ApiError> {
    accounts::delete_account(&state, client, &user, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

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
