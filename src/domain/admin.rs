//! The administration rules: what a change asked of an account becomes (the edits, each an audit
//! row with its old and new value), what is refused, when an account counts as seen, and the
//! monthly revenue of the paying accounts. No SQL: the store applies the edits decided here.

use time::{Date, OffsetDateTime};

use super::account::UserId;
use super::plan::Plan;

/// The largest custom allowance an administrator may set; more is "unlimited" (`null`).
pub const MAX_GENERATIONS_LIMIT: u32 = 1_000_000;

/// `last_seen_at` is rewritten at most this often per account, so that being seen costs a
/// write an hour, not one per request.
pub const SEEN_EVERY: time::Duration = time::Duration::HOUR;

/// Whether a request at `now` should record the account as seen.
pub fn needs_seen_update(last_seen: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    last_seen.is_none_or(|seen| now - seen >= SEEN_EVERY)
}

/// Who made a change, as the audit log records it.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `None`: the command line on the server.
    pub id: Option<UserId>,
    pub email: String,
}

impl Actor {
    /// The operator at the server's command line.
    pub fn command_line() -> Self {
        Actor {
            id: None,
            email: "command line".to_owned(),
        }
    }
}

/// What an administrator asked to change; absent fields stay as they are.
#[derive(Debug, Default, Clone)]
pub struct Change {
    pub plan: Option<Plan>,
    /// `Some(None)`: unlimited.
    pub generations_limit: Option<Option<u32>>,
    pub disabled: Option<bool>,
    /// Change the plan even though a Stripe subscription manages it.
    pub force: bool,
}

impl Change {
    /// Refuses an allowance outside `0..=MAX_GENERATIONS_LIMIT`.
    pub fn validate(&self) -> Result<(), &'static str> {
        match self.generations_limit {
            Some(Some(limit)) if limit > MAX_GENERATIONS_LIMIT => {
                Err("generations_limit must be at most 1000000, or null for unlimited")
            }
            _ => Ok(()),
        }
    }
}

/// An account as the rules need to see it, read under the change's lock.
#[derive(Debug, Clone)]
pub struct Facts {
    pub plan: Plan,
    pub generations_limit: Option<u32>,
    pub generations_used: u32,
    pub disabled: bool,
    pub admin: bool,
    /// A Stripe subscription that still pays for a plan: Stripe's next event would overwrite a
    /// plan set by hand.
    pub stripe_managed: bool,
}

/// One change made, as it is applied and audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Plan { from: Plan, to: Plan },
    Limit { from: Option<u32>, to: Option<u32> },
    Disabled { from: bool, to: bool },
    UsageReset { from: u32 },
    Admin { from: bool, to: bool },
    Deleted { plan: Plan },
}

impl Edit {
    /// The audit log's name for it.
    pub fn action(&self) -> &'static str {
        match self {
            Edit::Plan { .. } => "plan",
            Edit::Limit { .. } => "generations_limit",
            Edit::Disabled { to: true, .. } => "disable",
            Edit::Disabled { to: false, .. } => "enable",
            Edit::UsageReset { .. } => "reset_usage",
            Edit::Admin { to: true, .. } => "grant_admin",
            Edit::Admin { to: false, .. } => "revoke_admin",
            Edit::Deleted { .. } => "delete",
        }
    }

    /// The old and the new value as the audit log shows them.
    pub fn values(&self) -> (Option<String>, Option<String>) {
        let limit = |l: &Option<u32>| l.map_or("unlimited".to_owned(), |n| n.to_string());
        match self {
            Edit::Plan { from, to } => (Some(from.to_string()), Some(to.to_string())),
            Edit::Limit { from, to } => (Some(limit(from)), Some(limit(to))),
            Edit::Disabled { from, to } | Edit::Admin { from, to } => {
                (Some(from.to_string()), Some(to.to_string()))
            }
            Edit::UsageReset { from } => (Some(from.to_string()), Some("0".to_owned())),
            Edit::Deleted { plan } => (Some(plan.to_string()), None),
        }
    }
}

/// Why a change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An administrator disabling or deleting their own account would lock themselves out.
    OwnAccount,
    /// The plan is Stripe's to set, unless the change is forced.
    StripeManaged,
}

/// The edits `change` makes to an account in the state `facts`, in order; values that would not
/// change make no edit (and no audit row). A new plan brings its own allowance unless the change
/// names one.
pub fn decide(facts: &Facts, change: &Change, own_account: bool) -> Result<Vec<Edit>, Refusal> {
    let mut edits = Vec::new();
    if let Some(plan) = change.plan.filter(|&p| p != facts.plan) {
        if facts.stripe_managed && !change.force {
            return Err(Refusal::StripeManaged);
        }
        edits.push(Edit::Plan {
            from: facts.plan,
            to: plan,
        });
    }
    let limit = match (change.generations_limit, &edits[..]) {
        (Some(limit), _) => Some(limit),
        (None, [Edit::Plan { to, .. }]) => Some(to.monthly_limit()),
        (None, _) => None,
    };
    if let Some(limit) = limit.filter(|&l| l != facts.generations_limit) {
        edits.push(Edit::Limit {
            from: facts.generations_limit,
            to: limit,
        });
    }
    if let Some(disabled) = change.disabled.filter(|&d| d != facts.disabled) {
        if disabled && own_account {
            return Err(Refusal::OwnAccount);
        }
        edits.push(Edit::Disabled {
            from: facts.disabled,
            to: disabled,
        });
    }
    Ok(edits)
}

