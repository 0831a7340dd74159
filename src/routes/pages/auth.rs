//! Register, log in and log out through pages. Errors are shown next to their field, with what
//! was typed kept (except passwords).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::error::{PageError, capitalized};
use super::layout::Layout;
use super::visitor::Visitor;
use crate::domain::account::{Field, FieldError};
use crate::error::AppError;
use crate::routes::client::ClientAddr;
use crate::routes::respond::with_error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register", get(register_page).post(register))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

/// Missing fields arrive empty and are reported like any other invalid value.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RegisterForm {
    email: String,
    password: String,
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    csrf_token: String,
    email: String,
    name: String,
    errors: FieldErrors,
    /// A problem that belongs to no single field.
    notice: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf_token: String,
    email: String,
    notice: Option<String>,
}

/// Messages by field, for templates.
#[derive(Default)]
struct FieldErrors {
    email: Option<&'static str>,
    password: Option<&'static str>,
    name: Option<&'static str>,
}

impl From<&[FieldError]> for FieldErrors {
    fn from(errors: &[FieldError]) -> Self {
        let mut by_field = FieldErrors::default();
        for error in errors {
            let slot = match error.field {
                Field::Email => &mut by_field.email,
                Field::Password => &mut by_field.password,
                Field::Name => &mut by_field.name,
            };
            slot.get_or_insert(error.message);
        }
        by_field
    }
}

async fn register_page(visitor: Visitor) -> Result<Response, PageError> {
    if visitor.user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(RegisterPage {
        layout: visitor.layout().await?,
        csrf_token: visitor.session.csrf_token().await?,
        email: String::new(),
        name: String::new(),
        errors: FieldErrors::default(),
        notice: None,
    }
    .into_response())
}

async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    visitor: Visitor,
    Form(form): Form<RegisterForm>,
) -> Result<Response, PageError> {
    match state
        .accounts
        .register(client, &form.email, form.password, &form.name)
        .await
    {
        Ok(user) => {
            visitor.session.sign_in(&user).await?;
            Ok(Redirect::to("/").into_response())
        }
        Err(error) => {
            let (errors, notice) = match &error {
                AppError::Validation(errors) => (FieldErrors::from(errors.as_slice()), None),
                AppError::Conflict(_) => (
                    FieldErrors {
                        email: Some("An account with this email already exists. Log in instead?"),
                        ..FieldErrors::default()
                    },
                    None,
                ),
                AppError::TooManyRequests { .. } => {
                    (FieldErrors::default(), Some(error.to_string()))
                }
                _ => return Err(error.into()),
            };
            let page = RegisterPage {
                layout: visitor.layout().await?,
                csrf_token: visitor.session.csrf_token().await?,
                email: form.email,
                name: form.name,
                errors,
                notice,
            };
            Ok(with_error(&error, page))
        }
    }
}

async fn login_page(visitor: Visitor) -> Result<Response, PageError> {
    if visitor.user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(LoginPage {
        layout: visitor.layout().await?,
        csrf_token: visitor.session.csrf_token().await?,
        email: String::new(),
        notice: None,
    }
    .into_response())
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    visitor: Visitor,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    match state
        .accounts
        .login(client, &form.email, &form.password)
        .await
    {
        Ok(user) => {
            visitor.session.sign_in(&user).await?;
            Ok(Redirect::to("/").into_response())
        }
        Err(
            error @ (AppError::InvalidCredentials
            | AppError::AccountDisabled
            | AppError::TooManyRequests { .. }),
        ) => {
            let notice = match error {
                AppError::InvalidCredentials => "Wrong email or password.".to_owned(),
                _ => format!("{}.", capitalized(&error.to_string())),
            };
            let page = LoginPage {
                layout: visitor.layout().await?,
                csrf_token: visitor.session.csrf_token().await?,
                email: form.email,
                notice: Some(notice),
            };
            Ok(with_error(&error, page))
        }
        Err(error) => Err(error.into()),
    }
}

async fn logout(visitor: Visitor) -> Result<Redirect, PageError> {
    visitor.session.sign_out().await?;
    Ok(Redirect::to("/"))
}
