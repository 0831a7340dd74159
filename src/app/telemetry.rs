//! Logging through `tracing`, filtered by `RUST_LOG`, written to stdout by a background thread so
//! that a request never waits on the terminal or a log pipe.

use std::io::IsTerminal;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

const DEFAULT_FILTER: &str = "info,sqlx=warn";

/// Lines queued for the writer thread. The default (128,000) preallocates 4 MiB, a fifth of the
/// idle process; this is still a fraction of a second of the busiest access log.
const QUEUED_LINES: usize = 8192;

/// Keep the guard until the process ends: dropping it flushes the lines still queued.
pub fn init() -> WorkerGuard {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    // Not lossy: when the queue is full a request waits rather than its log line vanishing.
    let (writer, guard) = NonBlockingBuilder::default()
        .buffered_lines_limit(QUEUED_LINES)
        .lossy(false)
        .finish(std::io::stdout());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal())
        .with_writer(writer)
        .init();
    guard
}
