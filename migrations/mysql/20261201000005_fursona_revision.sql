-- Counts a fursona's edits: with its id, the revision names its content exactly (edited_at has
-- whole seconds), so what was rendered from one revision can be kept and sent again.
ALTER TABLE fursonas ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
