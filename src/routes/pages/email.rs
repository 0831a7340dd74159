//! The pages of mailed links: a forgotten password (`/forgot-password`, `/reset-password`), an
//! address verification or change (`/verify-email`, no sign-in needed), and the signed-in forms
//! that mail a link (a new address, a new verification link).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::billing::{AccountForm, render_account};
use super::error::{PageError, capitalized};
use super::layout::Layout;
use super::visitor::Visitor;
use crate::error::AppError;
use crate::routes::client::ClientAddr;
use crate::routes::respond::with_error;
use crate::services::emails::Opened;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/forgot-password",
            get(forgot_password_page).post(forgot_password),
        )
        .route(
            "/reset-password",
            get(reset_password_page).post(reset_password),
        )
        .route("/verify-email", get(verify_email))
        .route("/account/email", post(change_email))
        .route("/account/resend-verification", post(resend_verification))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailForm {
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenQuery {
    token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetForm {
    token: String,
    new_password: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChangeEmailForm {
    new_email: String,
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forgot_password.html")]
struct ForgotPasswordPage {
    layout: Layout,
    csrf_token: String,
    mail_enabled: bool,
    email: String,
    sent: bool,
    notice: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reset_password.html")]
struct ResetPasswordPage {
    layout: Layout,
    csrf_token: String,
    token: String,
    /// The link cannot be used: say so instead of showing the form.
    invalid: bool,
    notice: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "verify_email.html")]
struct VerifyEmailPage {
    layout: Layout,
    outcome: Outcome,
}

enum Outcome {
    Verified(String),
    Moved(String),
    Invalid(String),
}

/// What went wrong, as a sentence: a field's own message for invalid input.
fn notice(error: &AppError) -> String {
    match error {
        AppError::Validation(errors) if !errors.is_empty() => {
            format!("{}.", capitalized(errors[0].message))
        }
        other => format!("{}.", capitalized(&other.to_string())),
    }
}

async fn forgot_password_page(
    visitor: Visitor,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    Ok(ForgotPasswordPage {
        layout: visitor.layout().await?,
        csrf_token: visitor.session.csrf_token().await?,
        mail_enabled: state.emails.enabled(),
        email: String::new(),
        sent: false,
        notice: None,
    }
    .into_response())
}

async fn forgot_password(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    visitor: Visitor,
    Form(form): Form<EmailForm>,
) -> Result<Response, PageError> {
    let result = state.emails.forgot_password(client, &form.email);
    let page = ForgotPasswordPage {
        layout: visitor.layout().await?,
        csrf_token: visitor.session.csrf_token().await?,
        mail_enabled: state.emails.enabled(),
        sent: result.is_ok(),
        notice: result.as_ref().err().map(notice),
        email: form.email,
    };
    Ok(match result {
        Ok(()) => page.into_response(),
        Err(error) => with_error(&error, page),
    })
}

async fn reset_password_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<TokenQuery>,
) -> Result<Response, PageError> {
    let live = state.emails.reset_token_is_live(&query.token).await?;
    let page = ResetPasswordPage {
        layout: visitor.layout().await?,
        csrf_token: visitor.session.csrf_token().await?,
        token: query.token,
        invalid: !live,
        notice: None,
    };
    Ok(if live {
        page.into_response()
    } else {
        with_error(&AppError::InvalidToken, page)
    })
}

/// A new password from a reset link: this browser is signed in, every other session ends.
async fn reset_password(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<ResetForm>,
) -> Result<Response, PageError> {
    match state
        .emails
        .reset_password(&form.token, form.new_password)
        .await
    {
        Ok(user) => {
            visitor.session.sign_in(&user).await?;
            visitor
                .session
                .set_flash("Your new password is saved and you are signed in.")
                .await?;
            Ok(Redirect::to("/").into_response())
        }
        Err(error @ (AppError::InvalidToken | AppError::Validation(_) | AppError::Busy)) => {
            let page = ResetPasswordPage {
                layout: visitor.layout().await?,
                csrf_token: visitor.session.csrf_token().await?,
                invalid: matches!(error, AppError::InvalidToken),
                notice: Some(notice(&error)),
                token: form.token,
            };
            Ok(with_error(&error, page))
        }
        Err(error) => Err(error.into()),
    }
}

/// The link in a verification or address change mail; no sign-in needed.
async fn verify_email(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<TokenQuery>,
) -> Result<Response, PageError> {
    let (outcome, error) = match state.emails.confirm(&query.token).await {
        Ok(Opened::Verified(user)) => (Outcome::Verified(user.email), None),
        Ok(Opened::EmailChanged(user)) => (Outcome::Moved(user.email), None),
        Err(error @ (AppError::InvalidToken | AppError::Conflict(_))) => (
            Outcome::Invalid(format!("{}.", capitalized(&error.to_string()))),
            Some(error),
        ),
        Err(error) => return Err(error.into()),
    };
    let page = VerifyEmailPage {
        layout: visitor.layout().await?,
        outcome,
    };
    Ok(match error {
        Some(error) => with_error(&error, page),
        None => page.into_response(),
    })
}

async fn change_email(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    visitor: Visitor,
    Form(form): Form<ChangeEmailForm>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    match state
        .emails
        .request_email_change(client, user, &form.new_email, &form.password)
        .await
    {
        Ok(()) => {
            visitor
                .session
                .set_flash(
                    "We mailed a confirmation link to the new address. \
                     Your address changes when you open it.",
                )
                .await?;
            Ok(Redirect::to("/account").into_response())
        }
        Err(error) => render_account(&state, &visitor, Some((AccountForm::Email, &error))).await,
    }
}

async fn resend_verification(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    match state.emails.resend_verification(user).await {
        Ok(()) => {
            visitor
                .session
                .set_flash("We mailed you a new verification link.")
                .await?;
            Ok(Redirect::to("/account").into_response())
        }
        Err(error) => render_account(&state, &visitor, Some((AccountForm::Email, &error))).await,
    }
}
