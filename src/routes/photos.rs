//! `GET /api/fursona/{id}/image`: a stored photo, for its owner only. It is the one route that
//! answers to either credential, so the same `image_url` works for an API client (bearer token)
//! and in a page's `<img>` (session cookie). Anyone else gets 404, as if it did not exist.

use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::api::error::{ApiError, ErrorBody};
use super::api::extract::ApiUser;
use super::pages::visitor::Visitor;
use super::path::FursonaPath;
use super::shapes::photo_response;
use crate::domain::account::UserId;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(photo))
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
         content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"))),
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

/// The user behind a bearer token if one is sent, else behind the session cookie.
struct Owner(UserId);

impl FromRequestParts<AppState> for Owner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
            return Ok(Owner(user.id));
        }
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError(e.0))?;
        visitor
            .user
            .map(|user| Owner(user.id))
            .ok_or(ApiError(AppError::Unauthenticated(
                "sign in, or send an Authorization: Bearer token",
            )))
    }
}
