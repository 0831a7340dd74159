//! Mail state: the outbox and the one-time tokens of mailed links. A mail is written in the same
//! transaction as its cause (the macros below run inside a caller's transaction); the outbox task
//! claims due rows one by one with a conditional UPDATE judged by rows affected, so several
//! instances never send one twice. Tokens are kept as their SHA-256 only.

use time::OffsetDateTime;
use uuid::Uuid;

use super::{Store, with_pool};
use crate::domain::account::UserId;
use crate::domain::mail::{Mail, Purpose};

/// A mail for the outbox: to whom, and what.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub recipient: String,
    pub mail: Mail,
}

/// A one-time token to store with the mail that carries it.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub purpose: Purpose,
    pub hash: String,
    pub expires_at: OffsetDateTime,
    /// For an address change: the address the account moves to.
    pub new_email: Option<String>,
}

/// A mail claimed for sending.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Queued {
    pub id: Uuid,
    pub recipient: String,
    pub template: String,
    pub data: String,
    pub attempts: i32,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: Uuid,
    purpose: String,
    user_id: UserId,
    new_email: Option<String>,
}

/// What opening a verification link did.
#[derive(Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// The account's address is verified.
    Verified(UserId),
    /// The account moved to the new address (verified by this link); the old one is told.
    EmailChanged(UserId),
    /// Another account took the new address in the meantime.
    AddressTaken,
}

