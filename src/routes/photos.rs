//! `GET /api/fursona/{id}/image`: a stored photo, for its owner only, and its thumbnail. Like the pictures, it
//! answers to either credential ([`Owner`]), so the same `image_url` works for an API client
//! (bearer token) and in a page's `<img>` (session cookie). Anyone else gets 404, as if it did
//! not exist.

use axum::extract::State;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::api::error::{ApiError, ErrorBody};
use super::owner::Owner;
use super::path::FursonaPath;
use super::shapes::{Binary, photo_response};
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(photo))
        .routes(routes!(thumbnail))
}

/// The stored photo of a fursona: re-encoded, without metadata. Also answers to the owner's
/// session cookie, so that pages can show it.
#[utoipa::path(
    get,
    path = "/api/fursona/{id}/image",
    operation_id = "get_fursona_image",
    tag = "fursona",
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The photo, privately cacheable",
         content((Binary = "image/jpeg"), (Binary = "image/webp"))),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
    )
)]
async fn photo(
    State(state): State<AppState>,
    Owner(user): Owner,
    FursonaPath(id): FursonaPath,
) -> Result<Response, ApiError> {
    let (bytes, content_type) = state
        .store
        .fursona_image(user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(photo_response(bytes, &content_type))
}

/// A small JPEG of the stored photo (144 px on its long side), for lists. Also answers to the
/// owner's session cookie.
#[utoipa::path(
    get,
    path = "/api/fursona/{id}/thumbnail.jpg",
    operation_id = "get_fursona_thumbnail",
    tag = "fursona",
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The thumbnail, privately cacheable",
         content((Binary = "image/jpeg"))),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
    )
)]
async fn thumbnail(
    State(state): State<AppState>,
    Owner(user): Owner,
    FursonaPath(id): FursonaPath,
) -> Result<Response, ApiError> {
    let (bytes, _) = state
        .store
        .fursona_image(user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let thumbnail = state.pictures.thumbnail(id, bytes).await?;
    Ok(photo_response(thumbnail.to_vec(), "image/jpeg"))
}
