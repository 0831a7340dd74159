//! `/`: a landing page for visitors; for signed-in users, the generator.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::error::PageError;
use super::layout::Layout;
use super::views::GenerateError;
use super::visitor::Visitor;
use crate::error::AppError;
use crate::routes::respond::with_error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    signed_in: bool,
    /// The form's action for browsers without JavaScript (a multipart body is not searched
    /// for the CSRF token, so it travels in the URL).
    form_action: String,
    max_upload_mib: usize,
    error: Option<GenerateError>,
    /// `REQUIRE_VERIFIED_EMAIL` and this account's address is not verified yet.
    must_verify_email: bool,
}

async fn home(visitor: Visitor) -> Result<Response, PageError> {
    render(&visitor, None).await
}

/// The start page, optionally with the error of a generation that was just refused.
pub async fn render(visitor: &Visitor, error: Option<&AppError>) -> Result<Response, PageError> {
    let layout = visitor.layout().await?;
    let form_action = match &layout.csrf_token {
        Some(token) => format!("/generate?csrf_token={token}"),
        None => "/generate".to_owned(),
    };
    let page = HomePage {
        signed_in: visitor.user.is_some(),
        form_action,
        max_upload_mib: visitor.max_upload_bytes() / (1024 * 1024),
        error: error.map(GenerateError::from_error),
        must_verify_email: visitor.must_verify_email(),
        layout,
    };
    Ok(match error {
        Some(error) => with_error(error, page),
        None => page.into_response(),
    })
}
