//! `/admin/users`: find an account (search as you type with htmx, a plain GET form without
//! JavaScript) and change it through one small form per change. A refused change is shown in
//! place with its status; a done one redirects back to the account (post, redirect, get).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;

use super::{AdminVisitor, AuditRow, when};
use crate::domain::account::UserId;
use crate::domain::admin::Change;
use crate::domain::billing::keeps_paid_plan;
use crate::domain::plan::{PLANS, Plan, PlanInfo};
use crate::error::AppError;
use crate::routes::pages::error::{PageError, capitalized};
use crate::routes::pages::layout::Layout;
use crate::routes::path::UserPath;
use crate::routes::respond::with_error;
use crate::state::AppState;
use crate::store::admin::Account;

const PAGE: u32 = 25;
/// The account page shows this many of its latest audit rows.
const ACCOUNT_AUDIT: u32 = 10;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list))
        .route("/admin/users/{id}", get(show))
        .route("/admin/users/{id}/plan", post(change_plan))
        .route("/admin/users/{id}/allowance", post(change_allowance))
        .route("/admin/users/{id}/disabled", post(change_disabled))
        .route("/admin/users/{id}/reset-usage", post(reset_usage))
        .route("/admin/users/{id}/delete", post(delete))
}

/// An account as the pages show it.
struct AccountView {
    id: String,
    email: String,
    name: String,
    plan: Plan,
    status: String,
    usage: String,
    limit: String,
    fursonas: i64,
    created: String,
    last_seen: String,
    disabled: bool,
    admin: bool,
    stripe_managed: bool,
}

