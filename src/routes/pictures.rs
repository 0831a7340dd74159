//! `GET /api/fursona/{id}/portrait.svg|png` and `sheet.svg|png`: the drawn pictures, for the
//! owner only; [`respond`] also serves them under public share links (token or session, see [`Owner`]). Each answer carries a strong `ETag` and
//! answers `If-None-Match` with 304 before anything is drawn. SVGs are sent compressed when the
//! client accepts it, with a tag per coding. SVG answers get a policy that
//! forbids scripts and every outside load, so even a hostile name could run nothing.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::api::error::{ApiError, ErrorBody};
use super::negotiate;
use super::owner::Owner;
use super::path::FursonaPath;
use super::shapes::Binary;
use crate::domain::account::UserId;
use crate::domain::fursona::FursonaId;
use crate::error::AppError;
use crate::services::fursonas;
use crate::services::pictures::Picture;
use crate::state::AppState;
use crate::store::fursonas::StoredFursona;
use crate::support::coding::Coding;

/// For SVG answers: nothing may run or load; inline styles and `data:` images only.
const SVG_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(portrait_svg))
        .routes(routes!(portrait_png))
        .routes(routes!(sheet_svg))
        .routes(routes!(sheet_png))
}

#[derive(Deserialize)]
struct SizeQuery {
    size: Option<String>,
}

/// The portrait as SVG: head and shoulders on a transparent background.
#[utoipa::path(
    get,
    path = "/api/fursona/{id}/portrait.svg",
    operation_id = "get_fursona_portrait_svg",
    tag = "fursona",
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The portrait", content((Binary = "image/svg+xml"))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
    )
)]
async fn portrait_svg(
    State(state): State<AppState>,
    Owner(user): Owner,
    FursonaPath(id): FursonaPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer(&state, user, id, Picture::PortraitSvg, &headers).await
}

/// The portrait as a square PNG with a transparent background.
#[utoipa::path(
    get,
    path = "/api/fursona/{id}/portrait.png",
    operation_id = "get_fursona_portrait_png",
    tag = "fursona",
    params(
        ("id" = uuid::Uuid, Path, description = "The fursona's id"),
        ("size" = Option<u32>, Query, minimum = 64, maximum = 1024, description = "Width and height in pixels, 512 when absent"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The portrait, `size` x `size`", content((Binary = "image/png"))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
        (status = 422, description = "`size` is not a whole number from 64 to 1024", body = ErrorBody),
    )
)]
async fn portrait_png(
    State(state): State<AppState>,
    Owner(user): Owner,
    FursonaPath(id): FursonaPath,
    query: Result<Query<SizeQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let invalid = AppError::InvalidChoice("size must be a whole number from 64 to 1024");
    // A query that does not read (`size` twice, say) is as wrong as a size out of range.
    let Ok(Query(query)) = query else {
        return Err(invalid.into());
    };
    let size = match query.size.as_deref() {
        None => Some(Picture::DEFAULT_PORTRAIT_SIZE),
        Some(text) => text.parse().ok(),
    };
    let picture = size.and_then(Picture::portrait_png).ok_or(invalid)?;
    answer(&state, user, id, picture, &headers).await
}

/// The reference sheet as SVG (1600 x 1000).
#[utoipa::path(
    get,
    path = "/api/fursona/{id}/sheet.svg",
    operation_id = "get_fursona_sheet_svg",
    tag = "fursona",
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reference sheet", content((Binary = "image/svg+xml"))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
    )
)]
async fn sheet_svg(
    State(state): State<AppState>,
    Owner(user): Owner,
    FursonaPath(id): FursonaPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer(&state, user, id, Picture::SheetSvg, &headers).await
}

/// The reference sheet as a 1600 x 1000 PNG: the portrait, every colour swatched and named by
/// the part it colours, markings, eyes and personality.
#[utoipa::path(
    get,
    path = "/api/fursona/{id}/sheet.png",
    operation_id = "get_fursona_sheet_png",
    tag = "fursona",
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reference sheet, 1600 x 1000", content((Binary = "image/png"))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
    )
)]
async fn sheet_png(
    State(state): State<AppState>,
    Owner(user): Owner,
    FursonaPath(id): FursonaPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer(&state, user, id, Picture::SheetPng, &headers).await
}

async fn answer(
    state: &AppState,
    user: UserId,
    id: FursonaId,
    picture: Picture,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let stored = fursonas::owned(&state.store, user, id).await?;
    Ok(respond(state, &stored, picture, headers, Audience::Owner).await?)
}

/// Who may see an answer, which decides how it may be cached and indexed.
#[derive(Clone, Copy)]
pub enum Audience {
    Owner,
    /// Anyone with the link; `indexable` when the owner opted in to search engines.
    Public {
        indexable: bool,
    },
}

/// How long a cache in front may keep a public answer: revoking a link takes at most this long
/// to reach it (this server stops answering at once).
pub const PUBLIC_MAX_AGE: &str = "public, max-age=60";

/// The picture with its validator, or 304 when the client has it; the headers for `audience`.
pub async fn respond(
    state: &AppState,
    stored: &StoredFursona,
    picture: Picture,
    headers: &HeaderMap,
    audience: Audience,
) -> Result<Response, AppError> {
    // SVG is text and shrinks to a quarter; PNGs are compressed already.
    let coding = if picture.is_text() {
        negotiate::coding(headers, |_| true)
    } else {
        Coding::Identity
    };
    let etag = state.pictures.etag(stored, picture, coding);
    let mut response = if negotiate::matches_etag(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let bytes = Bytes::from_owner(state.pictures.get(stored, picture, coding).await?);
        let mut response = bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(picture.content_type()),
        );
        if picture.is_text() {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(SVG_POLICY),
            );
        }
        if coding != Coding::Identity {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(coding.token()),
            );
        }
        response
    };
    let headers = response.headers_mut();
    if picture.is_text() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.into()))?,
    );
    let (cache, indexable) = match audience {
        Audience::Owner => ("private, no-cache", true),
        Audience::Public { indexable } => (PUBLIC_MAX_AGE, indexable),
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if !indexable {
        headers.insert(ROBOTS, HeaderValue::from_static("noindex"));
    }
    Ok(response)
}

/// Keeps an answer out of search engines.
pub const ROBOTS: header::HeaderName = header::HeaderName::from_static("x-robots-tag");
