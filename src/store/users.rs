//! Accounts and their subscription row.

use std::fmt;

use time::OffsetDateTime;

use super::mail::{NewToken, Outgoing, insert_outbox, insert_token};
use super::{Store, with_pool};
use crate::domain::account::{Email, Name, UserId};
use crate::domain::plan::Plan;
use crate::domain::usage;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub tokens_valid_after: OffsetDateTime,
    /// When the owner opened a verification link; `None`: not verified.
    pub email_verified_at: Option<OffsetDateTime>,
    /// Marked from the command line only (`fursona admin grant-admin`).
    pub admin: bool,
    /// Disabled by an administrator: refused at sign-in and on every request.
    pub disabled: bool,
    /// Recorded at most hourly (`domain::admin::SEEN_EVERY`).
    pub last_seen_at: Option<OffsetDateTime>,
}

/// A user with the password hash, for signing in only. `Debug` leaves the hash out.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    #[sqlx(flatten)]
    pub user: User,
    pub password_hash: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Subscription {
    #[sqlx(try_from = "String")]
    pub plan: Plan,
    pub status: String,
    pub generations_used: i32,
    pub generations_limit: Option<i32>,
    pub current_period_start: OffsetDateTime,
    pub current_period_end: OffsetDateTime,
    pub cancel_at_period_end: bool,
}

/// An account: the user and its subscription row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Account {
    #[sqlx(flatten)]
    pub user: User,
    #[sqlx(flatten)]
    pub subscription: Subscription,
}

const SUBSCRIPTION_COLUMNS: &str = "plan, status, generations_used, generations_limit, \
     current_period_start, current_period_end, cancel_at_period_end";

const USER_COLUMNS: &str = "id, email, name, created_at, tokens_valid_after, email_verified_at, \
     admin, disabled, last_seen_at";

impl Store {
    /// Creates the account and its free subscription together, or neither. A taken email is a
    /// unique violation for the caller to translate. `welcome`: the mail (and its verification
    /// token) written in the same transaction.
    pub async fn create_user(
        &self,
        email: &Email,
        password_hash: &str,
        name: &Name,
        now: OffsetDateTime,
        welcome: Option<(&NewToken, &Outgoing)>,
    ) -> Result<User, sqlx::Error> {
        let (period_start, period_end) = usage::calendar_month(now);
        let user = User {
            id: UserId::new(),
            email: email.as_str().to_owned(),
            name: name.as_str().to_owned(),
            created_at: now,
            tokens_valid_after: now,
            email_verified_at: None,
            admin: false,
            disabled: false,
            last_seen_at: Some(now),
        };
        let free = Plan::Free;
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO users (id, email, password_hash, name, created_at, tokens_valid_after, \
                 last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(user.id)
            .bind(&user.email)
            .bind(password_hash)
            .bind(&user.name)
            .bind(user.created_at)
            .bind(user.tokens_valid_after)
            .bind(user.last_seen_at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO subscriptions (user_id, plan, status, generations_used, \
                 generations_limit, current_period_start, current_period_end, updated_at) \
                 VALUES (?, ?, 'active', 0, ?, ?, ?, ?)",
            )
            .bind(user.id)
            .bind(free.as_str())
            .bind(free.monthly_limit().map(|n| n as i32))
            .bind(period_start)
            .bind(period_end)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if let Some((token, outgoing)) = welcome {
                insert_token!(tx, user.id, token, now).await?;
                insert_outbox!(&mut *tx, outgoing, now, None::<&str>)?;
            }
            tx.commit().await
        })?;
        Ok(user)
    }

    pub async fn find_user(&self, id: UserId) -> Result<Option<User>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?");
        with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// The user and its subscription in one query (no column name is in both tables).
    pub async fn find_account(&self, id: UserId) -> Result<Option<Account>, sqlx::Error> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, {SUBSCRIPTION_COLUMNS} FROM users \
             JOIN subscriptions ON subscriptions.user_id = users.id WHERE users.id = ?"
        );
        with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    pub async fn find_credentials(
        &self,
        email: &Email,
    ) -> Result<Option<Credentials>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = ?");
        with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(email.as_str())
            .fetch_optional(pool)
            .await)
    }

    /// Every token issued before `after` stops working.
    pub async fn revoke_tokens(
        &self,
        id: UserId,
        after: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE users SET tokens_valid_after = ? WHERE id = ? AND tokens_valid_after < ?"
        )
        .bind(after)
        .bind(id)
        .bind(after)
        .execute(pool)
        .await
        .map(drop))
    }

    /// Records the account as seen at `now`, unless another request did within the hour (the
    /// condition keeps concurrent requests and instances from writing twice).
    pub async fn touch_last_seen(
        &self,
        id: UserId,
        now: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        let stale = now - crate::domain::admin::SEEN_EVERY;
        with_pool!(self, |pool| sqlx::query(
            "UPDATE users SET last_seen_at = ? \
             WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at <= ?)"
        )
        .bind(now)
        .bind(id)
        .bind(stale)
        .execute(pool)
        .await
        .map(drop))
    }
}

impl Store {
    /// A new password hash; every token and page session from before `revoke_after` ends, and so
    /// does every unused password reset link.
    pub async fn change_password(
        &self,
        id: UserId,
        password_hash: &str,
        revoke_after: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET password_hash = ?, tokens_valid_after = ? WHERE id = ?")
                .bind(password_hash)
                .bind(revoke_after)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE one_time_tokens SET used_at = ? \
                 WHERE user_id = ? AND purpose = 'reset' AND used_at IS NULL",
            )
            .bind(revoke_after)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })
    }

    /// Deletes the account; its subscription, fursonas (with their photos), reservations and
    /// payment history go with it (foreign keys cascade).
    pub async fn delete_user(&self, id: UserId) -> Result<(), sqlx::Error> {
        with_pool!(self, |pool| sqlx::query("DELETE FROM users WHERE id = ?")
            .bind(id)
            .execute(pool)
            .await
            .map(drop))
    }
}
