//! Billing state: Stripe ids, payment history, and Stripe events applied exactly once. An event
//! is recorded by id in the same transaction as its effect, so a repeated or concurrent delivery
//! changes nothing; effects carry the event's creation time and never overwrite newer state.
//! What an event does was decided by the billing rules ([`Effect`]); this only applies it.

use time::OffsetDateTime;
use uuid::Uuid;

use super::mail::{Outgoing, insert_outbox};
use super::{Store, with_pool};
use crate::domain::account::{Email, UserId};
use crate::domain::billing::{Effect, SubscriptionState};
use crate::domain::mail::{billing_notice, billing_notice_customer};
use crate::domain::plan::Plan;
use crate::domain::usage::calendar_month;

#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    Now,
    /// The event id was recorded before: nothing changed.
    AlreadyApplied,
}

/// A user's subscription as the account page and the admin command show it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Billing {
    #[sqlx(try_from = "String")]
    pub plan: Plan,
    pub status: String,
    pub generations_used: i32,
    pub generations_limit: Option<i32>,
    pub current_period_end: OffsetDateTime,
    pub cancel_at_period_end: bool,
    pub stripe_customer_id: Option<String>,
    pub stripe_subscription_id: Option<String>,
    pub past_due_since: Option<OffsetDateTime>,
}

/// The account a billing mail goes to.
#[derive(sqlx::FromRow)]
struct NoticeAccount {
    email: String,
    name: String,
    #[sqlx(try_from = "String")]
    plan: Plan,
    current_period_end: OffsetDateTime,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Payment {
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub stripe_invoice_id: Option<String>,
    pub created_at: OffsetDateTime,
}

const BILLING_COLUMNS: &str = "plan, status, generations_used, generations_limit, \
     current_period_end, cancel_at_period_end, stripe_customer_id, stripe_subscription_id, \
     past_due_since";

/// The newer-state rule: an event applies when it is newer than the last one applied, or as new
/// and not after the subscription ended (an end is final for its second).
const NEWER: &str = "(stripe_updated_at IS NULL OR stripe_updated_at < ? \
     OR (stripe_updated_at = ? AND status <> 'canceled'))";

/// One payment row per invoice and outcome; a replay of the same outcome (even under another
/// event id) writes nothing. A macro because the query's type differs per backend.
macro_rules! record_payment {
    ($tx:expr, $customer:expr, $invoice:expr, $amount:expr, $currency:expr, $status:expr, $created:expr) => {
        sqlx::query(
            "INSERT INTO payment_history \
             (id, user_id, amount, currency, status, stripe_invoice_id, created_at) \
             SELECT ?, user_id, ?, ?, ?, ?, ? FROM subscriptions WHERE stripe_customer_id = ? \
             AND NOT EXISTS (SELECT 1 FROM payment_history \
                             WHERE stripe_invoice_id = ? AND status = ?)",
        )
        .bind(Uuid::now_v7())
        .bind($amount)
        .bind($currency)
        .bind($status)
        .bind($invoice)
        .bind($created)
        .bind($customer)
        .bind($invoice)
        .bind($status)
        .execute($tx)
        .await
    };
}

impl Store {
    pub async fn billing(&self, user: UserId) -> Result<Billing, sqlx::Error> {
        let sql = format!("SELECT {BILLING_COLUMNS} FROM subscriptions WHERE user_id = ?");
        with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(user)
            .fetch_one(pool)
            .await)
    }

