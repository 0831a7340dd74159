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

/// Writes a changed session before the page goes out. The session layer would write it after and,
/// if the database failed, answer a bare 500 of its own; here the failure is an [`AppError`] and
/// the visitor sees the outage page (503). The layer writes again after, which costs a second
/// write only on the rare answers that change the session.
pub async fn save_first(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let session = request.extensions().get::<Session>().cloned();
    let response = next.run(request).await;
    match session {
        // As the layer decides: a changed session that is not empty (signing out empties it, and
        // the layer then removes the cookie).
        Some(session)
            if session.is_modified()
                && !response.status().is_server_error()
                && !session.is_empty().await =>
        {
            match session.save().await {
                Ok(()) => response,
                Err(e) => super::error::PageError(e.into()).into_response(),
            }
        }
        _ => response,
    }
}
