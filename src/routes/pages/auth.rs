//! Register, log in and log out through pages. Errors are shown next to their field, with what
//! was typed kept (except passwords).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::device;
use super::error::{PageError, capitalized};
use super::layout::Layout;
use super::return_to;
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
    /// Where to go once signed in (see `return_to`).
    next: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// `/login?next=/history`: the page to return to.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: Option<String>,
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
    /// The email is taken: offer to log in instead.
    email_taken: bool,
    /// The page to return to once signed in, checked to be on this site.
    next: Option<String>,
    /// `?next=...` for the link to the other form, or nothing.
    next_query: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf_token: String,
    email: String,
    notice: Option<String>,
    next: Option<String>,
    next_query: String,
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

/// The checked destination, and the query that passes it on.
fn next_of(raw: Option<&str>) -> (Option<String>, String) {
    let next = raw.and_then(return_to::same_site_path).map(str::to_owned);
    let query = return_to::query(next.as_deref());
    (next, query)
}

async fn register_page(
    visitor: Visitor,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    if visitor.user.is_some() {
        return Ok(Redirect::to(return_to::destination(query.next.as_deref())).into_response());
    }
    let (next, next_query) = next_of(query.next.as_deref());
    Ok(RegisterPage {
        layout: visitor.layout().await?,
        csrf_token: visitor.session.csrf_token().await?,
        email: String::new(),
        name: String::new(),
        errors: FieldErrors::default(),
        notice: None,
        email_taken: false,
        next,
        next_query,
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
            visitor
                .session
                .set_flash(&format!("Welcome, {}! Your account is ready.", user.name))
                .await?;
            Ok(Redirect::to(return_to::destination(form.next.as_deref())).into_response())
        }
        Err(error) => {
            let (errors, notice) = match &error {
                AppError::Validation(errors) => (FieldErrors::from(errors.as_slice()), None),
                AppError::Conflict(_) => (
                    FieldErrors {
                        email: Some("An account with this email already exists."),
                        ..FieldErrors::default()
                    },
                    None,
                ),
                AppError::TooManyRequests { .. } => {
                    (FieldErrors::default(), Some(error.to_string()))
                }
                _ => return Err(error.into()),
            };
            let (next, next_query) = next_of(form.next.as_deref());
            let page = RegisterPage {
                layout: visitor.layout().await?,
                csrf_token: visitor.session.csrf_token().await?,
                email: form.email,
                name: form.name,
                errors,
                notice,
                email_taken: matches!(error, AppError::Conflict(_)),
                next,
                next_query,
            };
            Ok(with_error(&error, page))
        }
    }
}

async fn login_page(
    visitor: Visitor,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    if visitor.user.is_some() {
        return Ok(Redirect::to(return_to::destination(query.next.as_deref())).into_response());
    }
    let (next, next_query) = next_of(query.next.as_deref());
    Ok(LoginPage {
        layout: visitor.layout().await?,
        csrf_token: visitor.session.csrf_token().await?,
        email: String::new(),
        notice: None,
        next,
        next_query,
    }
    .into_response())
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    visitor: Visitor,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let https = state.web.is_https();
    let device_cookie = device::presented(&headers, https);
    match state
        .accounts
        .login(
            client,
            &form.email,
            &form.password,
            device_cookie.as_deref(),
        )
        .await
    {
        Ok(user) => {
            visitor.session.sign_in(&user).await?;
            let mut response =
                Redirect::to(return_to::destination(form.next.as_deref())).into_response();
            device::give(&mut response, state.accounts.device_cookie(&user), https);
            Ok(response)
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
            let (next, next_query) = next_of(form.next.as_deref());
            let page = LoginPage {
                layout: visitor.layout().await?,
                csrf_token: visitor.session.csrf_token().await?,
                email: form.email,
                notice: Some(notice),
                next,
                next_query,
            };
            Ok(with_error(&error, page))
        }
        Err(error) => Err(error.into()),
    }
}

async fn logout(visitor: Visitor) -> Result<Redirect, PageError> {
    visitor.session.sign_out().await?;
    visitor.session.set_flash("You are signed out.").await?;
    Ok(Redirect::to("/"))
}
