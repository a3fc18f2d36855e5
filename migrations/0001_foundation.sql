-- The foundation: organisations, accounts, sessions, tokens, invitations,
-- sign-in throttling and the audit log. Portable SQL: ID_PRIMARY_KEY is
-- replaced per engine; timestamps are UTC text that sorts in time order.

CREATE TABLE organisations (
  id ID_PRIMARY_KEY,
  name TEXT NOT NULL UNIQUE,
  fictional INTEGER NOT NULL DEFAULT 0,
  created_by_organisation_id BIGINT REFERENCES organisations (id),
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  password_hash TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id ID_PRIMARY_KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE invitations (
  id ID_PRIMARY_KEY,
  token_hash TEXT NOT NULL UNIQUE,
  purpose TEXT NOT NULL,
  organisation_id BIGINT REFERENCES organisations (id),
  email TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

CREATE TABLE sign_in_failures (
  id ID_PRIMARY_KEY,
  throttle_key TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (throttle_key, at);

CREATE TABLE audit_log (
  id ID_PRIMARY_KEY,
  at TEXT NOT NULL,
  organisation_id BIGINT REFERENCES organisations (id),
  actor_user_id BIGINT REFERENCES users (id),
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL DEFAULT '',
  subject_id TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, at);
