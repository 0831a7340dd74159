//! `/`: a landing page for visitors; for signed-in users, the generator's place.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::routing::get;

use super::layout::{Layout, Visitor};
use crate::error::PageError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    signed_in: bool,
}

async fn home(visitor: Visitor) -> Result<HomePage, PageError> {
    Ok(HomePage {
        layout: visitor.layout().await?,
        signed_in: visitor.user.is_some(),
    })
}
