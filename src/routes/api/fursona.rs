//! `/api/fursona`: generate from a photo, re-roll, history, one fursona, edit, delete.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiUser};
use super::paging;
use crate::domain::fursona::{Edit, Field, FursonaId};
use crate::domain::usage::Usage;
use crate::error::AppError;
use crate::routes::path::FursonaPath;
use crate::routes::shapes::{FursonaBody, append_history_items};
use crate::routes::upload::{self, DataUrlBody, body_limit};
use crate::services::fursonas;
use crate::state::AppState;

const DEFAULT_PAGE: u32 = 20;
/// About what one fursona takes in a page of history, to size the answer once.
const ITEM_BYTES: usize = 2560;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let upload_limit = body_limit(state.web.max_upload_bytes);
    OpenApiRouter::new()
        .routes(routes!(generate))
        .layer(DefaultBodyLimit::max(upload_limit))
        .routes(routes!(history))
        .routes(routes!(reroll))
        .routes(routes!(one, edit, delete))
}

#[derive(Serialize, ToSchema)]
struct UsageBody {
    used: u32,
    /// `null`: unlimited.
    limit: Option<u32>,
    remaining: Option<u32>,
    #[serde(with = "time::serde::rfc3339")]
    period_end: OffsetDateTime,
}

impl From<Usage> for UsageBody {
    fn from(usage: Usage) -> Self {
        UsageBody {
            used: usage.used,
            limit: usage.limit,
            remaining: usage.remaining(),
            period_end: usage.period_end,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct GenerateResponse {
    fursona: FursonaBody,
    usage: UsageBody,
}

/// Described here, written by [`history`] from stored JSON.
#[derive(ToSchema)]
#[allow(dead_code)]
struct HistoryResponse {
    /// Newest first.
    items: Vec<FursonaBody>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<FursonaId>,
}

/// The photo as a file (multipart field `image`).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Describes the multipart body, which the upload extractor reads field by field.
struct PhotoUpload {
    #[schema(value_type = String, format = Binary)]
    image: Vec<u8>,
}

/// What a re-roll keeps of the original.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RerollRequest {
    /// These fields are the original's exactly; the others are made anew. Empty or absent:
    /// everything is made anew.
    #[serde(default)]
    keep: Vec<Field>,
}

#[derive(Deserialize)]
struct HistoryQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// Makes a fursona from a photo (JPEG, PNG or WebP) and charges one generation of this period.
/// Nothing is charged when it fails.
#[utoipa::path(
    post,
    path = "/api/fursona/generate",
    tag = "fursona",
    security(("bearer" = [])),
    request_body(content(
        (PhotoUpload = "multipart/form-data"),
        (DataUrlBody = "application/json"),
    )),
    responses(
        (status = 201, description = "Generated and stored", body = GenerateResponse),
        (status = 402, description = "This period's generations are used up (`limit_reached`, with `plan`, `limit` and `resets_at`)", body = ErrorBody),
        (status = 403, description = "`REQUIRE_VERIFIED_EMAIL` is on and the address is not verified yet (`email_unverified`)", body = ErrorBody),
        (status = 413, description = "The photo is larger than `MAX_UPLOAD_BYTES`", body = ErrorBody),
        (status = 415, description = "Not a JPEG, PNG or WebP image", body = ErrorBody),
        (status = 422, description = "The image does not decode, has too many pixels, or the AI cannot use it", body = ErrorBody),
        (status = 502, description = "The AI answered something unusable", body = ErrorBody),
        (status = 503, description = "The AI or the database is unavailable", body = ErrorBody),
    )
)]
async fn generate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    request: Request,
) -> Result<(StatusCode, Json<GenerateResponse>), ApiError> {
    // The bearer token is checked (above) before any byte of the body is read.
    let upload = upload::receive(&state, &user, request).await?;
    let generated = state.generations.generate(&user, upload).await?;
    Ok((
        StatusCode::CREATED,
        Json(GenerateResponse {
            fursona: FursonaBody::new(generated.fursona, &state.web.app_url),
            usage: generated.usage.into(),
        }),
    ))
}

