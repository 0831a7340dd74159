//! Running the service: health and CORS, metrics, the database going away, slow and flooding
//! clients, starting and configuring the binary, its logs, the admin command line, and graceful
//! shutdown.

mod admin_cli;
mod connection_limits;
mod drain;
mod health_and_cors;
mod logs;
mod metrics;
mod outages;
mod slow_clients;
mod stalls;
mod startup_and_config;
