//! An id in a URL (a fursona's, an account's), for the API and the pages alike. Anything that
//! is not an id is "not found", exactly like an id the caller may not see, rendered for the area
//! the URL is in.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;

use super::fallback::error_for;
use crate::domain::account::UserId;
use crate::domain::fursona::FursonaId;
use crate::error::AppError;

/// Defines an extractor for one kind of id in the URL.
macro_rules! id_path {
    ($($name:ident($id:ty)),+ $(,)?) => {$(
        pub struct $name(pub $id);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = Response;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
                let id = Path::<String>::from_request_parts(parts, state)
                    .await
                    .ok()
                    .and_then(|Path(id)| <$id>::parse(&id));
                match id {
                    Some(id) => Ok($name(id)),
                    None => Err(error_for(&parts.uri, AppError::NotFound)),
                }
            }
        }
    )+};
}

id_path!(FursonaPath(FursonaId), UserPath(UserId));
