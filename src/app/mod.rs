//! Wiring: the command line, the settings, building and running the application (and its accept
//! loop), the admin commands and logging. Nothing below imports from here.

pub mod admin;
pub mod cli;
pub mod config;
pub mod server;
pub mod startup;
pub mod telemetry;
