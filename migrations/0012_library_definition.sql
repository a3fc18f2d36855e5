-- The organisation's adopted definition of co-production, each version kept
-- with its date. principles holds the four principles' texts as JSON
-- ({"equality": "...", ...}). With no row, the built-in default applies.
CREATE TABLE library_definitions (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  text TEXT NOT NULL,
  easy_read TEXT NOT NULL,
  principles TEXT NOT NULL,
  adopted_at TEXT NOT NULL,
  adopted_by BIGINT REFERENCES users (id)
);
CREATE INDEX library_definitions_organisation ON library_definitions (organisation_id, adopted_at);
