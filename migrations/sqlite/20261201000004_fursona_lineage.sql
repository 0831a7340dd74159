-- Make it yours: a re-roll names the fursona it came from (cleared if that one is deleted), and
-- an edit says when it happened.
ALTER TABLE fursonas ADD COLUMN parent_id BLOB NULL REFERENCES fursonas (id) ON DELETE SET NULL;
ALTER TABLE fursonas ADD COLUMN edited_at TEXT NULL;
CREATE INDEX fursonas_parent ON fursonas (parent_id);
