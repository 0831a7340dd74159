//! The use cases, shared by the JSON API and the pages: each takes the parts it uses (store,
//! generator, clock, ...) and names no HTTP type, so both front doors run the same rules.

pub mod accounts;
pub mod admin;
pub mod emails;
pub mod fursonas;
pub mod generation;
pub mod health;
pub mod links;
pub mod outbox;
pub mod paging;
pub mod pictures;
pub mod sharing;
pub mod subscriptions;
