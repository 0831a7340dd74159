//! Stripe's events: verified against the raw body, then read for what they mean to us. State is
//! taken from the object in the event (the subscription's status, price and period), not from
//! the order events arrive in; the billing rules decide the rest.

use stripe_webhook::{Event, EventObject, Webhook, WebhookError};
use time::OffsetDateTime;

use super::Payments;
use crate::domain::account::UserId;
use crate::domain::billing::{Effect, SubscriptionUpdate};

/// Why an event was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum Rejected {
    #[error("the Stripe signature is missing, invalid or too old")]
    Signature,
    #[error("the event could not be read: {0}")]
    Unreadable(String),
}

/// The event types this app acts on; every other verified event is only acknowledged.
pub const ACTED_ON: &[&str] = &[
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
];

/// A verified event: read into its typed object, or, for a type the app does not act on, just
/// its envelope (its object may have any shape, for any API version).
pub enum Verified {
    Event(Box<Event>),
    Ignored(Envelope),
}

#[derive(serde::Deserialize)]
pub struct Envelope {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created: i64,
}

/// The event, if `signature` (the `Stripe-Signature` header) signs `body` with `secret` and is
/// recent (Stripe's five-minute tolerance).
pub fn verify(body: &str, signature: &str, secret: &str) -> Result<Verified, Rejected> {
    match Webhook::construct_event(body, signature, secret) {
        Ok(event) => Ok(Verified::Event(Box::new(event))),
        // The library reads the object only after checking the signature and its age, so the
        // event is genuine; one whose type we ignore is acknowledged whatever its object holds,
        // or Stripe would retry it for days and then disable the endpoint.
        Err(WebhookError::BadParse(reason)) => match serde_json::from_str::<Envelope>(body) {
            Ok(envelope) if !ACTED_ON.contains(&envelope.kind.as_str()) => {
                Ok(Verified::Ignored(envelope))
            }
            _ => Err(Rejected::Unreadable(reason)),
        },
        Err(_) => Err(Rejected::Signature),
    }
}

/// What `event` does to our data, judged at `now` (an ended subscription's free periods start
/// from it).
pub fn effect(event: &Event, payments: Option<&Payments>, now: OffsetDateTime) -> Effect {
    match &event.data.object {
        EventObject::CheckoutSessionCompleted(session) => {
            let user = session
                .client_reference_id
                .as_deref()
                .and_then(|id| uuid::Uuid::parse_str(id).ok())
                .map(UserId);
            let customer = session.customer.as_ref().map(|c| c.id().to_string());
            let subscription = session.subscription.as_ref().map(|s| s.id().to_string());
            match (user, customer) {
                (Some(user), Some(customer)) => Effect::LinkCheckout {
                    user,
                    customer,
                    subscription,
                },
                _ => {
                    tracing::warn!(event = %event.id, "checkout session without our user or a customer");
                    Effect::None
                }
            }
        }
        EventObject::CustomerSubscriptionCreated(subscription)
        | EventObject::CustomerSubscriptionUpdated(subscription) => {
            let Some(item) = subscription.items.data.first() else {
                tracing::warn!(event = %event.id, "subscription without items");
                return Effect::None;
            };
            let price = item.price.id.as_str();
            let plan = payments.and_then(|p| p.plan_of_price(price));
            if plan.is_none() {
                tracing::warn!(event = %event.id, price, "subscription for an unknown price: plan left alone");
            }
            let update = SubscriptionUpdate {
                customer: subscription.customer.id().to_string(),
                subscription: subscription.id.to_string(),
                plan,
                status: subscription.status.as_str().to_owned(),
                period_start: timestamp(item.current_period_start),
                period_end: timestamp(item.current_period_end),
                cancel_at_period_end: subscription.cancel_at_period_end,
            };
            Effect::Subscription(update.decide(now))
        }
        EventObject::CustomerSubscriptionDeleted(subscription) => Effect::SubscriptionEnded {
            customer: subscription.customer.id().to_string(),
            subscription: subscription.id.to_string(),
        },
        EventObject::InvoicePaid(invoice) => match invoice_parts(invoice) {
            Some((customer, id)) => Effect::InvoicePaid {
                customer,
                invoice: id,
                amount: invoice.amount_paid,
                currency: invoice.currency.to_string(),
                // The period the invoice pays for, when it pays for a subscription.
                period_start: invoice
                    .parent
                    .as_ref()
                    .and_then(|p| p.subscription_details.as_ref())
                    .and(invoice.lines.data.first())
                    .map(|line| timestamp(line.period.start)),
            },
            None => Effect::None,
        },
        EventObject::InvoicePaymentFailed(invoice) => match invoice_parts(invoice) {
            Some((customer, id)) => Effect::PaymentFailed {
                customer,
                invoice: id,
                amount: invoice.amount_due,
                currency: invoice.currency.to_string(),
            },
            None => Effect::None,
        },
        _ => Effect::None,
    }
}

fn invoice_parts(invoice: &stripe_shared::Invoice) -> Option<(String, String)> {
    let customer = invoice.customer.as_ref()?.id().to_string();
    let id = invoice.id.as_ref()?.to_string();
    Some((customer, id))
}

