//! `/s/{slug}`: a shared fursona for anyone with the link, no sign-in. The page carries Open
//! Graph and Twitter tags so that a pasted link unfolds into the card; the pictures under it are
//! public too, the uploaded photo only when the owner chose so. Answers are briefly cacheable
//! and kept out of search engines unless the owner opted in.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::client::ClientAddr;
use super::pages::error::PageError;
use super::pages::layout::Layout;
use super::pictures::{Audience, PUBLIC_MAX_AGE, ROBOTS, respond};
use super::shapes::share_url;
use crate::ai::made_by;
use crate::domain::fursona::Fursona;
use crate::error::AppError;
use crate::services::pictures::Picture;
use crate::state::AppState;
use crate::store::shares::Shared;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}", get(page))
        .route("/s/{slug}/card.png", get(card))
        .route("/s/{slug}/portrait.svg", get(portrait_svg))
        .route("/s/{slug}/portrait.png", get(portrait_png))
        .route("/s/{slug}/sheet.png", get(sheet_png))
        .route("/s/{slug}/photo", get(photo))
        .route("/s/{slug}/thumbnail.jpg", get(thumbnail))
}

#[derive(Template, WebTemplate)]
#[template(path = "share.html")]
struct SharePage {
    layout: Layout,
    fursona: Fursona,
    /// The page's absolute URL; the card is under it.
    url: String,
    /// The same, as a path on this site, for the pictures.
    path: String,
    description: String,
    made_by: String,
    include_photo: bool,
    discoverable: bool,
}

async fn page(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let Shared { share, fursona } = state.sharing.open(client, &slug).await?;
    let page = SharePage {
        layout: Layout::anonymous(),
        url: share_url(&state.web.app_url, &share.slug),
        path: format!("/s/{}", share.slug),
        description: summary(&fursona.fursona),
        made_by: made_by(&fursona.engine, &fursona.model),
        include_photo: share.include_photo,
        discoverable: share.discoverable,
        fursona: fursona.fursona,
    };
    let mut response = page.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PUBLIC_MAX_AGE),
    );
    if !share.discoverable {
        headers.insert(ROBOTS, HeaderValue::from_static("noindex"));
    }
    Ok(response)
}

/// One line for link previews: "A red fox with Ginger, Cream and Soot. Curious, warm, stubborn."
fn summary(fursona: &Fursona) -> String {
    let colours: Vec<&str> = fursona.palette.iter().map(|s| s.name.as_str()).collect();
    format!(
        "{} the {}, in {}. {}.",
        fursona.name,
        fursona.species.to_lowercase(),
        colours.join(", "),
        fursona.personality.join(", ")
    )
}

async fn picture(
    state: &AppState,
    client: std::net::IpAddr,
    slug: &str,
    picture: Picture,
    headers: &HeaderMap,
) -> Result<Response, PageError> {
    let Shared { share, fursona } = state.sharing.open(client, slug).await?;
    let audience = Audience::Public {
        indexable: share.discoverable,
    };
    Ok(respond(state, &fursona, picture, headers, audience).await?)
}

async fn card(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    picture(&state, client, &slug, Picture::Card, &headers).await
}

async fn portrait_svg(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    picture(&state, client, &slug, Picture::PortraitSvg, &headers).await
}

/// The portrait at its default size; owners choose other sizes under `/api`.
async fn portrait_png(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let size = Picture::portrait_png(Picture::DEFAULT_PORTRAIT_SIZE)
        .ok_or_else(|| AppError::internal("the default portrait size is out of range"))?;
    picture(&state, client, &slug, size, &headers).await
}

async fn sheet_png(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    picture(&state, client, &slug, Picture::SheetPng, &headers).await
}

/// The uploaded photo, only when the owner chose to show it; otherwise 404 like a revoked link.
async fn photo(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let (_, bytes, content_type) = state.sharing.photo(client, &slug).await?;
    Ok(public_photo(bytes, &content_type))
}

/// The photo small, for the page; the same thumbnail the owner's lists show.
async fn thumbnail(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let (id, bytes, _) = state.sharing.photo(client, &slug).await?;
    let thumbnail = state.pictures.thumbnail(id, bytes).await?;
    Ok(public_photo(thumbnail.to_vec(), "image/jpeg"))
}

/// A shared photo: briefly cacheable by anyone, never indexed.
fn public_photo(bytes: Vec<u8>, content_type: &str) -> Response {
    let mut response = super::shapes::photo_response(bytes, content_type);
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PUBLIC_MAX_AGE),
    );
    headers.insert(ROBOTS, HeaderValue::from_static("noindex"));
    response
}
