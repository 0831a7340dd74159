//! The command line: `fursona` (serve), `fursona migrate`, and every setting as a flag or an
//! environment variable, documented by `--help`.

use clap::{Parser, Subcommand};

use super::config::Settings;

#[derive(Parser)]
#[command(
    name = "fursona",
    version,
    about = "Fursona Generator: upload a photo, get a fursona.",
    after_help = "Every setting can also come from the environment or a .env file in the working \
                  directory. Logging: RUST_LOG (default \"info\"), e.g. RUST_LOG=fursona=debug."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Subcommand, Clone)]
pub enum Command {
    /// Apply migrations and serve (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Account administration, for servers without payments and for support.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Subcommand, Clone)]
pub enum AdminAction {
    /// Put an account on a plan (free, basic or pro), without Stripe.
    SetPlan { email: String, plan: String },
    /// Show an account's plan, status, usage and Stripe ids.
    Show { email: String },
    /// Make an account an administrator: it sees the console at /admin and the /api/admin
    /// routes. There is no other way to become one.
    GrantAdmin { email: String },
    /// Take an account's administrator rights away.
    RevokeAdmin { email: String },
    /// Print a one-time password reset link (valid for one hour) to pass on to the account's
    /// owner, for servers without email.
    ResetLink { email: String },
}
