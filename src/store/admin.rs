//! The administrator's queries: accounts listed and searched, each change applied with its audit
//! rows in one transaction, the audit log, and the counts behind the statistics. What a change
//! does was decided by `domain::admin`; this applies it.

use time::{Date, OffsetDateTime};

use super::{Backend, Store, with_pool};
use crate::domain::account::UserId;
use crate::domain::admin::{Actor, Edit, Facts, Refusal};
use crate::domain::plan::Plan;

/// One account as the console lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Account {
    pub id: UserId,
    pub email: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub plan: Plan,
    pub status: String,
    pub generations_used: i32,
    pub generations_limit: Option<i32>,
    pub fursonas: i64,
    pub created_at: OffsetDateTime,
    pub last_seen_at: Option<OffsetDateTime>,
    pub disabled: bool,
    pub admin: bool,
    pub stripe_subscription_id: Option<String>,
}

/// One row of the audit log.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub admin_id: Option<UserId>,
    pub admin_email: String,
    pub action: String,
    pub target_id: UserId,
    pub target_email: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub created_at: OffsetDateTime,
}

/// The numbers behind the statistics, as counted; `services::admin` derives the rest.
#[derive(Debug, Default)]
pub struct Counts {
    pub accounts: i64,
    pub accounts_new: i64,
    pub accounts_disabled: i64,
    pub generations_today: i64,
    pub generations_month: i64,
    /// This month's generations by engine, by engine name.
    pub by_engine: Vec<(String, i64)>,
    pub given_back_month: i64,
    /// Subscriptions linked to Stripe, by plan and Stripe status.
    pub stripe_plans: Vec<(String, String, i64)>,
    /// Generations per UTC day since the chart's first day.
    pub per_day: Vec<(Date, i64)>,
}

/// The instants the counts start from.
pub struct Since {
    pub week_ago: OffsetDateTime,
    pub today: OffsetDateTime,
    pub month: OffsetDateTime,
    pub chart: OffsetDateTime,
}

const ACCOUNT_SQL: &str = "SELECT u.id, u.email, u.name, s.plan, s.status, s.generations_used, \
     s.generations_limit, (SELECT COUNT(*) FROM fursonas f WHERE f.user_id = u.id) AS fursonas, \
     u.created_at, u.last_seen_at, u.disabled, u.admin, s.stripe_subscription_id \
     FROM users u JOIN subscriptions s ON s.user_id = u.id";

const AUDIT_SQL: &str = "SELECT id, admin_id, admin_email, action, target_id, target_email, \
     old_value, new_value, created_at FROM admin_audit";

/// `LIKE` matches its pattern literally: `!` escapes the wildcards (and itself) in both dialects.
fn contains_pattern(q: &str) -> String {
    let mut pattern = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '!' | '%' | '_') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Applies one decided edit to the account `$target` inside the transaction `$tx`.
macro_rules! apply_edit {
    ($tx:expr, $target:expr, $edit:expr, $now:expr, $revoke_after:expr) => {{
        let query = match $edit {
            Edit::Plan { to, .. } => sqlx::query(
                "UPDATE subscriptions SET plan = ?, status = 'active', past_due_since = NULL, \
                 updated_at = ? WHERE user_id = ?",
            )
            .bind(to.as_str())
            .bind($now),
            Edit::Limit { to, .. } => sqlx::query(
                "UPDATE subscriptions SET generations_limit = ?, updated_at = ? WHERE user_id = ?",
            )
            .bind(to.map(i64::from))
            .bind($now),
            Edit::UsageReset { .. } => sqlx::query(
                "UPDATE subscriptions SET generations_used = 0, updated_at = ? WHERE user_id = ?",
            )
            .bind($now),
            // Disabling also ends every token and page session issued until now, exactly as a
            // password change does; enabling lets the owner sign in again.
            Edit::Disabled { to: true, .. } => sqlx::query(
                "UPDATE users SET disabled = TRUE, tokens_valid_after = \
                 CASE WHEN tokens_valid_after < ? THEN ? ELSE tokens_valid_after END WHERE id = ?",
            )
            .bind($revoke_after)
            .bind($revoke_after),
            Edit::Disabled { to: false, .. } => {
                sqlx::query("UPDATE users SET disabled = FALSE WHERE id = ?")
            }
            Edit::Admin { to, .. } => {
                sqlx::query("UPDATE users SET admin = ? WHERE id = ?").bind(*to)
            }
            Edit::Deleted { .. } => sqlx::query("DELETE FROM users WHERE id = ?"),
        };
        query.bind($target).execute(&mut *$tx).await
    }};
}

