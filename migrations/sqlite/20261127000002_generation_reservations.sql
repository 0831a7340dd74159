-- A generation charged to a user's usage but not yet finished. Deleted when the result is stored
-- (or the charge given back); a row that outlives a few minutes means the process died mid-way,
-- and the settler gives the generation back.
CREATE TABLE generation_reservations (
    id BLOB NOT NULL PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The usage period charged, so a give-back never lands in a later period.
    period_start TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX generation_reservations_created ON generation_reservations (created_at);
