//! The account page's own forms: change the password, export everything, delete the account.

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::billing::{AccountForm, render_account};
use super::error::PageError;
use super::visitor::Visitor;
use crate::error::AppError;
use crate::routes::client::ClientAddr;
use crate::routes::path::FursonaPath;
use crate::routes::shapes::export_response;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/password", post(change_password))
        .route("/account/delete", post(delete))
        .route("/account/export", get(export))
        .route("/account/shares/{id}/revoke", post(revoke_share))
        .route("/account/shares/revoke-all", post(revoke_all_shares))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeleteForm {
    password: String,
    /// The "I understand this cannot be undone" box.
    confirm: Option<String>,
}

/// A new password ends every other session and token; this browser stays signed in under a new
/// session id.
async fn change_password(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    visitor: Visitor,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    match state
        .accounts
        .change_password(client, user, &form.current_password, form.new_password)
        .await
    {
        Ok(user) => {
            visitor.session.sign_in(&user).await?;
            visitor
                .session
                .set_flash("Your password is changed. Other devices are signed out.")
                .await?;
            Ok(Redirect::to("/account").into_response())
        }
        Err(error) => render_account(&state, &visitor, Some((AccountForm::Password, &error))).await,
    }
}

async fn delete(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    visitor: Visitor,
    Form(form): Form<DeleteForm>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    if form.confirm.as_deref() != Some("yes") {
        let error = AppError::MalformedRequest {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            message: "tick the box to confirm that the account and its fursonas go for good".into(),
        };
        return render_account(&state, &visitor, Some((AccountForm::Delete, &error))).await;
    }
    match state
        .accounts
        .delete_account(client, user, &form.password)
        .await
    {
        Ok(()) => {
            visitor.session.sign_out().await?;
            visitor
                .session
                .set_flash("Your account, your fursonas and their photos are deleted.")
                .await?;
            Ok(Redirect::to("/").into_response())
        }
        Err(error) => render_account(&state, &visitor, Some((AccountForm::Delete, &error))).await,
    }
}

async fn export(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    Ok(export_response(&state, user).await?)
}

async fn revoke_share(
    State(state): State<AppState>,
    visitor: Visitor,
    FursonaPath(id): FursonaPath,
) -> Result<Redirect, PageError> {
    let user = visitor.signed_in()?;
    state.sharing.stop_sharing(user.id, id).await?;
    Ok(Redirect::to("/account"))
}

async fn revoke_all_shares(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Redirect, PageError> {
    let user = visitor.signed_in()?;
    state.sharing.unshare_all(user.id).await?;
    Ok(Redirect::to("/account"))
}
