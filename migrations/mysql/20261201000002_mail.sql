-- Mail: the outbox, one-time tokens (password reset, address verification, address change) and
-- when an address was verified. Timestamps are UTC, stored to the second.

-- NULL until the owner opened a verification (or address change) link.
ALTER TABLE users ADD COLUMN email_verified_at DATETIME NULL;

-- A link mailed to a user: only the SHA-256 of its random token is kept. Used once (used_at),
-- void past expires_at, and void once a newer one of the same purpose is issued.
CREATE TABLE one_time_tokens (
    id BINARY(16) NOT NULL PRIMARY KEY,
    purpose VARCHAR(16) NOT NULL,
    user_id BINARY(16) NOT NULL,
    token_hash CHAR(64) NOT NULL,
    -- The address an email_change token moves the account to.
    new_email VARCHAR(254) NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at DATETIME NULL,
    CONSTRAINT one_time_tokens_purpose_check CHECK (purpose IN ('reset', 'verify', 'email_change')),
    CONSTRAINT one_time_tokens_hash_unique UNIQUE (token_hash),
    INDEX one_time_tokens_user (user_id, purpose),
    CONSTRAINT one_time_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Mail to send, written in the transaction of its cause and sent by the outbox task. A row is
-- claimed (claimed_until) before it is sent, so two instances never send it twice; once sent,
-- its data (which may hold a link) is emptied.
CREATE TABLE outbox (
    id BINARY(16) NOT NULL PRIMARY KEY,
    recipient VARCHAR(254) NOT NULL,
    template VARCHAR(32) NOT NULL,
    data LONGTEXT NOT NULL CHECK (JSON_VALID(data)),
    attempts INT NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    next_attempt_at DATETIME NOT NULL,
    claimed_until DATETIME NULL,
    last_error VARCHAR(1000) NULL,
    sent_at DATETIME NULL,
    failed_at DATETIME NULL,
    -- The Stripe event that caused it: one mail per event, however often it is delivered.
    stripe_event_id VARCHAR(255) NULL,
    CONSTRAINT outbox_stripe_event_unique UNIQUE (stripe_event_id),
    INDEX outbox_due (sent_at, failed_at, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
