-- The admin console: who administers, which accounts are disabled, when each was last seen, the
-- append-only audit of every administrator's change, and a record of each generation given back
-- (for the "failures given back" statistic). Timestamps are UTC RFC 3339 text to the second.

-- Set only by `fursona admin grant-admin` / `revoke-admin`.
ALTER TABLE users ADD COLUMN admin BOOLEAN NOT NULL DEFAULT FALSE;
-- A disabled account cannot sign in and its tokens and sessions are refused; its data stays.
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
-- Written at most once an hour per account (sign-in or an authenticated request).
ALTER TABLE users ADD COLUMN last_seen_at TEXT NULL;

-- Written in the transaction of each change; nothing in the application updates or deletes it.
-- Ids and emails are copies, not foreign keys, so the record outlives deleted accounts.
CREATE TABLE admin_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- NULL: the command line on the server.
    admin_id BLOB NULL,
    admin_email TEXT NOT NULL,
    action TEXT NOT NULL,
    target_id BLOB NOT NULL,
    target_email TEXT NOT NULL,
    old_value TEXT NULL,
    new_value TEXT NULL,
    created_at TEXT NOT NULL
);

-- One row per generation given back after a failure (or by the stale-reservation settler).
CREATE TABLE generation_releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    released_at TEXT NOT NULL
);
CREATE INDEX generation_releases_at ON generation_releases (released_at);

-- The statistics count generations by day.
CREATE INDEX fursonas_created ON fursonas (created_at);
