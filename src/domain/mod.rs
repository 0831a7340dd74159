//! The rules, with no SQL and no HTTP: account inputs, plans and usage periods.

pub mod account;
pub mod body_plan;
pub mod fursona;
pub mod photo;
pub mod plan;
pub mod usage;