impl Store {
    /// Accounts newest first, after `cursor` (an id of the previous page), whose email or name
    /// contains `q` in any letter case.
    pub async fn list_accounts(
        &self,
        q: Option<&str>,
        limit: u32,
        cursor: Option<UserId>,
    ) -> Result<Vec<Account>, sqlx::Error> {
        let mut conditions = Vec::new();
        if q.is_some() {
            conditions
                .push("(LOWER(u.email) LIKE ? ESCAPE '!' OR LOWER(u.name) LIKE ? ESCAPE '!')");
        }
        if cursor.is_some() {
            conditions.push("u.id < ?");
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let sql = format!("{ACCOUNT_SQL}{filter} ORDER BY u.id DESC LIMIT ?");
        let pattern = q.map(contains_pattern);
        with_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql);
            if let Some(pattern) = &pattern {
                query = query.bind(pattern).bind(pattern);
            }
            if let Some(cursor) = cursor {
                query = query.bind(cursor);
            }
            query.bind(i64::from(limit)).fetch_all(pool).await
        })
    }

    pub async fn account(&self, id: UserId) -> Result<Option<Account>, sqlx::Error> {
        let sql = format!("{ACCOUNT_SQL} WHERE u.id = ?");
        with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// Decides and applies a change to `target` in one transaction with its audit rows: the
    /// account is locked first, `decide` sees it as it is under the lock, and its edits are
    /// applied and audited, or nothing is. `None`: there is no such account.
    pub async fn change_account(
        &self,
        actor: &Actor,
        target: UserId,
        now: OffsetDateTime,
        decide: impl FnOnce(&Facts) -> Result<Vec<Edit>, Refusal>,
    ) -> Result<Option<Result<Vec<Edit>, Refusal>>, sqlx::Error> {
        // Issued in the second after now: a token of this second is revoked too.
        let revoke_after = now + time::Duration::SECOND;
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // A write first: it takes SQLite's write lock at once and the row lock on MariaDB,
            // so two changes of one account are decided one after the other.
            sqlx::query("UPDATE subscriptions SET updated_at = updated_at WHERE user_id = ?")
                .bind(target)
                .execute(&mut *tx)
                .await?;
            let row: Option<FactsRow> = sqlx::query_as(
                "SELECT u.email, s.plan, s.status, s.generations_used, s.generations_limit, \
                 u.disabled, u.admin, s.stripe_subscription_id \
                 FROM users u JOIN subscriptions s ON s.user_id = u.id WHERE u.id = ?",
            )
            .bind(target)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                return Ok(None);
            };
            let edits = match decide(&row.facts()) {
                Ok(edits) => edits,
                Err(refusal) => return Ok(Some(Err(refusal))),
            };
            for edit in &edits {
                // The audit row goes first: a deletion leaves nothing to read afterwards.
                let (old, new) = edit.values();
                sqlx::query(
                    "INSERT INTO admin_audit (admin_id, admin_email, action, target_id, \
                     target_email, old_value, new_value, created_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(actor.id)
                .bind(&actor.email)
                .bind(edit.action())
                .bind(target)
                .bind(&row.email)
                .bind(old)
                .bind(new)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                apply_edit!(tx, target, edit, now, revoke_after)?;
            }
            tx.commit().await?;
            Ok(Some(Ok(edits)))
        })
    }

    /// The audit log newest first, after `cursor`; only `target`'s rows when given.
    pub async fn audit(
        &self,
        target: Option<UserId>,
        limit: u32,
        cursor: Option<i64>,
    ) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let mut conditions = Vec::new();
        if target.is_some() {
            conditions.push("target_id = ?");
        }
        if cursor.is_some() {
            conditions.push("id < ?");
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let sql = format!("{AUDIT_SQL}{filter} ORDER BY id DESC LIMIT ?");
        with_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql);
            if let Some(target) = target {
                query = query.bind(target);
            }
            if let Some(cursor) = cursor {
                query = query.bind(cursor);
            }
            query.bind(i64::from(limit)).fetch_all(pool).await
        })
    }

    /// Everything the statistics count, read in one go.
    pub async fn admin_counts(&self, since: &Since) -> Result<Counts, sqlx::Error> {
        // The one dialect difference: the UTC day of a timestamp, as `YYYY-MM-DD` text.
        let day = match self.backend() {
            Backend::MariaDb => "DATE_FORMAT(created_at, '%Y-%m-%d')",
            Backend::Sqlite => "substr(created_at, 1, 10)",
        };
        let per_day_sql = format!(
            "SELECT {day} AS day, COUNT(*) FROM fursonas WHERE created_at >= ? \
             GROUP BY day ORDER BY day"
        );
        with_pool!(self, |pool| {
            let count = |sql: &'static str, since: Option<OffsetDateTime>| {
                let mut query = sqlx::query_scalar::<_, i64>(sql);
                if let Some(since) = since {
                    query = query.bind(since);
                }
                query.fetch_one(pool)
            };
            let days: Vec<(String, i64)> = sqlx::query_as(&per_day_sql)
                .bind(since.chart)
                .fetch_all(pool)
                .await?;
            Ok(Counts {
                accounts: count("SELECT COUNT(*) FROM users", None).await?,
                accounts_new: count(
                    "SELECT COUNT(*) FROM users WHERE created_at >= ?",
                    Some(since.week_ago),
                )
                .await?,
                accounts_disabled: count("SELECT COUNT(*) FROM users WHERE disabled", None).await?,
                generations_today: count(
                    "SELECT COUNT(*) FROM fursonas WHERE created_at >= ?",
                    Some(since.today),
                )
                .await?,
                generations_month: count(
                    "SELECT COUNT(*) FROM fursonas WHERE created_at >= ?",
                    Some(since.month),
                )
                .await?,
                by_engine: sqlx::query_as(
                    "SELECT engine, COUNT(*) FROM fursonas WHERE created_at >= ? \
                     GROUP BY engine ORDER BY engine",
                )
                .bind(since.month)
                .fetch_all(pool)
                .await?,
                given_back_month: count(
                    "SELECT COUNT(*) FROM generation_releases WHERE released_at >= ?",
                    Some(since.month),
                )
                .await?,
                stripe_plans: sqlx::query_as(
                    "SELECT plan, status, COUNT(*) FROM subscriptions \
                     WHERE stripe_subscription_id IS NOT NULL GROUP BY plan, status",
                )
                .fetch_all(pool)
                .await?,
                per_day: days
                    .into_iter()
                    .filter_map(|(day, n)| {
                        Date::parse(&day, &time::format_description::well_known::Iso8601::DATE)
                            .ok()
                            .map(|d| (d, n))
                    })
                    .collect(),
            })
        })
    }
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    email: String,
    #[sqlx(try_from = "String")]
    plan: Plan,
    status: String,
    generations_used: i32,
    generations_limit: Option<i32>,
    disabled: bool,
    admin: bool,
    stripe_subscription_id: Option<String>,
}

impl FactsRow {
    fn facts(&self) -> Facts {
        Facts {
            plan: self.plan,
            generations_limit: self.generations_limit.and_then(|l| u32::try_from(l).ok()),
            generations_used: u32::try_from(self.generations_used).unwrap_or(0),
            disabled: self.disabled,
            admin: self.admin,
            stripe_managed: self.stripe_subscription_id.is_some()
                && crate::domain::billing::keeps_paid_plan(&self.status),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn wildcards_in_a_search_match_themselves() {
        assert_eq!(contains_pattern("Ada"), "%ada%");
        assert_eq!(contains_pattern("50%_!"), "%50!%!_!!%");
    }
}
