//! The page session as an extractor: the cookie session the session layer loaded, with the
//! settings and the clock it is judged by.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;

use crate::auth::session::WebSession;
use crate::error::AppError;
use crate::state::AppState;

impl FromRequestParts<AppState> for WebSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| AppError::internal("the session layer is missing on this route"))?;
        Ok(WebSession::new(
            session,
            state.web.session.clone(),
            state.clock.clock(),
        ))
    }
}
