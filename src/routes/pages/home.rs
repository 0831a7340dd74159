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
use crate::domain::usage::{Usage, calendar_date};
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
    max_upload_mib: usize,
    /// The month's allowance is used up: said before any upload, and the form is disabled.
    used_up: Option<UsedUp>,
    error: Option<GenerateError>,
    /// `REQUIRE_VERIFIED_EMAIL` and this account's address is not verified yet.
    must_verify_email: bool,
}

pub struct UsedUp {
    pub limit: u32,
    pub plan: &'static str,
    /// "1 January 2027".
    pub resets_on: String,
}

impl UsedUp {
    fn of(usage: &Usage) -> Option<Self> {
        (usage.remaining() == Some(0)).then(|| UsedUp {
            limit: usage.limit.unwrap_or_default(),
            plan: usage.plan.info().name,
            resets_on: calendar_date(usage.period_end),
        })
    }
}

async fn home(visitor: Visitor) -> Result<Response, PageError> {
    render(&visitor, None).await
}

/// The start page, optionally with the error of a generation that was just refused.
pub async fn render(visitor: &Visitor, error: Option<&AppError>) -> Result<Response, PageError> {
    let layout = visitor.layout().await?;
    let used_up = match &visitor.user {
        Some(user) => UsedUp::of(&visitor.usage_of(user).await?),
        None => None,
    };
    let page = HomePage {
        signed_in: visitor.user.is_some(),
        used_up,
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
