//! The billing rules: which subscription statuses keep a paid plan, and what a payment event
//! does to an account, decided here so that the store only applies the outcome.

use time::OffsetDateTime;

use super::account::UserId;
use super::plan::Plan;
use super::usage::calendar_month;

/// Stripe statuses under which the subscription still pays for its plan. Any other status
/// (canceled, unpaid, incomplete_expired, ...) means it has ended: the free plan applies.
pub fn keeps_paid_plan(status: &str) -> bool {
    matches!(status, "active" | "trialing" | "past_due")
}

/// What a verified payment event does to our data.
#[derive(Debug, PartialEq, Eq)]
pub enum Effect {
    /// Checkout finished: link the user to the customer and, unless newer state says the
    /// subscription already ended, to the subscription.
    LinkCheckout {
        user: UserId,
        customer: String,
        subscription: Option<String>,
    },
    /// The subscription's current state (created or updated), already decided.
    Subscription(SubscriptionState),
    /// The subscription ended: back to the free plan and its calendar-month periods.
    SubscriptionEnded {
        customer: String,
        subscription: String,
    },
    /// An invoice was paid: a payment row, and a new period's usage starts once.
    InvoicePaid {
        customer: String,
        invoice: String,
        amount: i64,
        currency: String,
        period_start: Option<OffsetDateTime>,
    },
    /// A payment failed: a payment row and the plan marked past due.
    PaymentFailed {
        customer: String,
        invoice: String,
        amount: i64,
        currency: String,
    },
    /// An event we do not act on; recorded so it is not looked at again.
    None,
}

/// A subscription as the account should now reflect it.
#[derive(Debug, PartialEq, Eq)]
pub struct SubscriptionState {
    pub customer: String,
    /// `None` once it has ended: the account is no longer linked to it.
    pub subscription: Option<String>,
    /// `None`: keep the plan the account has (the price is not one of ours).
    pub plan: Option<Plan>,
    pub status: String,
    pub period_start: OffsetDateTime,
    pub period_end: OffsetDateTime,
    pub cancel_at_period_end: bool,
    /// A payment is overdue: the grace period starts (or goes on).
    pub past_due: bool,
}

/// Stripe's view of a subscription, before the rules apply.
pub struct SubscriptionUpdate {
    pub customer: String,
    pub subscription: String,
    /// The plan of the subscription's price, if it is one of ours.
    pub plan: Option<Plan>,
    pub status: String,
    pub period_start: OffsetDateTime,
    pub period_end: OffsetDateTime,
    pub cancel_at_period_end: bool,
}

impl SubscriptionUpdate {
    /// A live subscription keeps its price's plan and periods; an ended one means the free plan,
    /// counted by calendar months from `now`.
    pub fn decide(self, now: OffsetDateTime) -> SubscriptionState {
        let live = keeps_paid_plan(&self.status);
        let (period_start, period_end) = if live {
            (self.period_start, self.period_end)
        } else {
            calendar_month(now)
        };
        SubscriptionState {
            customer: self.customer,
            subscription: live.then_some(self.subscription),
            plan: if live { self.plan } else { Some(Plan::Free) },
            past_due: self.status == "past_due",
            status: self.status,
            period_start,
            period_end,
            cancel_at_period_end: self.cancel_at_period_end && live,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn update(status: &str, plan: Option<Plan>) -> SubscriptionUpdate {
        SubscriptionUpdate {
            customer: "cus_1".into(),
            subscription: "sub_1".into(),
            plan,
            status: status.into(),
            period_start: datetime!(2026-11-15 00:00 UTC),
            period_end: datetime!(2026-12-15 00:00 UTC),
            cancel_at_period_end: true,
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-27 12:00 UTC);

    #[test]
    fn live_statuses_keep_the_paid_plan_and_its_period() {
        for status in ["active", "trialing", "past_due"] {
            let state = update(status, Some(Plan::Pro)).decide(NOW);
            assert_eq!(state.plan, Some(Plan::Pro), "{status}");
            assert_eq!(state.subscription.as_deref(), Some("sub_1"));
            assert_eq!(state.period_start, datetime!(2026-11-15 00:00 UTC));
            assert!(state.cancel_at_period_end);
            assert_eq!(state.past_due, status == "past_due");
        }
    }

    #[test]
    fn ended_statuses_mean_the_free_plan_by_calendar_month() {
        for status in ["canceled", "unpaid", "incomplete_expired"] {
            let state = update(status, Some(Plan::Pro)).decide(NOW);
            assert_eq!(state.plan, Some(Plan::Free), "{status}");
            assert_eq!(state.subscription, None);
            assert_eq!((state.period_start, state.period_end), calendar_month(NOW));
            assert!(!state.cancel_at_period_end && !state.past_due);
        }
    }

    #[test]
    fn an_unknown_price_leaves_the_plan_alone_while_live() {
        assert_eq!(update("active", None).decide(NOW).plan, None);
    }
}
