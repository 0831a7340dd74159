//! The fursona id in a URL, for the API and the pages alike. Anything that is not an id is
//! "not found", exactly like another user's id, rendered for the area the URL is in.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;

use super::fallback::error_for;
use crate::domain::fursona::FursonaId;
use crate::error::AppError;

pub struct FursonaPath(pub FursonaId);

impl<S: Send + Sync> FromRequestParts<S> for FursonaPath {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let id = Path::<String>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Path(id)| FursonaId::parse(&id));
        match id {
            Some(id) => Ok(FursonaPath(id)),
            None => Err(error_for(&parts.uri, AppError::NotFound)),
        }
    }
}
