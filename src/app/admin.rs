//! `fursona admin`: plans by hand, for self-hosters without payments and for support, and who
//! administers the console.

use anyhow::{Context, bail};

use super::cli::AdminAction;
use url::Url;

use crate::domain::account::Email;
use crate::domain::admin::{Actor, Edit};
use crate::domain::mail::Purpose;
use crate::domain::plan::Plan;
use crate::domain::usage::Moment;
use crate::services::links::new_token;
use crate::store::Store;

/// Runs one admin action and returns what to print.
pub async fn run(
    store: &Store,
    action: AdminAction,
    at: Moment,
    app_url: &Url,
) -> anyhow::Result<String> {
    match action {
        AdminAction::ResetLink { email } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!(e.message))?;
            let credentials = store
                .find_credentials(&email)
                .await?
                .with_context(|| format!("no account with the email {}", email.as_str()))?;
            let (token, stored) = new_token(Purpose::Reset, None, at.now);
            store
                .store_token(credentials.user.id, &stored, at.now)
                .await?;
            let mut link = app_url.join("/reset-password")?;
            link.query_pairs_mut().append_pair("token", &token);
            Ok(format!(
                "{link}\n(valid for one hour, once, for {}; any earlier reset link is void)",
                email.as_str()
            ))
        }
        AdminAction::GrantAdmin { email } => set_admin(store, &email, true, at).await,
        AdminAction::RevokeAdmin { email } => set_admin(store, &email, false, at).await,
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

/// Marks or unmarks an administrator, audited like the console's changes (by "command line").
async fn set_admin(store: &Store, email: &str, admin: bool, at: Moment) -> anyhow::Result<String> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?;
    let credentials = store
        .find_credentials(&email)
        .await?
        .with_context(|| format!("no account with the email {}", email.as_str()))?;
    store
        .change_account(
            &Actor::command_line(),
            credentials.user.id,
            at.now,
            |facts| {
                Ok(if facts.admin == admin {
                    Vec::new()
                } else {
                    vec![Edit::Admin {
                        from: facts.admin,
                        to: admin,
                    }]
                })
            },
        )
        .await?
        .with_context(|| format!("no account with the email {}", email.as_str()))?
        .map_err(|refusal| anyhow::anyhow!("refused: {refusal:?}"))?;
    Ok(if admin {
        format!("{} is an administrator", email.as_str())
    } else {
        format!("{} is no longer an administrator", email.as_str())
    })
}
