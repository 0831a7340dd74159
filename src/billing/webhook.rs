//! What a verified Stripe event means for us. State is taken from the object in the event (the
//! subscription's status, price and period), not from the order events arrive in.

use stripe_webhook::{Event, EventObject};
use time::OffsetDateTime;

use super::Payments;
use crate::domain::account::UserId;
use crate::store::billing::Effect;

pub fn effect(event: &Event, payments: Option<&Payments>) -> Effect {
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
            Effect::Subscription {
                customer: subscription.customer.id().to_string(),
                subscription: subscription.id.to_string(),
                plan,
                status: subscription.status.as_str().to_owned(),
                period_start: timestamp(item.current_period_start),
                period_end: timestamp(item.current_period_end),
                cancel_at_period_end: subscription.cancel_at_period_end,
            }
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
