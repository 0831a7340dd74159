//! The integration suite: one binary, the real app on port 0, a fresh database per test, each
//! behaviour on SQLite and on MariaDB. The harness is in `helpers`; the test modules use it and
//! never each other.

mod helpers;

mod accessibility;
mod account_lifecycle;
mod accounts_api;
mod admin;
mod api_contract;
mod billing;
mod billing_checkout;
mod browser;
mod editing;
mod feedback;
mod fuzz_api;
mod generation_api;
mod generation_pages;
mod hardening;
mod history;
mod instances;
mod login_throttling;
mod mail;
mod offline_coherence;
mod openai;
mod operations;
mod pages;
mod pictures;
mod registration_limits;
mod reroll;
mod reroll_browser;
mod reroll_pages;
mod sharing;
mod tokens;
mod usage_limits;
mod weight;
