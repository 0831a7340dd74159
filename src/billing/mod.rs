//! Payments through Stripe: the outbound client (customers, Checkout, the billing portal) and the
//! inbound webhook events turned into effects on our data. The plan always comes from the price
//! that was paid, never from anything a browser sends.

pub mod stripe_client;
pub mod webhook;

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::domain::plan::Plan;
use stripe_client::{StripeClient, StripeError};

#[derive(Debug, Clone)]
pub struct BillingConfig {
    /// `None`: payments are not configured.
    pub stripe: Option<StripeConfig>,
    /// `None`: the webhook endpoint refuses every event.
    pub webhook_secret: Option<SecretString>,
    pub past_due_grace: Duration,
}

#[derive(Debug, Clone)]
pub struct StripeConfig {
    pub secret_key: SecretString,
    pub price_basic: String,
    pub price_pro: String,
    /// `None`: Stripe's own API.
    pub api_base: Option<String>,
}

/// Stripe, when configured: the client and the price of each paid plan.
#[derive(Clone, Debug)]
pub struct Payments {
    pub client: StripeClient,
    price_basic: String,
    price_pro: String,
}

impl Payments {
    pub fn new(config: &StripeConfig) -> Result<Self, StripeError> {
        Ok(Payments {
            client: StripeClient::new(
                config.secret_key.expose_secret(),
                config.api_base.as_deref(),
            )?,
            price_basic: config.price_basic.clone(),
            price_pro: config.price_pro.clone(),
        })
    }

    /// The configured price of a paid plan; the free plan has none.
    pub fn price_of(&self, plan: Plan) -> Option<&str> {
        match plan {
            Plan::Free => None,
            Plan::Basic => Some(&self.price_basic),
            Plan::Pro => Some(&self.price_pro),
        }
    }

    /// The plan a Stripe price pays for, if it is one of ours.
    pub fn plan_of_price(&self, price: &str) -> Option<Plan> {
        [Plan::Basic, Plan::Pro]
            .into_iter()
            .find(|plan| self.price_of(*plan) == Some(price))
    }
}
