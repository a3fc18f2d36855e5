-- Messages: what Coproduce tells people, and how each one reached them.
--
-- message_settings holds each organisation's way of sending: a GOV.UK Notify
-- service or an SMTP relay. Passwords and API keys are sealed with the key
-- given to the server (COPRODUCE_SECRET_KEY), never kept in the clear.
CREATE TABLE message_settings (
  organisation_id BIGINT PRIMARY KEY REFERENCES organisations (id),
  backend TEXT NOT NULL DEFAULT '',
  smtp_url TEXT NOT NULL DEFAULT '',
  smtp_from TEXT NOT NULL DEFAULT '',
  smtp_user TEXT NOT NULL DEFAULT '',
  smtp_password_sealed TEXT NOT NULL DEFAULT '',
  notify_url TEXT NOT NULL DEFAULT '',
  notify_key_name TEXT NOT NULL DEFAULT '',
  notify_key_sealed TEXT NOT NULL DEFAULT '',
  notify_email_template TEXT NOT NULL DEFAULT '',
  notify_sms_template TEXT NOT NULL DEFAULT '',
  notify_letter_template TEXT NOT NULL DEFAULT '',
  organisation_daily_limit INTEGER NOT NULL DEFAULT 2000,
  recipient_daily_limit INTEGER NOT NULL DEFAULT 10,
  revision INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);

-- An organisation's own wording of a kind of message, in one version
-- (plain or easy_read). Kinds without a row use the wording Coproduce ships.
CREATE TABLE message_templates (
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  kind TEXT NOT NULL,
  version TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (organisation_id, kind, version)
);

-- One message to one person, one user or one address.
--
-- channel: email, sms, letter or phone (a call for staff to make).
-- status: queued, sending, sent, delivered or failed; a phone message is
-- to_call until staff mark it called, a letter with no postal service to_print
-- until printed. idempotency_key makes queueing the same message twice, or
-- sending it again after a timeout, a no-op; it is also the reference given
-- to GOV.UK Notify, so a message whose sending was cut short is looked up
-- there before it is sent again. day (YYYY-MM-DD) counts the daily limits.
CREATE TABLE messages (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT 'plain',
  large_print INTEGER NOT NULL DEFAULT 0,
  person_id BIGINT,
  user_id BIGINT,
  recipient TEXT NOT NULL,
  recipient_name TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  secret INTEGER NOT NULL DEFAULT 0,
  about_type TEXT NOT NULL DEFAULT '',
  about_id BIGINT NOT NULL DEFAULT 0,
  idempotency_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  in_doubt INTEGER NOT NULL DEFAULT 0,
  claimed_by TEXT NOT NULL DEFAULT '',
  claimed_at TEXT,
  backend TEXT NOT NULL DEFAULT '',
  provider_id TEXT NOT NULL DEFAULT '',
  day TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  delivered_at TEXT,
  checked_at TEXT
);
CREATE INDEX messages_due ON messages (status, next_attempt_at, id);

-- What each organisation has sent each day (UTC), in all (recipient '') and
-- to each recipient (a digest of the address, so the count names nobody),
-- for the daily limits.
CREATE TABLE message_counts (
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  day TEXT NOT NULL,
  recipient TEXT NOT NULL,
  sent INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (organisation_id, day, recipient)
);
CREATE INDEX messages_about ON messages (organisation_id, about_type, about_id);
CREATE INDEX messages_person ON messages (person_id);

-- A person's own link to answer the offer of a place on a group, sent after
-- a fair draw: they need no account. Stored as a digest, used once.
CREATE TABLE offer_links (
  token_hash TEXT PRIMARY KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  group_id BIGINT NOT NULL REFERENCES groups (id),
  person_id BIGINT NOT NULL REFERENCES people (id),
  round_id BIGINT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX offer_links_member ON offer_links (group_id, person_id);

-- A survey invitation's link of the person's own: it counts who started
-- from an invitation, and keeps no link to the person or to their answers.
CREATE TABLE survey_invitations (
  token_hash TEXT PRIMARY KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  survey_id BIGINT NOT NULL REFERENCES surveys (id),
  created_at TEXT NOT NULL,
  started_at TEXT
);
CREATE INDEX survey_invitations_survey ON survey_invitations (survey_id);
