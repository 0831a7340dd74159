//! `fursona admin`: plans by hand, for self-hosters without payments and for support.

use anyhow::{Context, bail};

use super::cli::AdminAction;
use crate::domain::account::Email;
use crate::domain::plan::Plan;
use crate::domain::usage::Moment;
use crate::store::Store;

/// Runs one admin action and returns what to print.
pub async fn run(store: &Store, action: AdminAction, at: Moment) -> anyhow::Result<String> {
    match action {
        AdminAction::SetPlan { email, plan } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!(e.message))?;
            let plan: Plan = plan.parse()?;
            if !store.set_plan(&email, plan).await? {
                bail!("no account with the email {}", email.as_str());
            }
            Ok(format!(
                "{} is now on the {} plan",
                email.as_str(),
                plan.info().name
            ))
        }
        AdminAction::Show { email } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!(e.message))?;
            let credentials = store
                .find_credentials(&email)
                .await?
                .with_context(|| format!("no account with the email {}", email.as_str()))?;
            let user = credentials.user;
            let usage = store.usage(user.id, at).await?;
            let billing = store.billing(user.id).await?;
            let limit = usage
                .limit
                .map_or("unlimited".to_owned(), |l| l.to_string());
            Ok(format!(
                "email:        {}\nname:         {}\nplan:         {}\nstatus:       {}{}\n\
                 usage:        {} of {}\nperiod ends:  {}\nstripe customer:     {}\n\
                 stripe subscription: {}",
                user.email,
                user.name,
                usage.plan,
                billing.status,
                if usage.past_due {
                    " (payment failed)"
                } else {
                    ""
                },
                usage.used,
                limit,
                usage.period_end,
                billing.stripe_customer_id.as_deref().unwrap_or("-"),
                billing.stripe_subscription_id.as_deref().unwrap_or("-"),
            ))
        }
    }
}
