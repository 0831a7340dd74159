-- Public share links: a random slug grants read access to one fursona until revoked (deleted).
CREATE TABLE shares (
    slug TEXT NOT NULL PRIMARY KEY,
    fursona_id BLOB NOT NULL UNIQUE REFERENCES fursonas (id) ON DELETE CASCADE,
    -- The owner's choices when sharing: show the uploaded photo, let search engines index it.
    include_photo BOOLEAN NOT NULL,
    discoverable BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
