//! `/api/fursona/{id}/share`: share a fursona by a public link, or revoke the link.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::extract::ApiUser;
use crate::domain::share::ShareOptions;
use crate::error::AppError;
use crate::routes::path::FursonaPath;
use crate::routes::shapes::ShareBody;
use crate::state::AppState;
use crate::store::shares::Sharing;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(share, unshare))
}

/// How to share; both default to false. The body may be left out.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
struct ShareRequest {
    /// Show the uploaded photo on the public page.
    #[serde(default)]
    include_photo: bool,
    /// Let search engines index the page.
    #[serde(default)]
    discoverable: bool,
}

/// Shares one of the caller's fursonas by a public link. Sharing it again answers the same link.
#[utoipa::path(
    post,
    path = "/api/fursona/{id}/share",
    operation_id = "share_fursona",
    tag = "fursona",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    request_body(content = Option<ShareRequest>, content_type = "application/json"),
    responses(
        (status = 201, description = "Shared now", body = ShareBody),
        (status = 200, description = "Already shared: the existing link, its options unchanged", body = ShareBody),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
    )
)]
async fn share(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    FursonaPath(id): FursonaPath,
    body: Bytes,
) -> Result<(StatusCode, Json<ShareBody>), ApiError> {
    // No body, or `null`, means the defaults.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let request: ShareRequest = if first.is_none() {
        ShareRequest::default()
    } else {
        // serde would also read a struct from an array (`[]` as all defaults): only an object is
        // one.
        if matches!(first, Some(b'{' | b'n')) {
            serde_json::from_slice::<Option<ShareRequest>>(&body)
        } else {
            Err(serde::de::Error::custom("the body is not a JSON object"))
        }
        .map_err(|e| AppError::MalformedRequest {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("expected {{\"include_photo\": bool, \"discoverable\": bool}}: {e}"),
        })?
        .unwrap_or_default()
    };
    let options = ShareOptions {
        include_photo: request.include_photo,
        discoverable: request.discoverable,
    };
    let (status, share) = match state.sharing.share(user.id, id, options).await? {
        Sharing::Created(share) => (StatusCode::CREATED, share),
        Sharing::Existing(share) => (StatusCode::OK, share),
    };
    Ok((status, Json(ShareBody::new(share, &state.web.app_url))))
}

/// Revokes the public link: it and everything under it answer 404 from now on.
#[utoipa::path(
    delete,
    path = "/api/fursona/{id}/share",
    operation_id = "unshare_fursona",
    tag = "fursona",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No shared fursona of yours has this id", body = ErrorBody),
    )
)]
async fn unshare(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    FursonaPath(id): FursonaPath,
) -> Result<StatusCode, ApiError> {
    state.sharing.unshare(user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
