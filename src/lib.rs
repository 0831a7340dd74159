//! Fursona Generator: one axum app serving pages, a JSON API and static files over SQLite or
//! MariaDB. `main.rs` only parses the command line; everything else is here, so the tests start
//! exactly what production starts (see [`app::startup::Application`]).
//!
//! Each folder is one layer, and imports point down only:
//! `app` (wiring) → `routes` (HTTP) → `state` → `services` (use cases) → `auth`, `ai`, `billing`,
//! `store`, `art` (parts) → `domain` (rules) and `support`.

pub mod ai;
pub mod app;
pub mod art;
pub mod auth;
pub mod billing;
pub mod domain;
pub mod error;
pub mod mail;
pub mod routes;
pub mod services;
pub mod state;
pub mod store;
pub mod support;
