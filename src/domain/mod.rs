//! The rules, with no SQL and no HTTP: account inputs, plans, usage periods, billing, the
//! fursona and the photo pipeline.

pub mod account;
pub mod admin;
pub mod billing;
pub mod body_plan;
pub mod fursona;
pub mod mail;
pub mod photo;
pub mod plan;
pub mod share;
pub mod usage;
