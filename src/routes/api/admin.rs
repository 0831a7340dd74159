//! `/api/admin`: the admin console's JSON side, for administrators' bearer tokens. To anyone
//! else every path here answers exactly what an unknown path does: [`require_admin`] runs before
//! routing to a method, so not even a 405 tells that a route exists.

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiUser};
use super::paging;
use crate::domain::account::UserId;
use crate::domain::admin::Change;
use crate::domain::plan::Plan;
use crate::error::AppError;
use crate::routes::path::UserPath;
use crate::services::admin::Stats;
use crate::state::AppState;
use crate::store::admin::{Account, AuditEntry};
use crate::store::users::User;

const DEFAULT_PAGE: u32 = 50;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guarded(routes!(list_users)))
        .routes(guarded(routes!(get_user, change_user, delete_user)))
        .routes(guarded(routes!(reset_usage)))
        .routes(guarded(routes!(stats)))
        .routes(guarded(routes!(audit)))
        .layer(middleware::from_fn_with_state(state.clone(), require_admin))
}

/// Gives the routes their own 405 before [`require_admin`] wraps them: the API's shared 405,
/// set on the merged router afterwards, would replace it unwrapped and answer a stranger's wrong
/// method with a 405 instead of the 404.
fn guarded(
    (schemas, paths, methods): UtoipaMethodRouter<AppState>,
) -> UtoipaMethodRouter<AppState> {
    (schemas, paths, methods.fallback(super::method_not_allowed))
}

/// The administrator making the request, put there by [`require_admin`].
#[derive(Clone)]
struct Admin(User);

/// Lets administrators through; answers everyone else (no token, a bad one, a normal or
/// disabled account) the JSON 404 of an unknown path.
async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match ApiUser::from_request_parts(&mut parts, &state).await {
        Ok(ApiUser(user)) if user.admin => {
            parts.extensions.insert(Admin(user));
            next.run(Request::from_parts(parts, body)).await
        }
        _ => ApiError(AppError::NotFound).into_response(),
    }
}

#[derive(Serialize, ToSchema)]
struct AccountBody {
    id: UserId,
    email: String,
    name: String,
    plan: Plan,
    /// The subscription's status (`active`, `past_due`, ... as Stripe names them).
    status: String,
    generations_used: i32,
    /// `null`: unlimited.
    generations_limit: Option<i32>,
    /// How many fursonas the account has.
    fursonas: i64,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    /// Last sign-in or authenticated request, to the hour; `null`: never.
    #[serde(with = "time::serde::rfc3339::option")]
    last_seen_at: Option<OffsetDateTime>,
    disabled: bool,
    admin: bool,
    /// A Stripe subscription pays for the plan: changing the plan needs `force`.
    stripe_managed: bool,
}

