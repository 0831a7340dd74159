-- Billing state that keeps Stripe's out-of-order, repeated deliveries from undoing newer state.
-- The creation time of the newest Stripe event applied to this row; older events are ignored.
ALTER TABLE subscriptions ADD COLUMN stripe_updated_at DATETIME NULL;
-- The period start of the last paid invoice that reset usage, so a period resets once.
ALTER TABLE subscriptions ADD COLUMN usage_reset_period_start DATETIME NULL;
-- When a payment first failed; past the grace period the plan's allowance falls to free.
ALTER TABLE subscriptions ADD COLUMN past_due_since DATETIME NULL;
