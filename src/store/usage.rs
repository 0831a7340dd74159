//! Usage counting that holds under concurrency: a generation is reserved by one conditional
//! UPDATE judged by rows affected, recorded as pending, and later either completed (the result is
//! stored) or given back. Each step is one transaction.

use time::OffsetDateTime;
use uuid::Uuid;

use super::fursonas::{NewFursona, insert_fursona};
use super::{Store, with_pool};
use crate::domain::account::UserId;
use crate::domain::plan::Plan;
use crate::domain::usage::{Moment, Usage, calendar_month};

/// One generation charged to a user and not yet settled.
#[derive(Clone, Debug)]
pub struct Reservation {
    pub id: Uuid,
    pub user_id: UserId,
    pub period_start: OffsetDateTime,
    /// The plan at reservation time, which decides the model and the queue priority.
    pub plan: Plan,
}

pub enum Reserved {
    Yes(Reservation),
    /// At the plan's limit; nothing was charged.
    LimitReached(Usage),
}

#[derive(sqlx::FromRow)]
struct UsageRow {
    #[sqlx(try_from = "String")]
    plan: Plan,
    generations_used: i32,
    generations_limit: Option<i32>,
    current_period_start: OffsetDateTime,
    current_period_end: OffsetDateTime,
    past_due_since: Option<OffsetDateTime>,
}

impl UsageRow {
    fn usage(&self, at: Moment) -> Usage {
        let grace_over = self
            .past_due_since
            .is_some_and(|since| since <= at.past_due_cutoff);
        let limit = if grace_over {
            Plan::Free.monthly_limit()
        } else {
            self.generations_limit.and_then(|l| u32::try_from(l).ok())
        };
        Usage {
            plan: self.plan,
            used: u32::try_from(self.generations_used).unwrap_or(0),
            limit,
            period_end: self.current_period_end,
            past_due: self.past_due_since.is_some(),
        }
    }
}

const USAGE_SQL: &str = "SELECT plan, generations_used, generations_limit, current_period_start, \
     current_period_end, past_due_since FROM subscriptions WHERE user_id = ?";

/// Charges one generation when the allowance permits: the plan's, or the free one once a failed
/// payment has outlasted its grace period.
const CHARGE_SQL: &str = "UPDATE subscriptions SET generations_used = generations_used + 1, \
     updated_at = ? WHERE user_id = ? AND ( \
       ((past_due_since IS NULL OR past_due_since > ?) \
         AND (generations_limit IS NULL OR generations_used < generations_limit)) \
       OR (past_due_since <= ? AND generations_used < ?))";

/// Periods not managed by Stripe (the free plan, or a plan set by an administrator) roll forward
/// to the calendar month of `now` once they have ended; the first request of a month does it.
const ROLL_PERIOD_SQL: &str = "UPDATE subscriptions SET generations_used = 0, \
     current_period_start = ?, current_period_end = ?, updated_at = ? \
     WHERE user_id = ? AND current_period_end <= ? AND stripe_subscription_id IS NULL";

/// Runs [`ROLL_PERIOD_SQL`] for `user` at `now` on a connection of either backend.
macro_rules! roll_period {
    ($executor:expr, $user:expr, $now:expr) => {{
        let (start, end) = calendar_month($now);
        sqlx::query(ROLL_PERIOD_SQL)
            .bind(start)
            .bind(end)
            .bind($now)
            .bind($user)
            .bind($now)
            .execute($executor)
            .await
    }};
}

/// Deletes a pending reservation; the number of rows deleted (0 or 1) says whether this call is
/// the one that settles it.
macro_rules! settle {
    ($executor:expr, $reservation:expr) => {
        sqlx::query("DELETE FROM generation_reservations WHERE id = ?")
            .bind($reservation.id)
            .execute($executor)
            .await
            .map(|done| done.rows_affected())
    };
}

/// Gives one generation back, only to the period it was charged to.
const GIVE_BACK_SQL: &str = "UPDATE subscriptions SET generations_used = generations_used - 1 \
     WHERE user_id = ? AND current_period_start = ? AND generations_used > 0";

