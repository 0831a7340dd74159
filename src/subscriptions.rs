//! Upgrading and managing a subscription, shared by the API and the pages. Only the server
//! chooses a price: the client names a plan, and the plan names its configured price.

use crate::billing::Payments;
use crate::billing::stripe_client::CheckoutRequest;
use crate::domain::plan::Plan;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::users::User;

/// Identical requests within this window share an idempotency key, so a double click opens one
/// Checkout Session, while a visit an hour later gets a fresh one.
const IDEMPOTENCY_WINDOW_SECS: i64 = 600;

/// A Stripe Checkout URL for a paid plan.
pub async fn checkout(state: &AppState, user: &User, plan: Plan) -> Result<String, AppError> {
    let payments = payments(state)?;
    let Some(price) = payments.price_of(plan) else {
        return Err(AppError::MalformedRequest {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            message: "plan must be \"basic\" or \"pro\"".into(),
        });
    };
    let billing = state.store.billing(user.id).await?;
    let subscribed = billing.stripe_subscription_id.is_some()
        && matches!(billing.status.as_str(), "active" | "trialing" | "past_due");
    if subscribed {
        return Err(AppError::Conflict(
            "you already have a subscription; change or cancel it in the billing portal",
        ));
    }
    let customer = customer(state, payments, user, billing.stripe_customer_id).await?;
    let app_url = state.config.app_url.as_str().trim_end_matches('/');
    let success_url = format!("{app_url}/billing/success?session_id={{CHECKOUT_SESSION_ID}}");
    let cancel_url = format!("{app_url}/plans");
    let user_id = user.id.to_string();
    let window = state.clock.now().unix_timestamp() / IDEMPOTENCY_WINDOW_SECS;
    let key = format!("checkout-{user_id}-{price}-{window}");
    let request = CheckoutRequest {
        customer_id: &customer,
        price_id: price,
        user_id: &user_id,
        success_url: &success_url,
        cancel_url: &cancel_url,
    };
    payments
        .client
        .create_checkout_session(&request, &key)
        .await
        .map_err(AppError::PaymentService)
}

/// A Stripe billing portal URL, for users who have a Stripe customer.
pub async fn portal(state: &AppState, user: &User) -> Result<String, AppError> {
    let payments = payments(state)?;
    let customer = state
        .store
        .billing(user.id)
        .await?
        .stripe_customer_id
        .ok_or(AppError::Conflict(
            "there is no billing account yet: choose a paid plan first",
        ))?;
    let return_url = format!(
        "{}/account",
        state.config.app_url.as_str().trim_end_matches('/')
    );
    let window = state.clock.now().unix_timestamp() / IDEMPOTENCY_WINDOW_SECS;
    payments
        .client
        .create_portal_session(
            &customer,
            &return_url,
            &format!("portal-{customer}-{window}"),
        )
        .await
        .map_err(AppError::PaymentService)
}

fn payments(state: &AppState) -> Result<&Payments, AppError> {
    state
        .payments
        .as_ref()
        .ok_or(AppError::PaymentsNotConfigured)
}

/// The user's Stripe customer, created once. Concurrent first requests share one idempotency
/// key, so Stripe returns the same customer to both.
async fn customer(
    state: &AppState,
    payments: &Payments,
    user: &User,
    existing: Option<String>,
) -> Result<String, AppError> {
    if let Some(customer) = existing {
        return Ok(customer);
    }
    let user_id = user.id.to_string();
    let created = payments
        .client
        .create_customer(
            &user.email,
            &user.name,
            &user_id,
            &format!("customer-{user_id}"),
        )
        .await
        .map_err(AppError::PaymentService)?;
    Ok(state.store.link_customer(user.id, &created).await?)
}
