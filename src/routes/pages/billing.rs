//! Billing pages: upgrade from `/plans`, `/account` with usage and payments, the billing portal,
//! and the page Checkout returns to, which waits for Stripe's webhook (the redirect itself never
//! changes the plan).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::error::{PageError, capitalized};
use super::layout::Layout;
use super::visitor::Visitor;
use crate::domain::plan::{Feature, PLANS, Plan};
use crate::domain::usage::calendar_date;
use crate::error::AppError;
use crate::routes::respond::with_error;
use crate::routes::shapes::share_url;
use crate::state::AppState;
use crate::store::users::User;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(plans))
        .route("/plans/checkout", post(checkout))
        .route("/account", get(account))
        .route("/account/portal", post(portal))
        .route("/billing/success", get(success))
        .route("/billing/status", get(status))
}

pub struct PlanView {
    pub id: &'static str,
    pub name: &'static str,
    pub price: String,
    pub allowance: String,
    pub features: &'static [Feature],
    pub current: bool,
    pub paid: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans.html")]
struct PlansPage {
    layout: Layout,
    plans: Vec<PlanView>,
    signed_in: bool,
    payments_enabled: bool,
    notice: Option<String>,
}

pub struct PaymentView {
    pub date: String,
    pub amount: String,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    plan: &'static str,
    status: String,
    usage: String,
    period_end: String,
    cancel_at_period_end: bool,
    past_due: bool,
    has_billing_account: bool,
    payments_enabled: bool,
    payments: Vec<PaymentView>,
    /// Fursonas with a public link: name, page, link.
    shared: Vec<(String, String, String)>,
    /// Each form's error, shown beside that form.
    errors: AccountErrors,
    email: String,
    email_verified: bool,
    mail_enabled: bool,
}

/// The forms of the account page; an error is shown beside the form that failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AccountForm {
    Billing,
    Email,
    Password,
    Delete,
}

#[derive(Default)]
struct AccountErrors {
    billing: Option<String>,
    email: Option<String>,
    password: Option<String>,
    delete: Option<String>,
}

impl AccountErrors {
    /// The error as a sentence, in the words of the form it belongs to: a wrong password says
    /// what was left unchanged.
    fn of(form: AccountForm, error: &AppError) -> Self {
        let message = match (form, error) {
            (AccountForm::Email, AppError::WrongPassword) => {
                "That password is not right, so your address is unchanged.".to_owned()
            }
            (AccountForm::Password, AppError::WrongPassword) => {
                "The current password is not right, so your password is unchanged.".to_owned()
            }
            (AccountForm::Delete, AppError::WrongPassword) => {
                "That password is not right, so your account is not deleted.".to_owned()
            }
            _ => format!("{}.", capitalized(&error.to_string())),
        };
        let mut errors = AccountErrors::default();
        *match form {
            AccountForm::Billing => &mut errors.billing,
            AccountForm::Email => &mut errors.email,
            AccountForm::Password => &mut errors.password,
            AccountForm::Delete => &mut errors.delete,
        } = Some(message);
        errors
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "billing_success.html")]
struct SuccessPage {
    layout: Layout,
    status: Status,
}

#[derive(Template, WebTemplate)]
#[template(path = "fragments/billing_status_alone.html")]
struct StatusFragment {
    status: Status,
}

struct Status {
    /// `Some`: the plan the webhook confirmed; `None`: still waiting.
    confirmed: Option<&'static str>,
}

#[derive(Deserialize)]
struct CheckoutForm {
    plan: String,
}

async fn plans(visitor: Visitor) -> Result<Response, PageError> {
    render_plans(&visitor, None).await
}

