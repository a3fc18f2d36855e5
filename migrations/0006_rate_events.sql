-- Events counted for rate limits on public forms, keyed by a digest (never
-- the network address itself) and swept as they age out.
CREATE TABLE rate_events (
  id ID_PRIMARY_KEY,
  rate_key TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX rate_events_key ON rate_events (rate_key, at);