/// Inserts an outbox row in the caller's transaction; a macro because the query's type differs
/// per backend.
macro_rules! insert_outbox {
    ($tx:expr, $outgoing:expr, $now:expr, $event:expr) => {
        sqlx::query(
            "INSERT INTO outbox (id, recipient, template, data, attempts, created_at, \
             next_attempt_at, stripe_event_id) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(&$outgoing.recipient)
        .bind($outgoing.mail.template())
        .bind($outgoing.mail.data().to_string())
        .bind($now)
        .bind($now)
        .bind($event)
        .execute($tx)
        .await
    };
}
pub(crate) use insert_outbox;

/// Stores a token in the caller's transaction, voiding the user's earlier unused ones of the same
/// purpose: only the newest link works.
macro_rules! insert_token {
    ($tx:expr, $user:expr, $token:expr, $now:expr) => {
        async {
            sqlx::query(
                "UPDATE one_time_tokens SET used_at = ? \
                 WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
            )
            .bind($now)
            .bind($user)
            .bind($token.purpose.as_str())
            .execute(&mut *$tx)
            .await?;
            sqlx::query(
                "INSERT INTO one_time_tokens \
                 (id, purpose, user_id, token_hash, new_email, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(uuid::Uuid::now_v7())
            .bind($token.purpose.as_str())
            .bind($user)
            .bind(&$token.hash)
            .bind($token.new_email.as_deref())
            .bind($now)
            .bind($token.expires_at)
            .execute(&mut *$tx)
            .await
        }
    };
}
pub(crate) use insert_token;

/// Claims the unused, unexpired token with this hash and purpose in the caller's transaction:
/// `Some` for exactly one caller, however many race.
macro_rules! claim_token {
    ($tx:expr, $hash:expr, $purposes:expr, $now:expr) => {
        async {
            let row: Option<TokenRow> = sqlx::query_as(
                "SELECT id, purpose, user_id, new_email FROM one_time_tokens \
                 WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
            )
            .bind($hash)
            .bind($now)
            .fetch_optional(&mut *$tx)
            .await?;
            let Some(row) =
                row.filter(|r| Purpose::parse(&r.purpose).is_some_and(|p| $purposes.contains(&p)))
            else {
                return Ok::<_, sqlx::Error>(None);
            };
            let claimed = sqlx::query(
                "UPDATE one_time_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL",
            )
            .bind($now)
            .bind(row.id)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            Ok((claimed == 1).then_some(row))
        }
    };
}

impl Store {
    /// A mail on its own (a new verification link, say), with its token if it carries one.
    pub async fn queue_mail(
        &self,
        user: UserId,
        token: Option<&NewToken>,
        outgoing: &Outgoing,
        now: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if let Some(token) = token {
                insert_token!(tx, user, token, now).await?;
            }
            insert_outbox!(&mut *tx, outgoing, now, None::<&str>)?;
            tx.commit().await
        })
    }

    /// A token without a mail (an administrator passes the link on).
    pub async fn store_token(
        &self,
        user: UserId,
        token: &NewToken,
        now: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_token!(tx, user, token, now).await?;
            tx.commit().await
        })
    }

    /// When the user last asked for a token of this purpose, for the resend limit.
    pub async fn last_token_at(
        &self,
        user: UserId,
        purpose: Purpose,
    ) -> Result<Option<OffsetDateTime>, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT MAX(created_at) FROM one_time_tokens WHERE user_id = ? AND purpose = ?"
        )
        .bind(user)
        .bind(purpose.as_str())
        .fetch_one(pool)
        .await)
    }

    /// Whether a token would be accepted now (without using it), to refuse early.
    pub async fn token_is_live(
        &self,
        hash: &str,
        purpose: Purpose,
        now: OffsetDateTime,
    ) -> Result<bool, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM one_time_tokens WHERE token_hash = ? AND purpose = ? \
             AND used_at IS NULL AND expires_at > ?"
        )
        .bind(hash)
        .bind(purpose.as_str())
        .bind(now)
        .fetch_one(pool)
        .await
        .map(|n| n > 0))
    }

    /// Uses a reset token: the new password, every token and page session from before
    /// `revoke_after` ends, and every other reset link is void. `None`: the token is used,
    /// expired or unknown, and nothing changed.
    pub async fn reset_password(
        &self,
        hash: &str,
        password_hash: &str,
        revoke_after: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Option<UserId>, sqlx::Error> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let Some(row) = claim_token!(tx, hash, [Purpose::Reset], now).await? else {
                return Ok(None);
            };
            sqlx::query("UPDATE users SET password_hash = ?, tokens_valid_after = ? WHERE id = ?")
                .bind(password_hash)
                .bind(revoke_after)
                .bind(row.user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE one_time_tokens SET used_at = ? \
                 WHERE user_id = ? AND purpose = 'reset' AND used_at IS NULL",
            )
            .bind(now)
            .bind(row.user_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Some(row.user_id))
        })
    }

    /// Uses a verification or address change token. `None`: used, expired or unknown.
    pub async fn confirm_email(
        &self,
        hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Confirmed>, sqlx::Error> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let purposes = [Purpose::Verify, Purpose::EmailChange];
            let Some(row) = claim_token!(tx, hash, purposes, now).await? else {
                return Ok(None);
            };
            let confirmed = match (Purpose::parse(&row.purpose), row.new_email) {
                (Some(Purpose::EmailChange), Some(new_email)) => {
                    let (old_email, name): (String, String) =
                        sqlx::query_as("SELECT email, name FROM users WHERE id = ?")
                            .bind(row.user_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    let moved = sqlx::query(
                        "UPDATE users SET email = ?, email_verified_at = ? WHERE id = ?",
                    )
                    .bind(&new_email)
                    .bind(now)
                    .bind(row.user_id)
                    .execute(&mut *tx)
                    .await;
                    match moved {
                        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                            return Ok(Some(Confirmed::AddressTaken));
                        }
                        other => other?,
                    };
                    let told = Outgoing {
                        recipient: old_email,
                        mail: Mail::EmailChanged { name, new_email },
                    };
                    insert_outbox!(&mut *tx, told, now, None::<&str>)?;
                    Confirmed::EmailChanged(row.user_id)
                }
                _ => {
                    sqlx::query(
                        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?) \
                         WHERE id = ?",
                    )
                    .bind(now)
                    .bind(row.user_id)
                    .execute(&mut *tx)
                    .await?;
                    Confirmed::Verified(row.user_id)
                }
            };
            tx.commit().await?;
            Ok(Some(confirmed))
        })
    }

    /// Claims up to `limit` due mails until `claim_until`: each row by a conditional UPDATE, so a
    /// row claimed by another instance (or an earlier, crashed attempt still within its claim) is
    /// skipped.
    pub async fn claim_due_mail(
        &self,
        now: OffsetDateTime,
        claim_until: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<Queued>, sqlx::Error> {
        with_pool!(self, |pool| {
            let due: Vec<Uuid> = sqlx::query_scalar(
                "SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                 AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) \
                 ORDER BY next_attempt_at, id LIMIT ?",
            )
            .bind(now)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            let mut claimed = Vec::with_capacity(due.len());
            for id in due {
                let won = sqlx::query(
                    "UPDATE outbox SET claimed_until = ? WHERE id = ? AND sent_at IS NULL \
                     AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)",
                )
                .bind(claim_until)
                .bind(id)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected();
                if won == 1 {
                    claimed.push(
                        sqlx::query_as(
                            "SELECT id, recipient, template, data, attempts, created_at \
                             FROM outbox WHERE id = ?",
                        )
                        .bind(id)
                        .fetch_one(pool)
                        .await?,
                    );
                }
            }
            Ok(claimed)
        })
    }

    /// Sent: kept as a record (recipient, template, when), without its data, whose links
    /// should not outlive the mail.
    pub async fn mark_mail_sent(&self, id: Uuid, now: OffsetDateTime) -> Result<(), sqlx::Error> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, claimed_until = NULL, \
             data = '{}', last_error = NULL WHERE id = ?"
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(drop))
    }

    /// Not sent this time: tried again at `next_attempt_at`, or given up (`None`).
    pub async fn mark_mail_unsent(
        &self,
        id: Uuid,
        next_attempt_at: Option<OffsetDateTime>,
        error: &str,
        now: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        let error: String = error.chars().take(1000).collect();
        with_pool!(self, |pool| sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, claimed_until = NULL, last_error = ?, \
             next_attempt_at = COALESCE(?, next_attempt_at), \
             failed_at = CASE WHEN ? IS NULL THEN ? ELSE NULL END WHERE id = ?"
        )
        .bind(error)
        .bind(next_attempt_at)
        .bind(next_attempt_at)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(drop))
    }
}