pub fn timestamp(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::StripeConfig;
    use crate::domain::billing::SubscriptionState;
    use crate::domain::plan::Plan;
    use secrecy::SecretString;
    use serde_json::{Value, json};

    const SECRET: &str = "whsec_unit_test";
    const NOW: i64 = 1_800_000_000;

    fn fixture(name: &str) -> Value {
        let text = match name {
            "event" => include_str!("../../tests/fixtures/stripe/event.json"),
            "subscription" => include_str!("../../tests/fixtures/stripe/subscription.json"),
            "checkout_session" => {
                include_str!("../../tests/fixtures/stripe/checkout_session.json")
            }
            _ => include_str!("../../tests/fixtures/stripe/invoice.json"),
        };
        serde_json::from_str(text).expect("fixture JSON")
    }

    fn payments() -> Payments {
        Payments::new(&StripeConfig {
            secret_key: SecretString::from("sk_test_unit"),
            price_basic: "price_basic".into(),
            price_pro: "price_pro".into(),
            api_base: None,
        })
        .expect("client")
    }

    /// Stripe's example event about `object`, signed, and read back through [`verify`].
    fn received(kind: &str, object: Value) -> Event {
        let mut event = fixture("event");
        event["id"] = json!("evt_unit");
        event["type"] = json!(kind);
        event["created"] = json!(NOW);
        event["data"] = json!({ "object": object });
        let body = event.to_string();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let signature = Webhook::generate_test_header(&body, SECRET, Some(now));
        match verify(&body, &signature, SECRET).expect("a signed event verifies") {
            Verified::Event(event) => *event,
            Verified::Ignored(envelope) => panic!("{} was not read", envelope.kind),
        }
    }

    fn subscription(price: &str, status: &str) -> Value {
        let mut sub = fixture("subscription");
        sub["id"] = json!("sub_unit");
        sub["customer"] = json!("cus_unit");
        sub["status"] = json!(status);
        sub["cancel_at_period_end"] = json!(false);
        let item = &mut sub["items"]["data"][0];
        item["price"]["id"] = json!(price);
        item["current_period_start"] = json!(NOW - 86_400);
        item["current_period_end"] = json!(NOW + 29 * 86_400);
        sub
    }

    fn subscription_effect(price: &str, status: &str) -> SubscriptionState {
        let event = received("customer.subscription.updated", subscription(price, status));
        match effect(&event, Some(&payments()), timestamp(NOW)) {
            Effect::Subscription(state) => state,
            other => panic!("expected a subscription effect, got {other:?}"),
        }
    }

    #[test]
    fn a_live_subscription_takes_the_plan_of_its_price() {
        let state = subscription_effect("price_pro", "active");
        assert_eq!(state.plan, Some(Plan::Pro));
        assert_eq!(state.customer, "cus_unit");
        assert_eq!(state.subscription.as_deref(), Some("sub_unit"));
        assert_eq!(state.period_end, timestamp(NOW + 29 * 86_400));
    }

    #[test]
    fn an_ended_subscription_means_the_free_plan() {
        let state = subscription_effect("price_pro", "canceled");
        assert_eq!(state.plan, Some(Plan::Free));
        assert_eq!(state.subscription, None);
    }

    #[test]
    fn an_unknown_price_leaves_the_plan_alone() {
        assert_eq!(
            subscription_effect("price_someone_else", "active").plan,
            None
        );
    }

    #[test]
    fn a_completed_checkout_links_our_user_to_the_customer() {
        let user = UserId::new();
        let mut session = fixture("checkout_session");
        session["client_reference_id"] = json!(user.to_string());
        session["customer"] = json!("cus_unit");
        session["subscription"] = json!("sub_unit");
        let event = received("checkout.session.completed", session.clone());
        assert_eq!(
            effect(&event, None, timestamp(NOW)),
            Effect::LinkCheckout {
                user,
                customer: "cus_unit".into(),
                subscription: Some("sub_unit".into()),
            }
        );
        session["client_reference_id"] = Value::Null;
        let anonymous = received("checkout.session.completed", session);
        assert_eq!(effect(&anonymous, None, timestamp(NOW)), Effect::None);
    }

    #[test]
    fn a_failed_payment_records_the_amount_due() {
        let mut invoice = fixture("invoice");
        invoice["customer"] = json!("cus_unit");
        let event = received("invoice.payment_failed", invoice);
        assert_eq!(
            effect(&event, None, timestamp(NOW)),
            Effect::PaymentFailed {
                customer: "cus_unit".into(),
                invoice: "in_1Pgc6tB7WZ01zgkWu9fdqL6I".into(),
                amount: 1000,
                currency: "usd".into(),
            }
        );
    }

    #[test]
    fn an_event_we_do_not_act_on_is_acknowledged_whatever_its_object() {
        let body = json!({
            "id": "evt_dispute", "object": "event", "type": "charge.dispute.funds_reinstated",
            "created": NOW, "api_version": "2019-01-01", "livemode": false, "pending_webhooks": 1,
            "request": null, "data": {"object": {"odd": "shape"}}
        })
        .to_string();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let signature = Webhook::generate_test_header(&body, SECRET, Some(now));
        match verify(&body, &signature, SECRET) {
            Ok(Verified::Ignored(envelope)) => assert_eq!(envelope.id, "evt_dispute"),
            _ => panic!("an ignored type is acknowledged"),
        }
        let mut broken: Value = serde_json::from_str(&body).expect("json");
        broken["type"] = json!("invoice.paid");
        let broken = broken.to_string();
        let signature = Webhook::generate_test_header(&broken, SECRET, Some(now));
        assert!(matches!(
            verify(&broken, &signature, SECRET),
            Err(Rejected::Unreadable(_))
        ));
    }

    #[test]
    fn a_changed_body_or_another_secret_is_refused() {
        let body = r#"{"id":"evt_1"}"#;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let signature = Webhook::generate_test_header(body, SECRET, Some(now));
        assert!(matches!(
            verify(r#"{"id":"evt_2"}"#, &signature, SECRET),
            Err(Rejected::Signature)
        ));
        assert!(matches!(
            verify(body, &signature, "whsec_other"),
            Err(Rejected::Signature)
        ));
    }
}
