-- An organisation's own benchmark population for the representativeness
-- measures (category, value, share from 0 to 1, where the figure came from).
-- With none, the built-in England and Wales 2021 Census shares are used.
CREATE TABLE benchmark_shares (
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  category TEXT NOT NULL,
  value TEXT NOT NULL,
  share DOUBLE PRECISION NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  uploaded_at TEXT NOT NULL,
  PRIMARY KEY (organisation_id, category, value)
);
