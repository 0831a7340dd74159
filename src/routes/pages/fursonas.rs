//! The generator's form target, one fursona's page and JSON download, history and delete.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::layout::{Layout, Visitor};
use super::views::CardView;
use crate::domain::fursona::FursonaId;
use crate::domain::plan::Plan;
use crate::error::{AppError, PageError, capitalized};
use crate::generation;
use crate::routes::api::fursona::{owned, parse_id};
use crate::routes::upload::{Upload, body_limit};
use crate::state::AppState;
use crate::store::users::User;

/// Free accounts see only their latest few; full history comes with Basic and Pro.
const FREE_HISTORY: u32 = 3;
const HISTORY_PAGE: u32 = 12;

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/generate",
            post(generate).layer(DefaultBodyLimit::max(body_limit(
                state.config.upload.max_bytes,
            ))),
        )
        .route("/history", get(history))
        .route("/fursonas/{id}", get(page))
        .route("/fursonas/{id}/download", get(download))
        .route("/fursonas/{id}/delete", get(confirm_delete).post(delete))
}

#[derive(Template, WebTemplate)]
#[template(path = "fragments/generated.html")]
struct GeneratedFragment {
    card: CardView,
    usage: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "fragments/generate_error.html")]
struct GenerateErrorFragment {
    error: GenerateError,
}

/// A refused generation, in plain words.
pub struct GenerateError {
    pub message: String,
    /// At the plan's limit: offer the plans instead.
    pub upgrade: bool,
}

impl GenerateError {
    pub fn from_error(error: &AppError) -> Self {
        GenerateError {
            message: format!("{}.", capitalized(&error.to_string())),
            upgrade: matches!(error, AppError::LimitReached(_)),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "fursona.html")]
struct FursonaPage {
    layout: Layout,
    card: CardView,
}

#[derive(Template, WebTemplate)]
#[template(path = "history.html")]
struct HistoryPage {
    layout: Layout,
    cards: Vec<CardView>,
    next_cursor: Option<String>,
    /// Free plan: only the latest few are shown.
    limited: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm_delete.html")]
struct ConfirmDeletePage {
    layout: Layout,
    card: CardView,
}

/// The generator form. With htmx the result (or error) is swapped into the page with the usage
/// counter; without JavaScript the browser lands on the new fursona's page.
async fn generate(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    upload: Result<Upload, AppError>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let htmx = headers.contains_key("hx-request");
    let outcome = match upload {
        Ok(upload) => generation::generate(&state, user, upload).await,
        Err(error) => Err(error),
    };
    match (outcome, htmx) {
        (Ok(generated), true) => Ok(GeneratedFragment {
            usage: generated.usage.summary(),
            card: generated.fursona.into(),
        }
        .into_response()),
        (Ok(generated), false) => {
            Ok(Redirect::to(&format!("/fursonas/{}", generated.fursona.id)).into_response())
        }
        (Err(error), true) => Ok(error.respond_with(GenerateErrorFragment {
            error: GenerateError::from_error(&error),
        })),
        (Err(error), false) => Ok(super::home::render(&visitor, Some(&error)).await?),
    }
}

async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<FursonaPage, PageError> {
    let user = visitor.signed_in()?;
    let card = find(&state, user, &id).await?;
    Ok(FursonaPage {
        layout: visitor.layout().await?,
        card,
    })
}

/// The fursona as a JSON file, in the API's shape.
async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let stored = owned(&state, user, &id).await?;
    let file_name = format!("fursona-{}.json", stored.id);
    let body = crate::routes::api::fursona::FursonaBody::from(stored);
    let json = serde_json::to_vec_pretty(&body).map_err(|e| AppError::Internal(e.into()))?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        json,
    )
        .into_response())
}

#[derive(Deserialize)]
struct HistoryQuery {
    cursor: Option<String>,
}

async fn history(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<HistoryQuery>,
) -> Result<HistoryPage, PageError> {
    let user = visitor.signed_in()?;
    let usage = state.store.usage(user.id, state.moment()).await?;
    let limited = usage.plan == Plan::Free;
    let (page_size, cursor) = if limited {
        (FREE_HISTORY, None)
    } else {
        (HISTORY_PAGE, query.cursor.as_deref().and_then(parse_id))
    };
    let mut items = state
        .store
        .list_fursonas(user.id, page_size + 1, cursor)
        .await?;
    let more = items.len() > page_size as usize;
    items.truncate(page_size as usize);
    let next_cursor = (more && !limited)
        .then(|| items.last().map(|f| f.id.to_string()))
        .flatten();
    Ok(HistoryPage {
        layout: visitor.layout().await?,
        cards: items.into_iter().map(CardView::from).collect(),
        next_cursor,
        limited: limited && more,
    })
}

/// Without JavaScript, deleting asks on a page of its own; with htmx the browser confirms.
async fn confirm_delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<ConfirmDeletePage, PageError> {
    let user = visitor.signed_in()?;
    let card = find(&state, user, &id).await?;
    Ok(ConfirmDeletePage {
        layout: visitor.layout().await?,
        card,
    })
}

async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let id: FursonaId = parse_id(&id).ok_or(AppError::NotFound)?;
    if !state.store.delete_fursona(user.id, id).await? {
        return Err(AppError::NotFound.into());
    }
    if headers.contains_key("hx-request") {
        // The card is replaced by nothing.
        Ok((StatusCode::OK, "").into_response())
    } else {
        Ok(Redirect::to("/history").into_response())
    }
}

async fn find(state: &AppState, user: &User, id: &str) -> Result<CardView, AppError> {
    owned(state, user, id).await.map(CardView::from)
}
