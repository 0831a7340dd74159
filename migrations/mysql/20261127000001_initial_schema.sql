-- The data model of DESIGN section 2. Timestamps are UTC, stored to the second.
-- Ids are UUIDv7 in 16 bytes: unguessable, and ordered by creation time.

CREATE TABLE users (
    id BINARY(16) NOT NULL PRIMARY KEY,
    email VARCHAR(254) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    name VARCHAR(100) NOT NULL,
    created_at DATETIME NOT NULL,
    -- API tokens issued before this instant are refused (logout, password change).
    tokens_valid_after DATETIME NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE subscriptions (
    user_id BINARY(16) NOT NULL PRIMARY KEY,
    plan VARCHAR(16) NOT NULL,
    status VARCHAR(32) NOT NULL,
    generations_used INT NOT NULL DEFAULT 0,
    -- NULL means unlimited.
    generations_limit INT NULL,
    current_period_start DATETIME NOT NULL,
    current_period_end DATETIME NOT NULL,
    cancel_at_period_end BOOLEAN NOT NULL DEFAULT FALSE,
    stripe_customer_id VARCHAR(255) NULL,
    stripe_subscription_id VARCHAR(255) NULL,
    updated_at DATETIME NOT NULL,
    CONSTRAINT subscriptions_plan_check CHECK (plan IN ('free', 'basic', 'pro')),
    CONSTRAINT subscriptions_used_check CHECK (generations_used >= 0),
    CONSTRAINT subscriptions_customer_unique UNIQUE (stripe_customer_id),
    CONSTRAINT subscriptions_subscription_unique UNIQUE (stripe_subscription_id),
    CONSTRAINT subscriptions_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE fursonas (
    id BINARY(16) NOT NULL PRIMARY KEY,
    user_id BINARY(16) NOT NULL,
    -- The structured result (name, species, palette, ...), validated before it is stored.
    data LONGTEXT NOT NULL CHECK (JSON_VALID(data)),
    description TEXT NOT NULL,
    engine VARCHAR(32) NOT NULL,
    model VARCHAR(128) NOT NULL,
    tokens_used INT NULL,
    -- The re-encoded photo without metadata, and its real content type.
    image MEDIUMBLOB NOT NULL,
    image_type VARCHAR(32) NOT NULL,
    created_at DATETIME NOT NULL,
    INDEX fursonas_user_newest (user_id, id),
    CONSTRAINT fursonas_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE payment_history (
    id BINARY(16) NOT NULL PRIMARY KEY,
    user_id BINARY(16) NOT NULL,
    -- Minor units (cents) in the currency below.
    amount BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    status VARCHAR(32) NOT NULL,
    stripe_invoice_id VARCHAR(255) NULL,
    created_at DATETIME NOT NULL,
    INDEX payment_history_user (user_id, created_at),
    CONSTRAINT payment_history_invoice_status_unique UNIQUE (stripe_invoice_id, status),
    CONSTRAINT payment_history_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row per Stripe event applied; inserted in the same transaction as the event's effect.
CREATE TABLE stripe_events (
    id VARCHAR(255) NOT NULL PRIMARY KEY,
    event_type VARCHAR(100) NOT NULL,
    processed_at DATETIME NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The page sessions, in the layout tower-sessions-sqlx-store reads and writes.
CREATE TABLE sessions (
    id CHAR(22) NOT NULL PRIMARY KEY,
    data BLOB NOT NULL,
    expiry_date TIMESTAMP(6) NOT NULL,
    INDEX sessions_expiry (expiry_date)
) ENGINE = InnoDB;
