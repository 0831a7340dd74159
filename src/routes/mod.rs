//! HTTP only: each area owns its router; this root merges them and adds the layers every
//! response goes through (request id, access log, panic guard, security headers).

pub mod api;
pub mod assets;
pub mod client;
mod compression;
mod fallback;
pub mod health;
pub mod metrics;
mod negotiate;
mod owner;
pub mod pages;
mod path;
mod photos;
mod pictures;
mod respond;
pub mod shapes;
mod share;
pub mod upload;
mod webhook;

use axum::Router;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::response::IntoResponse;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::SessionManagerLayer;

use crate::error::AppError;
use crate::state::AppState;
use crate::store::SessionStore;
use api::error::ApiError;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// No inline script or style anywhere: htmx and our JS are files under `/static`.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'";

pub fn router(state: AppState, sessions: SessionManagerLayer<SessionStore>) -> Router {
    let https = state.web.is_https();
    let trusted_proxies = state.web.trusted_proxies.clone();
    let api_elsewhere = photos::router()
        .merge(pictures::router())
        .layer(sessions.clone())
        .merge(webhook::router());
    let routes = Router::new()
        .merge(api::router(&state, api_elsewhere))
        .merge(
            pages::router(&state)
                .layer(axum::middleware::from_fn(pages::session::save_first))
                .layer(sessions),
        )
        .merge(share::router())
        .merge(health::router())
        .route("/metrics", axum::routing::get(metrics::scrape))
        // Before the assets, which come compressed at build time.
        .layer(axum::middleware::from_fn(compression::compress))
        .merge(assets::router())
        .route_layer(axum::middleware::from_fn(metrics::track))
        .fallback(fallback::not_found)
        .method_not_allowed_fallback(fallback::method_not_allowed);
    with_security_headers(routes, https)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(move |request: &Request<Body>| {
                            request_span(request, &trusted_proxies)
                        })
                        .on_request(())
                        .on_response(
                            DefaultOnResponse::new()
                                .level(tracing::Level::INFO)
                                .latency_unit(LatencyUnit::Micros),
                        )
                        .on_body_chunk(())
                        .on_eos(())
                        .on_failure(()),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(CatchPanicLayer::custom(|_| {
                    ApiError(AppError::internal("a handler panicked")).into_response()
                })),
        )
        .with_state(state)
}

/// The access log's span: request id, client address (see [`client`]), method and path (never
/// the query, headers or body). The line itself is written when the response is ready, with
/// status and latency.
fn request_span(request: &Request<Body>, trusted_proxies: &[ipnet::IpNet]) -> tracing::Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| {
            client::client_addr(peer.ip(), request.headers(), trusted_proxies)
        });
    tracing::info_span!(
        "request",
        id,
        client = client.map(tracing::field::display),
        method = %request.method(),
        path = request.uri().path(),
    )
}

fn with_security_headers(routes: Router<AppState>, https: bool) -> Router<AppState> {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let routes = routes
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        // Pages and API answers are personal; static files set their own long cache.
        .layer(set(header::CACHE_CONTROL, "no-store"));
    if https {
        routes.layer(set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        ))
    } else {
        routes
    }
}
