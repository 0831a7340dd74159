//! `/admin`: the admin console's pages (dashboard, accounts, audit log), for a signed-in
//! administrator's session, with CSRF-checked forms like every page. To anyone else each path
//! here is the page of an unknown path: [`require_admin`] runs before the CSRF check and before
//! routing to a method, so neither a 403 nor a 405 tells that a route exists.

mod accounts;
mod chart;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use time::OffsetDateTime;
use time::macros::format_description;

use super::csrf;
use super::error::PageError;
use super::layout::Layout;
use super::visitor::Visitor;
use crate::domain::plan::PlanInfo;
use crate::error::AppError;
use crate::routes::fallback;
use crate::services::admin::Stats;
use crate::state::AppState;
use crate::store::admin::AuditEntry;
use crate::store::users::User;
use chart::Chart;

const AUDIT_PAGE: u32 = 50;

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard))
        .route("/admin/audit", get(audit))
        .merge(accounts::router())
        // Set before the layers wrap the routes: the site's 405, set on the root afterwards,
        // would replace it unwrapped and answer a stranger's wrong method with a 405, not 404.
        .method_not_allowed_fallback(fallback::method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::require_token,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), require_admin))
}

/// The signed-in administrator looking at the page, put there by [`require_admin`].
#[derive(Clone)]
struct AdminVisitor {
    visitor: Visitor,
    user: User,
}

/// Lets signed-in administrators through; shows everyone else (signed out, a normal or a
/// disabled account) the page of an unknown path.
async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let visitor = Visitor::from_request_parts(&mut parts, &state).await.ok();
    match visitor.and_then(|v| v.user.clone().filter(|u| u.admin).map(|user| (v, user))) {
        Some((visitor, user)) => {
            parts.extensions.insert(AdminVisitor { visitor, user });
            next.run(Request::from_parts(parts, body)).await
        }
        None => PageError(AppError::NotFound).into_response(),
    }
}

/// "2026-12-01 14:05 UTC".
fn when(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute] UTC"
    ))
    .unwrap_or_default()
}

/// "$19.98".
fn money(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    stats: Stats,
    mrr: String,
    paying: Vec<(&'static PlanInfo, u64)>,
    chart: Chart,
}

async fn dashboard(
    State(state): State<AppState>,
    Extension(admin): Extension<AdminVisitor>,
) -> Result<Response, PageError> {
    let stats = state.admin.stats().await?;
    Ok(DashboardPage {
        layout: admin.visitor.layout().await?,
        mrr: money(stats.mrr_cents),
        paying: stats.paying.iter().map(|&(p, n)| (p.info(), n)).collect(),
        chart: Chart::new(&stats.per_day),
        stats,
    }
    .into_response())
}

/// One audit row as the pages show it.
struct AuditRow {
    at: String,
    admin: String,
    action: String,
    target_id: String,
    target: String,
    old_value: String,
    new_value: String,
}

impl From<AuditEntry> for AuditRow {
    fn from(e: AuditEntry) -> Self {
        AuditRow {
            at: when(e.created_at),
            admin: e.admin_email,
            action: e.action.replace('_', " "),
            target_id: e.target_id.to_string(),
            target: e.target_email,
            old_value: e.old_value.unwrap_or_else(|| "—".into()),
            new_value: e.new_value.unwrap_or_else(|| "—".into()),
        }
    }
}

#[derive(Deserialize)]
struct AuditQuery {
    cursor: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<AuditRow>,
    next_cursor: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    Extension(admin): Extension<AdminVisitor>,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let cursor = query.ok().and_then(|Query(q)| q.cursor);
    let page = state.admin.audit(None, AUDIT_PAGE, cursor).await?;
    Ok(AuditPage {
        layout: admin.visitor.layout().await?,
        rows: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }
    .into_response())
}
