//! The HTML pages (Askama templates in `templates/`), signed in by cookie session only. Every
//! state-changing request passes the CSRF check of [`csrf`] before any handler runs.

mod account;
mod admin;
mod auth;
mod billing;
mod csrf;
mod email;
pub mod error;
mod fursonas;
mod home;
pub mod layout;
mod session;
mod views;
pub mod visitor;

use axum::Router;
use axum::middleware;

use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(auth::router())
        .merge(fursonas::router(state))
        .merge(billing::router())
        .merge(account::router())
        .merge(email::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::require_token,
        ))
        // Its own layers: who may see it is decided before the CSRF check.
        .merge(admin::router(state))
}
