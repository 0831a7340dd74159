-- Mail: the outbox, one-time tokens (password reset, address verification, address change) and
-- when an address was verified. Timestamps are UTC RFC 3339 text to the second.

-- NULL until the owner opened a verification (or address change) link.
ALTER TABLE users ADD COLUMN email_verified_at TEXT NULL;

-- A link mailed to a user: only the SHA-256 of its random token is kept. Used once (used_at),
-- void past expires_at, and void once a newer one of the same purpose is issued.
CREATE TABLE one_time_tokens (
    id BLOB NOT NULL PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'verify', 'email_change')),
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    -- The address an email_change token moves the account to.
    new_email TEXT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT NULL,
    CONSTRAINT one_time_tokens_hash_unique UNIQUE (token_hash)
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);

-- Mail to send, written in the transaction of its cause and sent by the outbox task. A row is
-- claimed (claimed_until) before it is sent, so two instances never send it twice; once sent,
-- its data (which may hold a link) is emptied.
CREATE TABLE outbox (
    id BLOB NOT NULL PRIMARY KEY,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data)),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claimed_until TEXT NULL,
    last_error TEXT NULL,
    sent_at TEXT NULL,
    failed_at TEXT NULL,
    -- The Stripe event that caused it: one mail per event, however often it is delivered.
    stripe_event_id TEXT NULL,
    CONSTRAINT outbox_stripe_event_unique UNIQUE (stripe_event_id)
);
CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_attempt_at);