impl Store {
    /// The user's usage, with an ended period rolled forward first. Reading needs no write in
    /// the usual case, so pages can show it on every view.
    pub async fn usage(&self, user: UserId, at: Moment) -> Result<Usage, sqlx::Error> {
        let now = at.now;
        let row: UsageRow = with_pool!(self, |pool| sqlx::query_as(USAGE_SQL)
            .bind(user)
            .fetch_one(pool)
            .await)?;
        if row.current_period_end > now {
            return Ok(row.usage(at));
        }
        let row: UsageRow = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            roll_period!(&mut *tx, user, now)?;
            let row = sqlx::query_as(USAGE_SQL)
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(row)
        })?;
        Ok(row.usage(at))
    }

    /// Charges one generation if the plan allows it, and records it as pending.
    pub async fn reserve_generation(
        &self,
        user: UserId,
        at: Moment,
    ) -> Result<Reserved, sqlx::Error> {
        let now = at.now;
        let free_limit = Plan::Free.monthly_limit().map(i64::from);
        let id = Uuid::now_v7();
        with_pool!(self, |pool| {
            // Writes come first in each transaction: SQLite then takes its write lock at once
            // and waits for it, instead of failing to upgrade a read lock.
            let mut tx = pool.begin().await?;
            roll_period!(&mut *tx, user, now)?;
            let charged = sqlx::query(CHARGE_SQL)
                .bind(now)
                .bind(user)
                .bind(at.past_due_cutoff)
                .bind(at.past_due_cutoff)
                .bind(free_limit)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let row: UsageRow = sqlx::query_as(USAGE_SQL)
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
            if charged == 0 {
                tx.commit().await?;
                return Ok(Reserved::LimitReached(row.usage(at)));
            }
            sqlx::query(
                "INSERT INTO generation_reservations (id, user_id, period_start, created_at) \
                 VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(user)
            .bind(row.current_period_start)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Reserved::Yes(Reservation {
                id,
                user_id: user,
                period_start: row.current_period_start,
                plan: row.plan,
            }))
        })
    }

    /// Stores the result and settles the reservation, together. If the reservation was already
    /// given back as stale, the generation is charged again, so usage always matches results.
    pub async fn complete_generation(
        &self,
        reservation: &Reservation,
        fursona: &NewFursona<'_>,
        at: Moment,
    ) -> Result<Usage, sqlx::Error> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let settled = settle!(&mut *tx, reservation)?;
            if settled == 0 {
                sqlx::query(
                    "UPDATE subscriptions SET generations_used = generations_used + 1 \
                     WHERE user_id = ?",
                )
                .bind(reservation.user_id)
                .execute(&mut *tx)
                .await?;
            }
            insert_fursona!(fursona).execute(&mut *tx).await?;
            let row: UsageRow = sqlx::query_as(USAGE_SQL)
                .bind(reservation.user_id)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(row.usage(at))
        })
    }

    /// Gives the generation back, and records when for the statistics. Returns false when
    /// another process settled it already.
    pub async fn release_generation(
        &self,
        reservation: &Reservation,
        now: OffsetDateTime,
    ) -> Result<bool, sqlx::Error> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let settled = settle!(&mut *tx, reservation)?;
            if settled == 1 {
                sqlx::query(GIVE_BACK_SQL)
                    .bind(reservation.user_id)
                    .bind(reservation.period_start)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO generation_releases (released_at) VALUES (?)")
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(settled == 1)
        })
    }

    /// Reservations older than `before`: left behind by a process that died mid-generation.
    pub async fn stale_reservations(
        &self,
        before: OffsetDateTime,
    ) -> Result<Vec<Reservation>, sqlx::Error> {
        let rows: Vec<(Uuid, UserId, OffsetDateTime)> = with_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, user_id, period_start FROM generation_reservations WHERE created_at < ? \
             ORDER BY created_at LIMIT 500"
        )
        .bind(before)
        .fetch_all(pool)
        .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, user_id, period_start)| Reservation {
                id,
                user_id,
                period_start,
                // Only settled (given back) from here, so the plan plays no part.
                plan: Plan::Free,
            })
            .collect())
    }
}
