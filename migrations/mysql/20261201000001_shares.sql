-- Public share links: a random slug grants read access to one fursona until revoked (deleted).
CREATE TABLE shares (
    slug VARCHAR(64) NOT NULL PRIMARY KEY,
    fursona_id BINARY(16) NOT NULL,
    -- The owner's choices when sharing: show the uploaded photo, let search engines index it.
    include_photo BOOLEAN NOT NULL,
    discoverable BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL,
    CONSTRAINT shares_one_per_fursona UNIQUE (fursona_id),
    CONSTRAINT shares_fursona_fk FOREIGN KEY (fursona_id) REFERENCES fursonas (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
