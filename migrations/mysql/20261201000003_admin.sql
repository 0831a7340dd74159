-- The admin console: who administers, which accounts are disabled, when each was last seen, the
-- append-only audit of every administrator's change, and a record of each generation given back
-- (for the "failures given back" statistic). Timestamps are UTC, stored to the second.

ALTER TABLE users
    -- Set only by `fursona admin grant-admin` / `revoke-admin`.
    ADD COLUMN admin BOOLEAN NOT NULL DEFAULT FALSE,
    -- A disabled account cannot sign in and its tokens and sessions are refused; its data stays.
    ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE,
    -- Written at most once an hour per account (sign-in or an authenticated request).
    ADD COLUMN last_seen_at DATETIME NULL;

-- Written in the transaction of each change; nothing in the application updates or deletes it.
-- Ids and emails are copies, not foreign keys, so the record outlives deleted accounts.
CREATE TABLE admin_audit (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    -- NULL: the command line on the server.
    admin_id BINARY(16) NULL,
    admin_email VARCHAR(254) NOT NULL,
    action VARCHAR(32) NOT NULL,
    target_id BINARY(16) NOT NULL,
    target_email VARCHAR(254) NOT NULL,
    old_value VARCHAR(200) NULL,
    new_value VARCHAR(200) NULL,
    created_at DATETIME NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row per generation given back after a failure (or by the stale-reservation settler).
CREATE TABLE generation_releases (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    released_at DATETIME NOT NULL,
    INDEX generation_releases_at (released_at)
) ENGINE = InnoDB;

-- The statistics count generations by day.
CREATE INDEX fursonas_created ON fursonas (created_at);
