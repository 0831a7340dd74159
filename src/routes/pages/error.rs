//! The page rendering of errors: a readable sentence inside the site's layout, with the error's
//! status. A visitor who is not signed in is sent to the login page instead (and back after).

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

use super::layout::Layout;
use super::return_to::SignInNeeded;
use crate::error::AppError;
use crate::routes::respond::with_error;

/// The page rendering: a readable message inside the site's layout.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    title: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let error = self.0;
        if matches!(error, AppError::Unauthenticated(_)) {
            // `return_to::remember` adds the page asked for, when it was a GET.
            let mut response = axum::response::Redirect::to("/login").into_response();
            response.extensions_mut().insert(SignInNeeded);
            return response;
        }
        let page = ErrorPage {
            layout: Layout::anonymous(),
            title: error.status().canonical_reason().unwrap_or("Error"),
            message: capitalized(&error.to_string()),
        };
        match page.render() {
            Ok(html) => with_error(&error, axum::response::Html(html)),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                let text = error.to_string();
                with_error(&error, text)
            }
        }
    }
}

/// Sentences for people start with a capital letter; API messages stay as they are.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}
