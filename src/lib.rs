//! Fursona Generator: one axum app serving pages, a JSON API and static files over SQLite or
//! MariaDB. `main.rs` only parses the command line; everything else is here, so the tests start
//! exactly what production starts (see [`startup::Application`]).

pub mod accounts;
pub mod admin;
pub mod ai;
pub mod art;
pub mod auth;
pub mod billing;
pub mod cli;
pub mod config;
pub mod cpu_pool;
pub mod domain;
pub mod error;
pub mod generation;
pub mod metrics;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
pub mod subscriptions;
pub mod telemetry;