async fn render_plans(visitor: &Visitor, error: Option<&AppError>) -> Result<Response, PageError> {
    let current = match &visitor.user {
        Some(user) => Some(visitor.plan_of(user).await?),
        None => None,
    };
    let plans = PLANS
        .iter()
        .map(|info| PlanView {
            id: info.plan.as_str(),
            name: info.name,
            price: info.display_price(),
            allowance: match info.monthly_limit {
                Some(limit) => format!("{limit} fursonas a month"),
                None => "Unlimited fursonas".to_owned(),
            },
            features: info.features,
            current: current == Some(info.plan),
            paid: info.plan.is_paid(),
        })
        .collect();
    let page = PlansPage {
        layout: visitor.layout().await?,
        plans,
        signed_in: visitor.user.is_some(),
        payments_enabled: visitor.payments_enabled(),
        notice: error.map(|e| format!("{}.", capitalized(&e.to_string()))),
    };
    Ok(match error {
        Some(error) => with_error(error, page),
        None => page.into_response(),
    })
}

/// The upgrade button: straight on to Stripe Checkout, or back to the plans with the reason.
async fn checkout(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<CheckoutForm>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let plan = form.plan.parse::<Plan>().map_err(|_| AppError::NotFound)?;
    match state.subscriptions.checkout(user, plan).await {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(error) => render_plans(&visitor, Some(&error)).await,
    }
}

async fn account(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    render_account(&state, &visitor, None).await
}

/// The account page, with the error of the form that just failed beside it.
pub(super) async fn render_account(
    state: &AppState,
    visitor: &Visitor,
    failed: Option<(AccountForm, &AppError)>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let usage = state.store.usage(user.id, state.clock.moment()).await?;
    let billing = state.store.billing(user.id).await?;
    let payments = state
        .store
        .payments(user.id, 24)
        .await?
        .into_iter()
        .map(|p| PaymentView {
            date: calendar_date(p.created_at),
            amount: format!(
                "{}.{:02} {}",
                p.amount / 100,
                p.amount % 100,
                p.currency.to_uppercase()
            ),
            status: p.status,
        })
        .collect();
    let page = AccountPage {
        layout: visitor.layout().await?,
        plan: usage.plan.info().name,
        status: billing.status,
        usage: usage.summary(),
        period_end: calendar_date(usage.period_end),
        cancel_at_period_end: billing.cancel_at_period_end,
        past_due: usage.past_due,
        has_billing_account: billing.stripe_customer_id.is_some(),
        payments_enabled: visitor.payments_enabled(),
        payments,
        shared: state
            .sharing
            .shared_fursonas(user.id)
            .await?
            .into_iter()
            .map(|f| {
                let url = f
                    .share
                    .as_deref()
                    .map_or_else(String::new, |slug| share_url(&state.web.app_url, slug));
                (f.fursona.name, f.id.to_string(), url)
            })
            .collect(),
        errors: failed.map_or_else(AccountErrors::default, |(form, error)| {
            AccountErrors::of(form, error)
        }),
        email: user.email.clone(),
        email_verified: user.email_verified_at.is_some(),
        mail_enabled: state.emails.enabled(),
    };
    Ok(match failed {
        Some((_, error)) => with_error(error, page),
        None => page.into_response(),
    })
}

async fn portal(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    match state.subscriptions.portal(user).await {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(error) => render_account(&state, &visitor, Some((AccountForm::Billing, &error))).await,
    }
}

async fn success(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<SuccessPage, PageError> {
    let user = visitor.signed_in()?;
    Ok(SuccessPage {
        status: status_of(&state, user).await?,
        layout: visitor.layout().await?,
    })
}

/// Polled by the success page every few seconds until the webhook has changed the plan.
async fn status(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<StatusFragment, PageError> {
    let user = visitor.signed_in()?;
    Ok(StatusFragment {
        status: status_of(&state, user).await?,
    })
}

async fn status_of(state: &AppState, user: &User) -> Result<Status, AppError> {
    let plan = state.store.usage(user.id, state.clock.moment()).await?.plan;
    Ok(Status {
        confirmed: plan.is_paid().then(|| plan.info().name),
    })
}
