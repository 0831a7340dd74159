use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use fursona::app::cli::{Cli, Command};
use fursona::app::config::Config;
use fursona::app::startup::{self, Application};
use fursona::domain::usage::{SystemClock, UsageClock};

/// mimalloc gives memory back to the system after a burst (lazily, when the thread that freed it
/// allocates again; `MIMALLOC_PURGE_DELAY=0` at once, at a cost in throughput); glibc's
/// per-thread arenas kept what a login or upload burst had needed (see BENCHMARKS.md). Built
/// without transparent huge pages, which made every touched arena 2 MiB resident.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Before parsing, so .env values fill in the settings; a missing .env is fine.
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!("cannot read .env: {e}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    let config = match Config::from_settings(&cli.settings) {
        Ok(config) => config,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let _log_writer = fursona::app::telemetry::init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => {
                Application::build(config)
                    .await?
                    .run_until(startup::shutdown_signal())
                    .await
            }
            Command::Migrate => {
                let store = startup::connect_and_migrate(&config).await?;
                store.close().await;
                tracing::info!("migrations applied");
                Ok(())
            }
            Command::Admin { action } => {
                let store = startup::connect_and_migrate(&config).await?;
                let at = UsageClock::new(Arc::new(SystemClock), config.billing.past_due_grace);
                let outcome =
                    fursona::app::admin::run(&store, action, at.moment(), &config.app_url).await;
                store.close().await;
                println!("{}", outcome?);
                Ok(())
            }
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "fatal");
            ExitCode::FAILURE
        }
    }
}
