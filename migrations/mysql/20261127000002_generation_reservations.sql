-- A generation charged to a user's usage but not yet finished. Deleted when the result is stored
-- (or the charge given back); a row that outlives a few minutes means the process died mid-way,
-- and the settler gives the generation back.
CREATE TABLE generation_reservations (
    id BINARY(16) NOT NULL PRIMARY KEY,
    user_id BINARY(16) NOT NULL,
    -- The usage period charged, so a give-back never lands in a later period.
    period_start DATETIME NOT NULL,
    created_at DATETIME NOT NULL,
    INDEX generation_reservations_created (created_at),
    CONSTRAINT generation_reservations_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;
