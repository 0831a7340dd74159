-- Make it yours: a re-roll names the fursona it came from (cleared if that one is deleted), and
-- an edit says when it happened.
ALTER TABLE fursonas
    ADD COLUMN parent_id BINARY(16) NULL,
    ADD COLUMN edited_at DATETIME NULL,
    ADD CONSTRAINT fursonas_parent_fk FOREIGN KEY (parent_id) REFERENCES fursonas (id) ON DELETE SET NULL;
