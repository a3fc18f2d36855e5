-- A pool file uploaded and checked, waiting for the person who uploaded it
-- to confirm the import. Kept for an hour at most.
CREATE TABLE pending_imports (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  file_name TEXT NOT NULL,
  id_column TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL,
  created_at TEXT NOT NULL
);
