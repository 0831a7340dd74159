//! The admin console's use cases, shared by `/api/admin` and the `/admin` pages: accounts found
//! and changed (each change audited in its transaction), the audit log, and the statistics.
//! Who may call these is decided by the routes (administrators only, everyone else a 404).

use time::{Date, Time};

use super::accounts::Accounts;
use super::paging;
use crate::domain::account::UserId;
use crate::domain::admin::{Actor, Change, Edit, Refusal, daily_series, decide, monthly_revenue};
use crate::domain::billing::keeps_paid_plan;
use crate::domain::plan::{PLANS, Plan};
use crate::domain::usage::{UsageClock, calendar_month};
use crate::error::AppError;
use crate::store::Store;
use crate::store::admin::{Account, AuditEntry, Since};
use crate::store::users::User;

/// Days in the dashboard's chart.
pub const CHART_DAYS: u16 = 30;

#[derive(Clone)]
pub struct Administration {
    pub store: Store,
    pub clock: UsageClock,
    /// Deleting an account goes as its owner's deletion does (Stripe first).
    pub accounts: Accounts,
}

pub struct AccountPage {
    pub items: Vec<Account>,
    pub next_cursor: Option<UserId>,
}

pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<i64>,
}

/// How the service is used, at a glance.
#[derive(Debug)]
pub struct Stats {
    pub accounts_total: u64,
    pub accounts_new_7_days: u64,
    pub accounts_disabled: u64,
    pub generations_today: u64,
    pub generations_month: u64,
    /// This month's generations per engine.
    pub by_engine: Vec<(String, u64)>,
    /// Generations given back this month after a failure.
    pub failures_given_back: u64,
    /// Accounts whose Stripe subscription pays for a plan, per paid plan.
    pub paying: Vec<(Plan, u64)>,
    /// Monthly recurring revenue in minor units of `currency`, from the plan prices.
    pub mrr_cents: u64,
    pub currency: &'static str,
    /// Generations per UTC day, the last [`CHART_DAYS`] days, oldest first.
    pub per_day: Vec<(Date, u64)>,
}

fn actor(admin: &User) -> Actor {
    Actor {
        id: Some(admin.id),
        email: admin.email.clone(),
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Administration {
    /// Accounts newest first, `q` matching part of the email or name.
    pub async fn accounts(
        &self,
        q: Option<&str>,
        limit: u32,
        cursor: Option<UserId>,
    ) -> Result<AccountPage, AppError> {
        let q = q.map(str::trim).filter(|q| !q.is_empty());
        let items = self.store.list_accounts(q, limit + 1, cursor).await?;
        let (items, next_cursor) = paging::cut(items, limit, |a| a.id);
        Ok(AccountPage { items, next_cursor })
    }

    pub async fn account(&self, id: UserId) -> Result<Account, AppError> {
        self.store.account(id).await?.ok_or(AppError::NotFound)
    }

    /// Changes plan, allowance and disabled state as asked, and answers the account as it now
    /// is. Disabling ends the account's tokens and sessions at once.
    pub async fn change(
        &self,
        admin: &User,
        id: UserId,
        change: &Change,
    ) -> Result<Account, AppError> {
        change.validate().map_err(AppError::InvalidChoice)?;
        let own = admin.id == id;
        self.apply(admin, id, |facts| decide(facts, change, own))
            .await?;
        self.account(id).await
    }

    /// This period's usage back to 0.
    pub async fn reset_usage(&self, admin: &User, id: UserId) -> Result<Account, AppError> {
        self.apply(admin, id, |facts| {
            Ok(vec![Edit::UsageReset {
                from: facts.generations_used,
            }])
        })
        .await?;
        self.account(id).await
    }

    /// Deletes the account as its owner's deletion does: its Stripe subscription is cancelled
    /// first (if that fails nothing is deleted), then the account and everything of it.
    pub async fn delete(&self, admin: &User, id: UserId) -> Result<(), AppError> {
        if admin.id == id {
            return Err(AppError::OwnAccount);
        }
        self.account(id).await?;
        self.accounts.cancel_subscription(id).await?;
        self.apply(admin, id, |facts| {
            Ok(vec![Edit::Deleted { plan: facts.plan }])
        })
        .await?;
        tracing::info!(user = %id, admin = %admin.id, "account deleted by an administrator");
        Ok(())
    }

    async fn apply(
        &self,
        admin: &User,
        id: UserId,
        decide: impl FnOnce(&crate::domain::admin::Facts) -> Result<Vec<Edit>, Refusal>,
    ) -> Result<Vec<Edit>, AppError> {
        match self
            .store
            .change_account(&actor(admin), id, self.clock.now(), decide)
            .await?
        {
            None => Err(AppError::NotFound),
            Some(Err(Refusal::OwnAccount)) => Err(AppError::OwnAccount),
            Some(Err(Refusal::StripeManaged)) => Err(AppError::StripeManaged),
            Some(Ok(edits)) => Ok(edits),
        }
    }

    /// The audit log newest first; one account's entries when `target` is given.
    pub async fn audit(
        &self,
        target: Option<UserId>,
        limit: u32,
        cursor: Option<i64>,
    ) -> Result<AuditPage, AppError> {
        let items = self.store.audit(target, limit + 1, cursor).await?;
        let (items, next_cursor) = paging::cut(items, limit, |e| e.id);
        Ok(AuditPage { items, next_cursor })
    }

    pub async fn stats(&self) -> Result<Stats, AppError> {
        let now = self.clock.now();
        let today = now.replace_time(Time::MIDNIGHT);
        let first_day = today - time::Duration::days(i64::from(CHART_DAYS - 1));
        let since = Since {
            week_ago: now - time::Duration::days(7),
            today,
            month: calendar_month(now).0,
            chart: first_day,
        };
        let counts = self.store.admin_counts(&since).await?;
        let mut paying: Vec<(Plan, u64)> = PLANS
            .iter()
            .filter(|info| info.plan.is_paid())
            .map(|info| (info.plan, 0))
            .collect();
        for (plan, status, n) in &counts.stripe_plans {
            if !keeps_paid_plan(status) {
                continue;
            }
            if let Some(slot) = paying.iter_mut().find(|(p, _)| p.as_str() == plan) {
                slot.1 += count(*n);
            }
        }
        let per_day: Vec<(Date, u64)> = counts
            .per_day
            .iter()
            .map(|&(day, n)| (day, count(n)))
            .collect();
        Ok(Stats {
            accounts_total: count(counts.accounts),
            accounts_new_7_days: count(counts.accounts_new),
            accounts_disabled: count(counts.accounts_disabled),
            generations_today: count(counts.generations_today),
            generations_month: count(counts.generations_month),
            by_engine: counts
                .by_engine
                .into_iter()
                .map(|(engine, n)| (engine, count(n)))
                .collect(),
            failures_given_back: count(counts.given_back_month),
            mrr_cents: monthly_revenue(&paying),
            currency: Plan::Free.info().currency,
            paying,
            per_day: daily_series(today.date(), CHART_DAYS, &per_day),
        })
    }
}
