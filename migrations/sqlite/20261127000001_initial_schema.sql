-- The data model of DESIGN section 2. Timestamps are UTC RFC 3339 text to the second, so they
-- compare correctly as strings. Ids are UUIDv7 in 16-byte blobs.

CREATE TABLE users (
    id BLOB NOT NULL PRIMARY KEY,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- API tokens issued before this instant are refused (logout, password change).
    tokens_valid_after TEXT NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email)
);

CREATE TABLE subscriptions (
    user_id BLOB NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    plan TEXT NOT NULL CHECK (plan IN ('free', 'basic', 'pro')),
    status TEXT NOT NULL,
    generations_used INTEGER NOT NULL DEFAULT 0 CHECK (generations_used >= 0),
    -- NULL means unlimited.
    generations_limit INTEGER NULL,
    current_period_start TEXT NOT NULL,
    current_period_end TEXT NOT NULL,
    cancel_at_period_end BOOLEAN NOT NULL DEFAULT FALSE,
    stripe_customer_id TEXT NULL UNIQUE,
    stripe_subscription_id TEXT NULL UNIQUE,
    updated_at TEXT NOT NULL
);

CREATE TABLE fursonas (
    id BLOB NOT NULL PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The structured result (name, species, palette, ...), validated before it is stored.
    data TEXT NOT NULL CHECK (json_valid(data)),
    description TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    tokens_used INTEGER NULL,
    -- The re-encoded photo without metadata, and its real content type.
    image BLOB NOT NULL,
    image_type TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX fursonas_user_newest ON fursonas (user_id, id);

CREATE TABLE payment_history (
    id BLOB NOT NULL PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Minor units (cents) in the currency below.
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    stripe_invoice_id TEXT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT payment_history_invoice_status_unique UNIQUE (stripe_invoice_id, status)
);
CREATE INDEX payment_history_user ON payment_history (user_id, created_at);

-- One row per Stripe event applied; inserted in the same transaction as the event's effect.
CREATE TABLE stripe_events (
    id TEXT NOT NULL PRIMARY KEY,
    event_type TEXT NOT NULL,
    processed_at TEXT NOT NULL
);

-- The page sessions, in the layout tower-sessions-sqlx-store reads and writes.
CREATE TABLE sessions (
    id TEXT NOT NULL PRIMARY KEY,
    data BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_date);
