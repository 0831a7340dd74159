//! Upgrading and managing a subscription, shared by the API and the pages, and Stripe's events
//! coming back. Only the server chooses a price: the client names a plan, and the plan names its
//! configured price.

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::billing::Payments;
use crate::billing::stripe_client::CheckoutRequest;
use crate::billing::webhook::{self, Rejected, Verified};
use crate::domain::billing::Effect;
use crate::domain::billing::keeps_paid_plan;
use crate::domain::plan::Plan;
use crate::domain::usage::UsageClock;
use crate::error::AppError;
use crate::store::Store;
use crate::store::billing::Applied;
use crate::store::users::User;

#[derive(Clone)]
pub struct Subscriptions {
    pub store: Store,
    /// `None`: payments are not configured.
    pub payments: Option<Payments>,
    /// `None`: every event is refused.
    pub webhook_secret: Option<SecretString>,
    /// Where Stripe sends the customer back to.
    pub app_url: Url,
    pub clock: UsageClock,
    /// Email is on: paid invoices, failed payments and ended plans are mailed, once per event.
    pub mail_enabled: bool,
}

/// A Stripe event that was accepted.
pub struct Received {
    pub id: String,
    pub kind: String,
    pub applied: Applied,
}

/// Identical requests within this window share an idempotency key, so a double click opens one
/// Checkout Session, while a visit an hour later gets a fresh one.
const IDEMPOTENCY_WINDOW_SECS: i64 = 600;

impl Subscriptions {
    pub fn payments_enabled(&self) -> bool {
        self.payments.is_some()
    }

    /// A Stripe Checkout URL for a paid plan.
    pub async fn checkout(&self, user: &User, plan: Plan) -> Result<String, AppError> {
        let payments = self.payments()?;
        let Some(price) = payments.price_of(plan) else {
            return Err(AppError::InvalidChoice("plan must be \"basic\" or \"pro\""));
        };
        let billing = self.store.billing(user.id).await?;
        let subscribed =
            billing.stripe_subscription_id.is_some() && keeps_paid_plan(&billing.status);
        if subscribed {
            return Err(AppError::Conflict(
                "you already have a subscription; change or cancel it in the billing portal",
            ));
        }
        let customer = self
            .customer(payments, user, billing.stripe_customer_id)
            .await?;
        let app_url = self.app_url.as_str().trim_end_matches('/');
        let success_url = format!("{app_url}/billing/success?session_id={{CHECKOUT_SESSION_ID}}");
        let cancel_url = format!("{app_url}/plans");
        let user_id = user.id.to_string();
        let window = self.clock.now().unix_timestamp() / IDEMPOTENCY_WINDOW_SECS;
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
    pub async fn portal(&self, user: &User) -> Result<String, AppError> {
        let payments = self.payments()?;
        let customer = self
            .store
            .billing(user.id)
            .await?
            .stripe_customer_id
            .ok_or(AppError::Conflict(
                "there is no billing account yet: choose a paid plan first",
            ))?;
        let return_url = format!("{}/account", self.app_url.as_str().trim_end_matches('/'));
        let window = self.clock.now().unix_timestamp() / IDEMPOTENCY_WINDOW_SECS;
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

    fn payments(&self) -> Result<&Payments, AppError> {
        self.payments
            .as_ref()
            .ok_or(AppError::PaymentsNotConfigured)
    }

    /// The user's Stripe customer, created once. Concurrent first requests share one idempotency
    /// key, so Stripe returns the same customer to both.
    async fn customer(
        &self,
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
        Ok(self.store.link_customer(user.id, &created).await?)
    }

    /// Verifies a Stripe event (`signature` is its `Stripe-Signature` header) and applies it once.
    pub async fn receive(&self, body: &str, signature: Option<&str>) -> Result<Received, AppError> {
        let secret = self
            .webhook_secret
            .as_ref()
            .ok_or(AppError::PaymentsNotConfigured)?;
        let signature = signature.ok_or(AppError::InvalidSignature)?;
        let verified =
            webhook::verify(body, signature, secret.expose_secret()).map_err(|e| match e {
                Rejected::Signature => AppError::InvalidSignature,
                Rejected::Unreadable(_) => AppError::UnreadableEvent(e.to_string()),
            })?;
        let now = self.clock.now();
        let (id, kind, created, effect) = match verified {
            Verified::Event(event) => (
                event.id.to_string(),
                event.type_.as_str().to_owned(),
                event.created,
                webhook::effect(&event, self.payments.as_ref(), now),
            ),
            Verified::Ignored(envelope) => {
                (envelope.id, envelope.kind, envelope.created, Effect::None)
            }
        };
        let applied = self
            .store
            .apply_stripe_event(
                &id,
                &kind,
                webhook::timestamp(created),
                &effect,
                now,
                self.mail_enabled,
            )
            .await?;
        Ok(Received { id, kind, applied })
    }
}
