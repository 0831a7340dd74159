//! The generator's form target, one fursona's page and JSON download, history and delete.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::error::PageError;
use super::layout::Layout;
use super::make_it_yours::{self, Tools, WorkbenchFragment};
use super::views::{CardView, GenerateError, SharePanel, SharePanelFragment};
use super::visitor::Visitor;
use crate::domain::account::UserId;
use crate::domain::fursona::FursonaId;
use crate::domain::plan::Plan;
use crate::domain::share::ShareOptions;
use crate::routes::path::FursonaPath;
use crate::routes::respond::with_error;
use crate::routes::shapes::{FursonaBody, json_download};
use crate::routes::upload::{self, body_limit};
use crate::services::fursonas;
use crate::state::AppState;

/// Free accounts see only their latest few; full history comes with Basic and Pro.
const FREE_HISTORY: u32 = 3;
const HISTORY_PAGE: u32 = 12;

/// The generator's form target, behind its own CSRF layer (see `pages::router`).
pub fn upload_router(state: &AppState) -> Router<AppState> {
    Router::new().route(
        "/generate",
        post(generate).layer(DefaultBodyLimit::max(body_limit(
            state.web.max_upload_bytes,
        ))),
    )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/history", get(history))
        .route("/fursonas/{id}", get(make_it_yours::page))
        .route("/fursonas/{id}/download", get(download))
        .route("/fursonas/{id}/delete", get(confirm_delete).post(delete))
        .route("/fursonas/{id}/share", post(share))
        .route("/fursonas/{id}/unshare", post(unshare))
}

#[derive(Template, WebTemplate)]
#[template(path = "fragments/generate_error.html")]
struct GenerateErrorFragment {
    error: GenerateError,
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
    request: Request,
) -> Result<Response, PageError> {
    // Visitors are sent away before any byte of the body is read.
    let user = visitor.signed_in()?;
    let htmx = headers.contains_key("hx-request");
    let outcome = match upload::receive(&state, user, request).await {
        Ok(upload) => state.generations.generate(user, upload).await,
        Err(error) => Err(error),
    };
    match (outcome, htmx) {
        (Ok(generated), true) => Ok(WorkbenchFragment {
            usage: Some(generated.usage.summary()),
            tools: Tools::new(&generated.fursona, &[], None),
            card: CardView::new(generated.fursona, &state.web.app_url, None),
        }
        .into_response()),
        (Ok(generated), false) => {
            Ok(Redirect::to(&format!("/fursonas/{}", generated.fursona.id)).into_response())
        }
        (Err(error), true) => {
            // The message goes beside the form; the fursona shown before stays.
            let mut response = with_error(
                &error,
                GenerateErrorFragment {
                    error: GenerateError::from_error(&error),
                },
            );
            let headers = response.headers_mut();
            headers.insert(
                "hx-retarget",
                HeaderValue::from_static("#generate-feedback"),
            );
            headers.insert("hx-reswap", HeaderValue::from_static("innerHTML"));
            Ok(response)
        }
        (Err(error), false) => Ok(super::home::render(&visitor, Some(&error)).await?),
    }
}

/// The fursona as a JSON file, in the API's shape.
async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    FursonaPath(id): FursonaPath,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let stored = fursonas::owned(&state.store, user.id, id).await?;
    let file_name = format!("fursona-{}.json", stored.id);
    Ok(json_download(
        &FursonaBody::new(stored, &state.web.app_url),
        &file_name,
    )?)
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
    let usage = state.store.usage(user.id, state.clock.moment()).await?;
    let limited = usage.plan == Plan::Free;
    let (page_size, cursor) = if limited {
        (FREE_HISTORY, None)
    } else {
        (
            HISTORY_PAGE,
            query.cursor.as_deref().and_then(FursonaId::parse),
        )
    };
    let page = fursonas::history(&state.store, user.id, page_size, cursor).await?;
    let more = page.next_cursor.is_some();
    Ok(HistoryPage {
        layout: visitor.layout().await?,
        cards: page
            .items
            .into_iter()
            .map(|f| CardView::new(f, &state.web.app_url, None))
            .collect(),
        next_cursor: page
            .next_cursor
            .filter(|_| !limited)
            .map(|id| id.to_string()),
        limited: limited && more,
    })
}

/// Without JavaScript, deleting asks on a page of its own; with htmx the browser confirms.
async fn confirm_delete(
    State(state): State<AppState>,
    visitor: Visitor,
    FursonaPath(id): FursonaPath,
) -> Result<ConfirmDeletePage, PageError> {
    let user = visitor.signed_in()?;
    let stored = fursonas::owned(&state.store, user.id, id).await?;
    let layout = visitor.layout().await?;
    Ok(ConfirmDeletePage {
        card: CardView::new(stored, &state.web.app_url, layout.csrf_token.clone()),
        layout,
    })
}

async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    FursonaPath(id): FursonaPath,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    fursonas::delete(&state.store, user.id, id).await?;
    if headers.contains_key("hx-request") {
        // The card is replaced by nothing.
        Ok((StatusCode::OK, "").into_response())
    } else {
        Ok(Redirect::to("/history").into_response())
    }
}

#[derive(Deserialize)]
struct ShareForm {
    include_photo: Option<String>,
    discoverable: Option<String>,
    /// The panel's heading level, for the panel sent back.
    heading: Option<u8>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UnshareForm {
    heading: Option<u8>,
}

/// With htmx the panel is swapped for one showing the link; without, back to the page.
async fn share(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    FursonaPath(id): FursonaPath,
    Form(form): Form<ShareForm>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let options = ShareOptions {
        include_photo: form.include_photo.is_some(),
        discoverable: form.discoverable.is_some(),
    };
    state.sharing.share(user.id, id, options).await?;
    share_panel(&state, user.id, id, &headers, form.heading).await
}

async fn unshare(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    FursonaPath(id): FursonaPath,
    // htmx sends the form; a bare POST (the header token alone) is just as good.
    form: Result<Form<UnshareForm>, FormRejection>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    state.sharing.stop_sharing(user.id, id).await?;
    let heading = form.ok().and_then(|Form(form)| form.heading);
    share_panel(&state, user.id, id, &headers, heading).await
}

async fn share_panel(
    state: &AppState,
    user: UserId,
    id: FursonaId,
    headers: &HeaderMap,
    heading: Option<u8>,
) -> Result<Response, PageError> {
    if !headers.contains_key("hx-request") {
        return Ok(Redirect::to(&format!("/fursonas/{id}")).into_response());
    }
    let stored = fursonas::owned(&state.store, user, id).await?;
    let mut share = CardView::new(stored, &state.web.app_url, None).share;
    share.heading = SharePanel::heading_from(heading);
    Ok(SharePanelFragment { share }.into_response())
}