    /// Links a Stripe customer to the user unless one is linked already; returns the linked id.
    pub async fn link_customer(&self, user: UserId, customer: &str) -> Result<String, sqlx::Error> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE subscriptions SET stripe_customer_id = ? \
                 WHERE user_id = ? AND stripe_customer_id IS NULL",
            )
            .bind(customer)
            .bind(user)
            .execute(pool)
            .await?;
            sqlx::query_scalar("SELECT stripe_customer_id FROM subscriptions WHERE user_id = ?")
                .bind(user)
                .fetch_one(pool)
                .await
        })
    }

    pub async fn payments(&self, user: UserId, limit: u32) -> Result<Vec<Payment>, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query_as(
            "SELECT amount, currency, status, stripe_invoice_id, created_at FROM payment_history \
             WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?"
        )
        .bind(user)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)
    }

    /// Sets a plan by hand (the admin command): active, its allowance, usage kept.
    pub async fn set_plan(&self, email: &Email, plan: Plan) -> Result<bool, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE subscriptions SET plan = ?, generations_limit = ?, status = 'active', \
             past_due_since = NULL WHERE user_id = (SELECT id FROM users WHERE email = ?)"
        )
        .bind(plan.as_str())
        .bind(plan.monthly_limit().map(i64::from))
        .bind(email.as_str())
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1))
    }

    /// Records the event and applies its effect in one transaction, or does nothing if the event
    /// was applied before. Any failure rolls both back, so Stripe's retry applies it later.
    pub async fn apply_stripe_event(
        &self,
        event_id: &str,
        event_type: &str,
        created: OffsetDateTime,
        effect: &Effect,
        now: OffsetDateTime,
        notify: bool,
    ) -> Result<Applied, sqlx::Error> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // First, so a concurrent duplicate waits on this row and then fails, changing nothing.
            let recorded = sqlx::query(
                "INSERT INTO stripe_events (id, event_type, processed_at) VALUES (?, ?, ?)",
            )
            .bind(event_id)
            .bind(event_type)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match recorded {
                Ok(_) => {}
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Ok(Applied::AlreadyApplied);
                }
                Err(e) => return Err(e),
            }
            // Who is told, read before the effect changes the plan (an ended plan is named).
            let account: Option<NoticeAccount> =
                match (notify, billing_notice_customer(effect)) {
                    (true, Some(customer)) => sqlx::query_as(
                        "SELECT u.email, u.name, s.plan, s.current_period_end FROM subscriptions s \
                         JOIN users u ON u.id = s.user_id WHERE s.stripe_customer_id = ?",
                    )
                    .bind(customer)
                    .fetch_optional(&mut *tx)
                    .await?,
                    _ => None,
                };
            // Whether the effect changed anything a mail tells of: a replay under another event
            // id, or an older event, writes no second mail.
            let mut changed = false;
            match effect {
                Effect::LinkCheckout {
                    user,
                    customer,
                    subscription,
                } => {
                    sqlx::query(
                        "UPDATE subscriptions SET stripe_customer_id = ? \
                         WHERE user_id = ? AND stripe_customer_id IS NULL",
                    )
                    .bind(customer)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                    if let Some(subscription) = subscription {
                        let sql = format!(
                            "UPDATE subscriptions SET stripe_subscription_id = ? WHERE user_id = ? \
                             AND stripe_subscription_id IS NULL AND {NEWER}"
                        );
                        sqlx::query(&sql)
                            .bind(subscription)
                            .bind(user)
                            .bind(created)
                            .bind(created)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                Effect::Subscription(SubscriptionState {
                    customer,
                    subscription,
                    plan,
                    status,
                    period_start,
                    period_end,
                    cancel_at_period_end,
                    past_due,
                }) => {
                    let sql = format!(
                        "UPDATE subscriptions SET plan = COALESCE(?, plan), \
                         generations_limit = CASE WHEN ? THEN ? ELSE generations_limit END, \
                         status = ?, current_period_start = ?, current_period_end = ?, \
                         cancel_at_period_end = ?, stripe_subscription_id = ?, \
                         past_due_since = CASE WHEN ? \
                           THEN COALESCE(past_due_since, ?) ELSE NULL END, \
                         stripe_updated_at = ?, updated_at = ? \
                         WHERE stripe_customer_id = ? AND {NEWER}"
                    );
                    sqlx::query(&sql)
                        .bind(plan.map(Plan::as_str))
                        .bind(plan.is_some())
                        .bind(plan.and_then(Plan::monthly_limit).map(i64::from))
                        .bind(status)
                        .bind(period_start)
                        .bind(period_end)
                        .bind(cancel_at_period_end)
                        .bind(subscription.as_deref())
                        .bind(past_due)
                        .bind(created)
                        .bind(created)
                        .bind(now)
                        .bind(customer)
                        .bind(created)
                        .bind(created)
                        .execute(&mut *tx)
                        .await?;
                }
                Effect::SubscriptionEnded {
                    customer,
                    subscription,
                } => {
                    let (start, end) = calendar_month(now);
                    const ENDED_SQL: &str = "UPDATE subscriptions SET plan = 'free', generations_limit = ?, \
                         status = 'canceled', current_period_start = ?, current_period_end = ?, \
                         cancel_at_period_end = FALSE, stripe_subscription_id = NULL, \
                         past_due_since = NULL, stripe_updated_at = ?, updated_at = ? \
                         WHERE stripe_customer_id = ? \
                         AND (stripe_subscription_id IS NULL OR stripe_subscription_id = ?) \
                         AND (stripe_updated_at IS NULL OR stripe_updated_at <= ?)";
                    changed = sqlx::query(ENDED_SQL)
                        .bind(Plan::Free.monthly_limit().map(i64::from))
                        .bind(start)
                        .bind(end)
                        .bind(created)
                        .bind(now)
                        .bind(customer)
                        .bind(subscription)
                        .bind(created)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                        == 1;
                }
                Effect::InvoicePaid {
                    customer,
                    invoice,
                    amount,
                    currency,
                    period_start,
                } => {
                    changed = record_payment!(
                        &mut *tx, customer, invoice, *amount, currency, "paid", created
                    )?
                    .rows_affected()
                        == 1;
                    sqlx::query(
                        "UPDATE subscriptions SET past_due_since = NULL, \
                         status = CASE WHEN status = 'past_due' THEN 'active' ELSE status END \
                         WHERE stripe_customer_id = ?",
                    )
                    .bind(customer)
                    .execute(&mut *tx)
                    .await?;
                    if let Some(period_start) = period_start {
                        sqlx::query(
                            "UPDATE subscriptions SET generations_used = 0, \
                             usage_reset_period_start = ? WHERE stripe_customer_id = ? \
                             AND (usage_reset_period_start IS NULL OR usage_reset_period_start < ?)",
                        )
                        .bind(period_start)
                        .bind(customer)
                        .bind(period_start)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                Effect::PaymentFailed {
                    customer,
                    invoice,
                    amount,
                    currency,
                } => {
                    changed = record_payment!(
                        &mut *tx, customer, invoice, *amount, currency, "failed", created
                    )?
                    .rows_affected()
                        == 1;
                    // A failure older than the state it would change changes nothing: not
                    // once the subscription has said otherwise since, nor once this invoice (or
                    // a later one) was paid.
                    sqlx::query(
                        "UPDATE subscriptions SET status = 'past_due', \
                         past_due_since = COALESCE(past_due_since, ?) \
                         WHERE stripe_customer_id = ? AND plan <> 'free' \
                         AND (stripe_updated_at IS NULL OR stripe_updated_at < ?) \
                         AND NOT EXISTS (SELECT 1 FROM payment_history \
                           WHERE payment_history.user_id = subscriptions.user_id \
                           AND payment_history.status = 'paid' \
                           AND (payment_history.stripe_invoice_id = ? \
                                OR payment_history.created_at >= ?))",
                    )
                    .bind(created)
                    .bind(customer)
                    .bind(created)
                    .bind(invoice)
                    .bind(created)
                    .execute(&mut *tx)
                    .await?;
                }
                Effect::None => {}
            }
            if let Some(account) = account.filter(|_| changed) {
                let plan = account.plan.info().name;
                let period_end = Some(account.current_period_end);
                if let Some(mail) = billing_notice(effect, &account.name, plan, period_end) {
                    let outgoing = Outgoing {
                        recipient: account.email,
                        mail,
                    };
                    insert_outbox!(&mut *tx, outgoing, now, Some(event_id))?;
                }
            }
            tx.commit().await?;
            Ok(Applied::Now)
        })
    }
}