/// A new fursona from the same stored photo as one of the caller's, keeping the fields in
/// `keep` exactly (`parent_id` names the original). Charged as one generation, like generate;
/// nothing is charged when it fails.
#[utoipa::path(
    post,
    path = "/api/fursona/{id}/reroll",
    operation_id = "reroll_fursona",
    tag = "fursona",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The fursona to start from")),
    request_body = RerollRequest,
    responses(
        (status = 201, description = "Generated and stored", body = GenerateResponse),
        (status = 402, description = "This period's generations are used up (`limit_reached`, with `plan`, `limit` and `resets_at`)", body = ErrorBody),
        (status = 403, description = "`REQUIRE_VERIFIED_EMAIL` is on and the address is not verified yet (`email_unverified`)", body = ErrorBody),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
        (status = 409, description = "The original was deleted while the new one was being made", body = ErrorBody),
        (status = 422, description = "`keep` names an unknown field, or the AI cannot use the photo", body = ErrorBody),
        (status = 502, description = "The AI answered something unusable", body = ErrorBody),
        (status = 503, description = "The AI or the database is unavailable", body = ErrorBody),
    )
)]
async fn reroll(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    FursonaPath(id): FursonaPath,
    ApiJson(request): ApiJson<RerollRequest>,
) -> Result<(StatusCode, Json<GenerateResponse>), ApiError> {
    let generated = state.generations.reroll(&user, id, &request.keep).await?;
    Ok((
        StatusCode::CREATED,
        Json(GenerateResponse {
            fursona: FursonaBody::new(generated.fursona, &state.web.app_url),
            usage: generated.usage.into(),
        }),
    ))
}

/// The caller's fursonas, newest first, a page at a time.
#[utoipa::path(
    get,
    path = "/api/fursona/history",
    tag = "fursona",
    security(("bearer" = [])),
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Page size, 20 when absent"),
        ("cursor" = Option<uuid::Uuid>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "One page", body = HistoryResponse),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 422, description = "`limit` or `cursor` is invalid", body = ErrorBody),
    )
)]
async fn history(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let query = paging::query(query)?;
    let limit = paging::limit(query.limit.as_deref(), DEFAULT_PAGE)?;
    let cursor = paging::cursor(query.cursor.as_deref(), FursonaId::parse)?;
    let page = fursonas::history_heads(&state.store, user.id, limit, cursor).await?;
    // A [`HistoryResponse`] written by hand from each fursona's JSON, made once per revision.
    let mut body = Vec::with_capacity(page.items.len() * ITEM_BYTES);
    body.extend_from_slice(b"{\"items\":[");
    append_history_items(&state, user.id, &page.items, &mut body).await?;
    body.extend_from_slice(b"],\"next_cursor\":");
    serde_json::to_writer(&mut body, &page.next_cursor)
        .map_err(|e| AppError::Internal(e.into()))?;
    body.push(b'}');
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// One of the caller's fursonas.
#[utoipa::path(
    get,
    path = "/api/fursona/{id}",
    operation_id = "get_fursona",
    tag = "fursona",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    responses(
        (status = 200, description = "The fursona", body = FursonaBody),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
    )
)]
async fn one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    FursonaPath(id): FursonaPath,
) -> Result<Json<FursonaBody>, ApiError> {
    Ok(Json(FursonaBody::new(
        fursonas::owned(&state.store, user.id, id).await?,
        &state.web.app_url,
    )))
}

/// Changes one of the caller's fursonas by hand: the fields sent replace its own, checked like
/// generated output (lengths, 3 to 6 `#rrggbb` colours, 3 to 5 traits). Free of charge; sets
/// `edited_at` when something changed. Its pictures follow.
#[utoipa::path(
    patch,
    path = "/api/fursona/{id}",
    operation_id = "edit_fursona",
    tag = "fursona",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    request_body = Edit,
    responses(
        (status = 200, description = "The fursona as edited", body = FursonaBody),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
        (status = 422, description = "A field breaks a rule (`validation_failed`, with `fields`: each invalid field and what is wrong), or the body names an unknown field", body = ErrorBody),
    )
)]
async fn edit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    FursonaPath(id): FursonaPath,
    ApiJson(edit): ApiJson<Edit>,
) -> Result<Json<FursonaBody>, ApiError> {
    let edited = fursonas::edit(&state.store, user.id, id, edit, state.clock.now()).await?;
    Ok(Json(FursonaBody::new(edited, &state.web.app_url)))
}

/// Deletes one of the caller's fursonas and its photo. The generation stays counted.
#[utoipa::path(
    delete,
    path = "/api/fursona/{id}",
    operation_id = "delete_fursona",
    tag = "fursona",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The fursona's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No fursona of yours has this id", body = ErrorBody),
    )
)]
async fn delete(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    FursonaPath(id): FursonaPath,
) -> Result<StatusCode, ApiError> {
    fursonas::delete(&state.store, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