impl From<Account> for AccountView {
    fn from(a: Account) -> Self {
        let limit = a
            .generations_limit
            .map_or("unlimited".to_owned(), |l| l.to_string());
        AccountView {
            id: a.id.to_string(),
            usage: format!("{} of {limit}", a.generations_used),
            limit: a
                .generations_limit
                .map(|l| l.to_string())
                .unwrap_or_default(),
            stripe_managed: a.stripe_subscription_id.is_some() && keeps_paid_plan(&a.status),
            email: a.email,
            name: a.name,
            plan: a.plan,
            status: a.status,
            fursonas: a.fursonas,
            created: when(a.created_at),
            last_seen: a.last_seen_at.map_or_else(|| "never".to_owned(), when),
            disabled: a.disabled,
            admin: a.admin,
        }
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    cursor: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
struct ListPage {
    layout: Layout,
    q: String,
    accounts: Vec<AccountView>,
    next_cursor: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Extension(admin): Extension<AdminVisitor>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let cursor = query.cursor.as_deref().and_then(UserId::parse);
    let page = state
        .admin
        .accounts(query.q.as_deref(), PAGE, cursor)
        .await?;
    Ok(ListPage {
        layout: admin.visitor.layout().await?,
        q: query.q.unwrap_or_default(),
        accounts: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor.map(|c| c.to_string()),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user.html")]
struct AccountPage {
    layout: Layout,
    account: AccountView,
    plans: &'static [PlanInfo],
    audit: Vec<AuditRow>,
    own: bool,
    /// What was just done, after a redirect.
    saved: Option<&'static str>,
    /// Why a change was refused.
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    saved: Option<String>,
}

/// The notice for `?saved=...`; only these words, so the URL cannot put text on the page.
fn saved_notice(saved: Option<&str>) -> Option<&'static str> {
    match saved? {
        "plan" => Some("The plan was changed."),
        "allowance" => Some("The allowance was changed."),
        "disabled" => Some("The account was disabled: it is signed out everywhere."),
        "enabled" => Some("The account was enabled: its owner can sign in again."),
        "usage" => Some("This period's usage was reset to 0."),
        _ => None,
    }
}

async fn render_account(
    state: &AppState,
    visitor: &AdminVisitor,
    id: UserId,
    saved: Option<&'static str>,
    notice: Option<String>,
) -> Result<AccountPage, PageError> {
    let account = state.admin.account(id).await?;
    let audit = state.admin.audit(Some(id), ACCOUNT_AUDIT, None).await?;
    Ok(AccountPage {
        layout: visitor.visitor.layout().await?,
        own: visitor.user.id == id,
        account: account.into(),
        plans: &PLANS,
        audit: audit.items.into_iter().map(Into::into).collect(),
        saved,
        notice,
    })
}

async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<AdminVisitor>,
    UserPath(id): UserPath,
    query: Result<Query<ShowQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let saved = query.ok().and_then(|Query(q)| q.saved);
    Ok(
        render_account(&state, &visitor, id, saved_notice(saved.as_deref()), None)
            .await?
            .into_response(),
    )
}

/// Applies `change`; on success back to the account with `saved`, else the account page again
/// with the reason and the error's status.
async fn apply(
    state: &AppState,
    visitor: &AdminVisitor,
    id: UserId,
    result: Result<&'static str, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(saved) => Ok(Redirect::to(&format!("/admin/users/{id}?saved={saved}")).into_response()),
        Err(
            error @ (AppError::OwnAccount
            | AppError::StripeManaged
            | AppError::InvalidChoice(_)
            | AppError::PaymentService(_)
            | AppError::PaymentsNotConfigured),
        ) => {
            let notice = match error {
                AppError::StripeManaged => "This account has an active Stripe subscription, which \
                    sets its plan and would set it again; tick \u{201c}change it anyway\u{201d} to \
                    override it."
                    .to_owned(),
                _ => format!("{}.", capitalized(&error.to_string())),
            };
            let page = render_account(state, visitor, id, None, Some(notice)).await?;
            Ok(with_error(&error, page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PlanForm {
    plan: String,
    force: Option<String>,
}

async fn change_plan(
    State(state): State<AppState>,
    Extension(visitor): Extension<AdminVisitor>,
    UserPath(id): UserPath,
    Form(form): Form<PlanForm>,
) -> Result<Response, PageError> {
    let result = async {
        let plan: Plan = form
            .plan
            .parse()
            .map_err(|_| AppError::InvalidChoice("choose free, basic or pro"))?;
        let change = Change {
            plan: Some(plan),
            force: form.force.is_some(),
            ..Change::default()
        };
        state.admin.change(&visitor.user, id, &change).await?;
        Ok::<_, AppError>("plan")
    }
    .await;
    apply(&state, &visitor, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AllowanceForm {
    /// Empty: unlimited.
    generations_limit: String,
}

async fn change_allowance(
    State(state): State<AppState>,
    Extension(visitor): Extension<AdminVisitor>,
    UserPath(id): UserPath,
    Form(form): Form<AllowanceForm>,
) -> Result<Response, PageError> {
    let result = async {
        let text = form.generations_limit.trim();
        let limit = if text.is_empty() {
            None
        } else {
            Some(text.parse::<u32>().map_err(|_| {
                AppError::InvalidChoice("the allowance is a whole number, or empty for unlimited")
            })?)
        };
        let change = Change {
            generations_limit: Some(limit),
            ..Change::default()
        };
        state.admin.change(&visitor.user, id, &change).await?;
        Ok::<_, AppError>("allowance")
    }
    .await;
    apply(&state, &visitor, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DisabledForm {
    /// `true` disables, anything else enables.
    disabled: String,
}

async fn change_disabled(
    State(state): State<AppState>,
    Extension(visitor): Extension<AdminVisitor>,
    UserPath(id): UserPath,
    Form(form): Form<DisabledForm>,
) -> Result<Response, PageError> {
    let disabled = form.disabled == "true";
    let change = Change {
        disabled: Some(disabled),
        ..Change::default()
    };
    let result = state
        .admin
        .change(&visitor.user, id, &change)
        .await
        .map(|_| if disabled { "disabled" } else { "enabled" });
    apply(&state, &visitor, id, result).await
}

async fn reset_usage(
    State(state): State<AppState>,
    Extension(visitor): Extension<AdminVisitor>,
    UserPath(id): UserPath,
) -> Result<Response, PageError> {
    let result = state
        .admin
        .reset_usage(&visitor.user, id)
        .await
        .map(|_| "usage");
    apply(&state, &visitor, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeleteForm {
    confirm: Option<String>,
}

async fn delete(
    State(state): State<AppState>,
    Extension(visitor): Extension<AdminVisitor>,
    UserPath(id): UserPath,
    Form(form): Form<DeleteForm>,
) -> Result<Response, PageError> {
    if form.confirm.is_none() {
        let error = AppError::InvalidChoice("tick the box to confirm the deletion");
        return apply(&state, &visitor, id, Err(error)).await;
    }
    match state.admin.delete(&visitor.user, id).await {
        Ok(()) => Ok(Redirect::to("/admin/users").into_response()),
        Err(error) => apply(&state, &visitor, id, Err(error)).await,
    }
}