impl From<Account> for AccountBody {
    fn from(a: Account) -> Self {
        AccountBody {
            stripe_managed: a.stripe_subscription_id.is_some()
                && crate::domain::billing::keeps_paid_plan(&a.status),
            id: a.id,
            email: a.email,
            name: a.name,
            plan: a.plan,
            status: a.status,
            generations_used: a.generations_used,
            generations_limit: a.generations_limit,
            fursonas: a.fursonas,
            created_at: a.created_at,
            last_seen_at: a.last_seen_at,
            disabled: a.disabled,
            admin: a.admin,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct AccountsResponse {
    /// Newest first.
    items: Vec<AccountBody>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<UserId>,
}

#[derive(Deserialize)]
struct UsersQuery {
    q: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// Present (even as `null`) is `Some`, absent is `None`: `null` means "unlimited". JSON Schema
/// counts `7.0` as an integer, so it is one here too.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    let whole = |n: f64| {
        (n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n))
            .then_some(n as u32)
            .ok_or_else(|| {
                serde::de::Error::custom("generations_limit must be a whole number, or null")
            })
    };
    Option::<f64>::deserialize(d)?
        .map(whole)
        .transpose()
        .map(Some)
}

/// Any of the fields; those left out stay as they are.
#[derive(Deserialize, ToSchema)]
struct ChangeRequest {
    /// A new plan, with its allowance unless `generations_limit` names one.
    plan: Option<Plan>,
    /// A custom allowance per period; `null` for unlimited.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<u32>, maximum = 1000000)]
    generations_limit: Option<Option<u32>>,
    /// `true`: the account cannot sign in, its tokens and sessions end; `false` enables it.
    disabled: Option<bool>,
    /// Change the plan although a Stripe subscription sets it (Stripe may set it again).
    force: Option<bool>,
}

#[derive(Serialize, ToSchema)]
struct AccountsStats {
    total: u64,
    new_last_7_days: u64,
    disabled: u64,
}

#[derive(Serialize, ToSchema)]
struct GenerationStats {
    /// Since midnight UTC.
    today: u64,
    /// This calendar month (UTC).
    this_month: u64,
    /// This month, per engine.
    by_engine: BTreeMap<String, u64>,
    /// Generations charged and given back this month because they failed.
    failures_given_back: u64,
}

#[derive(Serialize, ToSchema)]
struct Revenue {
    /// In minor units (cents).
    amount: u64,
    currency: &'static str,
}

#[derive(Serialize, ToSchema)]
struct DayCount {
    /// `YYYY-MM-DD`, UTC.
    date: String,
    count: u64,
}

#[derive(Serialize, ToSchema)]
struct StatsResponse {
    accounts: AccountsStats,
    generations: GenerationStats,
    /// Accounts whose Stripe subscription pays for a plan, by paid plan.
    paying: BTreeMap<String, u64>,
    /// Monthly recurring revenue: the paying accounts at their plans' prices.
    monthly_recurring_revenue: Revenue,
    /// Generations per day, the last 30 days, oldest first.
    per_day: Vec<DayCount>,
}

impl From<Stats> for StatsResponse {
    fn from(s: Stats) -> Self {
        StatsResponse {
            accounts: AccountsStats {
                total: s.accounts_total,
                new_last_7_days: s.accounts_new_7_days,
                disabled: s.accounts_disabled,
            },
            generations: GenerationStats {
                today: s.generations_today,
                this_month: s.generations_month,
                by_engine: s.by_engine.into_iter().collect(),
                failures_given_back: s.failures_given_back,
            },
            paying: s
                .paying
                .into_iter()
                .map(|(plan, n)| (plan.to_string(), n))
                .collect(),
            monthly_recurring_revenue: Revenue {
                amount: s.mrr_cents,
                currency: s.currency,
            },
            per_day: s
                .per_day
                .into_iter()
                .map(|(date, count)| DayCount {
                    date: date.to_string(),
                    count,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
struct AuditBody {
    id: i64,
    #[serde(with = "time::serde::rfc3339")]
    at: OffsetDateTime,
    /// `null`: the server's command line.
    admin_id: Option<UserId>,
    admin_email: String,
    /// `plan`, `generations_limit`, `disable`, `enable`, `reset_usage`, `delete`,
    /// `grant_admin` or `revoke_admin`.
    action: String,
    target_id: UserId,
    target_email: String,
    old_value: Option<String>,
    new_value: Option<String>,
}

impl From<AuditEntry> for AuditBody {
    fn from(e: AuditEntry) -> Self {
        AuditBody {
            id: e.id,
            at: e.created_at,
            admin_id: e.admin_id,
            admin_email: e.admin_email,
            action: e.action,
            target_id: e.target_id,
            target_email: e.target_email,
            old_value: e.old_value,
            new_value: e.new_value,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct AuditResponse {
    /// Newest first.
    items: Vec<AuditBody>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<i64>,
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// Accounts, newest first, a page at a time; `q` matches part of the email or name.
#[utoipa::path(
    get,
    path = "/api/admin/users",
    tag = "admin",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, description = "Part of the email or name, any letter case"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Page size, 50 when absent"),
        ("cursor" = Option<uuid::Uuid>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "One page", body = AccountsResponse),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 404, description = "Not an administrator (as for an unknown path)", body = ErrorBody),
        (status = 422, description = "`limit` or `cursor` is invalid", body = ErrorBody),
    )
)]
async fn list_users(
    State(state): State<AppState>,
    query: Result<Query<UsersQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AccountsResponse>, ApiError> {
    let query = paging::query(query)?;
    let limit = paging::limit(query.limit.as_deref(), DEFAULT_PAGE)?;
    let cursor = paging::cursor(query.cursor.as_deref(), UserId::parse)?;
    let page = state
        .admin
        .accounts(query.q.as_deref(), limit, cursor)
        .await?;
    Ok(Json(AccountsResponse {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// One account.
#[utoipa::path(
    get,
    path = "/api/admin/users/{id}",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The account", body = AccountBody),
        (status = 404, description = "No such account, or not an administrator", body = ErrorBody),
    )
)]
async fn get_user(
    State(state): State<AppState>,
    UserPath(id): UserPath,
) -> Result<Json<AccountBody>, ApiError> {
    Ok(Json(state.admin.account(id).await?.into()))
}

/// Changes an account's plan, allowance or disabled state; audited.
#[utoipa::path(
    patch,
    path = "/api/admin/users/{id}",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The account's id")),
    request_body = ChangeRequest,
    responses(
        (status = 200, description = "Changed; the account as it now is", body = AccountBody),
        (status = 404, description = "No such account, or not an administrator", body = ErrorBody),
        (status = 409, description = "A Stripe subscription sets this plan, send `force` (`stripe_managed`); or this is your own account, which you cannot disable (`own_account`)", body = ErrorBody),
    )
)]
async fn change_user(
    State(state): State<AppState>,
    Extension(Admin(admin)): Extension<Admin>,
    UserPath(id): UserPath,
    ApiJson(body): ApiJson<ChangeRequest>,
) -> Result<Json<AccountBody>, ApiError> {
    let change = Change {
        plan: body.plan,
        generations_limit: body.generations_limit,
        disabled: body.disabled,
        force: body.force.unwrap_or(false),
    };
    Ok(Json(state.admin.change(&admin, id, &change).await?.into()))
}

/// Deletes an account and everything of it, its Stripe subscription cancelled first; audited.
#[utoipa::path(
    delete,
    path = "/api/admin/users/{id}",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The account's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such account, or not an administrator", body = ErrorBody),
        (status = 409, description = "This is your own account (`own_account`)", body = ErrorBody),
        (status = 502, description = "Stripe could not cancel the subscription; nothing was deleted", body = ErrorBody),
    )
)]
async fn delete_user(
    State(state): State<AppState>,
    Extension(Admin(admin)): Extension<Admin>,
    UserPath(id): UserPath,
) -> Result<StatusCode, ApiError> {
    state.admin.delete(&admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets this period's usage to 0; audited.
#[utoipa::path(
    post,
    path = "/api/admin/users/{id}/reset-usage",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The account's id")),
    responses(
        (status = 200, description = "Reset; the account as it now is", body = AccountBody),
        (status = 404, description = "No such account, or not an administrator", body = ErrorBody),
    )
)]
async fn reset_usage(
    State(state): State<AppState>,
    Extension(Admin(admin)): Extension<Admin>,
    UserPath(id): UserPath,
) -> Result<Json<AccountBody>, ApiError> {
    Ok(Json(state.admin.reset_usage(&admin, id).await?.into()))
}

/// How the service is used: accounts, generations, paying accounts and revenue.
#[utoipa::path(
    get,
    path = "/api/admin/stats",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The statistics", body = StatsResponse),
        (status = 404, description = "Not an administrator (as for an unknown path)", body = ErrorBody),
    )
)]
async fn stats(State(state): State<AppState>) -> Result<Json<StatsResponse>, ApiError> {
    Ok(Json(state.admin.stats().await?.into()))
}

/// Every change administrators made, newest first, a page at a time. Append-only.
#[utoipa::path(
    get,
    path = "/api/admin/audit",
    tag = "admin",
    security(("bearer" = [])),
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Page size, 50 when absent"),
        ("cursor" = Option<i64>, Query, minimum = 1, description = "`next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "One page", body = AuditResponse),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 404, description = "Not an administrator (as for an unknown path)", body = ErrorBody),
        (status = 422, description = "`limit` or `cursor` is invalid", body = ErrorBody),
    )
)]
async fn audit(
    State(state): State<AppState>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditResponse>, ApiError> {
    let query = paging::query(query)?;
    let limit = paging::limit(query.limit.as_deref(), DEFAULT_PAGE)?;
    let cursor = paging::cursor(query.cursor.as_deref(), |c| {
        c.parse::<i64>().ok().filter(|&n| n >= 1)
    })?;
    let page = state.admin.audit(None, limit, cursor).await?;
    Ok(Json(AuditResponse {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}