/// Monthly recurring revenue in minor units: each paying account at its plan's price.
pub fn monthly_revenue(paying: &[(Plan, u64)]) -> u64 {
    paying
        .iter()
        .map(|&(plan, count)| u64::from(plan.info().price_cents) * count)
        .sum()
}

/// `days` consecutive days ending with `today`, each with its count from `counts` (days
/// without a row count 0): the chart's series.
pub fn daily_series(today: Date, days: u16, counts: &[(Date, u64)]) -> Vec<(Date, u64)> {
    (0..days)
        .rev()
        .map(|back| {
            let day = today - time::Duration::days(i64::from(back));
            let count = counts
                .iter()
                .find(|(d, _)| *d == day)
                .map_or(0, |&(_, n)| n);
            (day, count)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            plan: Plan::Free,
            generations_limit: Some(5),
            generations_used: 2,
            disabled: false,
            admin: false,
            stripe_managed: false,
        }
    }

    #[test]
    fn a_new_plan_brings_its_allowance_unless_one_is_named() {
        let change = Change {
            plan: Some(Plan::Pro),
            ..Change::default()
        };
        assert_eq!(
            decide(&facts(), &change, false),
            Ok(vec![
                Edit::Plan {
                    from: Plan::Free,
                    to: Plan::Pro
                },
                Edit::Limit {
                    from: Some(5),
                    to: None
                }
            ])
        );
        let custom = Change {
            plan: Some(Plan::Basic),
            generations_limit: Some(Some(7)),
            ..Change::default()
        };
        assert_eq!(
            decide(&facts(), &custom, false).expect("allowed")[1],
            Edit::Limit {
                from: Some(5),
                to: Some(7)
            }
        );
    }

    #[test]
    fn unchanged_values_make_no_edit() {
        let change = Change {
            plan: Some(Plan::Free),
            generations_limit: Some(Some(5)),
            disabled: Some(false),
            force: false,
        };
        assert_eq!(decide(&facts(), &change, true), Ok(vec![]));
    }

    #[test]
    fn a_stripe_managed_plan_changes_only_when_forced() {
        let managed = Facts {
            stripe_managed: true,
            ..facts()
        };
        let mut change = Change {
            plan: Some(Plan::Basic),
            ..Change::default()
        };
        assert_eq!(
            decide(&managed, &change, false),
            Err(Refusal::StripeManaged)
        );
        change.force = true;
        assert_eq!(decide(&managed, &change, false).expect("forced").len(), 2);
        // The allowance alone is not Stripe's.
        let limit = Change {
            generations_limit: Some(Some(9)),
            ..Change::default()
        };
        assert!(decide(&managed, &limit, false).is_ok());
    }

    #[test]
    fn nobody_disables_their_own_account() {
        let change = Change {
            disabled: Some(true),
            ..Change::default()
        };
        assert_eq!(decide(&facts(), &change, true), Err(Refusal::OwnAccount));
        assert_eq!(
            decide(&facts(), &change, false).expect("allowed")[0].action(),
            "disable"
        );
    }

    #[test]
    fn an_allowance_is_bounded() {
        let change = |n| Change {
            generations_limit: Some(Some(n)),
            ..Change::default()
        };
        assert!(change(MAX_GENERATIONS_LIMIT).validate().is_ok());
        assert!(change(MAX_GENERATIONS_LIMIT + 1).validate().is_err());
    }

    #[test]
    fn an_account_is_seen_again_after_an_hour() {
        let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(1);
        assert!(needs_seen_update(None, now));
        assert!(!needs_seen_update(
            Some(now - time::Duration::minutes(59)),
            now
        ));
        assert!(needs_seen_update(Some(now - time::Duration::HOUR), now));
    }

    #[test]
    fn revenue_is_each_paying_account_at_its_price() {
        assert_eq!(monthly_revenue(&[(Plan::Basic, 2), (Plan::Pro, 1)]), 3997);
        assert_eq!(monthly_revenue(&[]), 0);
    }

    #[test]
    fn the_series_has_every_day_oldest_first() {
        let today = time::macros::date!(2026 - 12 - 01);
        let yesterday = time::macros::date!(2026 - 11 - 30);
        let series = daily_series(today, 30, &[(today, 3), (yesterday, 1)]);
        assert_eq!(series.len(), 30);
        assert_eq!(series[0], (time::macros::date!(2026 - 11 - 02), 0));
        assert_eq!(series[28], (yesterday, 1));
        assert_eq!(series[29], (today, 3));
    }

    #[test]
    fn edits_are_audited_with_old_and_new_values() {
        let edit = Edit::Limit {
            from: None,
            to: Some(3),
        };
        assert_eq!(edit.action(), "generations_limit");
        assert_eq!(edit.values(), (Some("unlimited".into()), Some("3".into())));
        assert_eq!(
            Edit::UsageReset { from: 4 }.values().1.as_deref(),
            Some("0")
        );
    }
}
