//! The HTML pages (Askama templates in `templates/`), signed in by cookie session only. Every
//! state-changing request passes the CSRF check of [`csrf`] before any handler runs (an upload's
//! token, its first field, before any of the photo is read).

mod account;
mod admin;
mod auth;
mod billing;
mod csrf;
mod device;
mod email;
pub mod error;
mod fursonas;
mod home;
pub mod layout;
mod make_it_yours;
mod return_to;
pub mod session;
mod views;
pub mod visitor;

use axum::Router;
use axum::middleware;

use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(auth::router())
        .merge(fursonas::router())
        .merge(make_it_yours::router())
        .merge(billing::router())
        .merge(account::router())
        .merge(email::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::require_token,
        ))
        // The upload route reads a plain form's token from the body, as its first field.
        .merge(
            fursonas::upload_router(state).layer(middleware::from_fn_with_state(
                state.clone(),
                csrf::require_token_first,
            )),
        )
        .layer(middleware::from_fn(return_to::remember))
        // Its own layers: who may see it is decided before the CSRF check.
        .merge(admin::router(state))
}
