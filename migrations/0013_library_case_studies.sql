-- The library of co-production examples: case studies (the organisation's
-- own and those read from other organisations' feeds), reviews of a story
-- by a participant who took part, and the feeds an organisation reads.
--
-- *_at columns are UTC timestamps. The full-text index over case studies
-- is kept by the store (SQLite FTS5), not here: it is engine-specific.

-- A feed of another organisation's case studies that this organisation
-- reads. last_error is '' after a good fetch, else what went wrong in words.
CREATE TABLE library_subscriptions (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  url TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  last_fetched_at TEXT,
  last_success_at TEXT,
  last_error TEXT NOT NULL DEFAULT '',
  items INTEGER NOT NULL DEFAULT 0,
  UNIQUE (organisation_id, url)
);

-- content holds the case study as the API writes it (library/case_study.h),
-- consent records included for the organisation's own; the columns beside
-- it are copies for listing and filtering. status: draft, in_review,
-- published, withdrawn. For a case study read from a feed,
-- subscription_id, source_item_id, source_url (its page on the other
-- site) and source_organisation are set; content_html is the sanitised
-- HTML when the feed had no structured story. group_id: the group it was
-- drafted from, if any. reviewers: for one read from a feed, the names of
-- the reviewers the other organisation credits, one per line (an
-- organisation's own credits come from library_reviews).
CREATE TABLE library_case_studies (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  status TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  setting TEXT NOT NULL DEFAULT '',
  rung TEXT NOT NULL DEFAULT '',
  area_of_care TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL,
  content_html TEXT NOT NULL DEFAULT '',
  group_id BIGINT REFERENCES groups (id),
  subscription_id BIGINT REFERENCES library_subscriptions (id),
  source_item_id TEXT,
  source_url TEXT,
  source_organisation TEXT NOT NULL DEFAULT '',
  reviewers TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT,
  withdrawn_at TEXT,
  UNIQUE (subscription_id, source_item_id)
);
CREATE INDEX library_case_studies_organisation ON library_case_studies (organisation_id, status, published_at);

-- One row per principle a case study shows, for filters and their counts.
CREATE TABLE library_case_study_principles (
  case_study_id BIGINT NOT NULL REFERENCES library_case_studies (id),
  principle TEXT NOT NULL,
  PRIMARY KEY (case_study_id, principle)
);
CREATE INDEX library_case_study_principles_principle ON library_case_study_principles (principle);

-- What search reads of each case study, narrow so that one pass over a
-- whole library reads little: a copy of library_case_studies' columns
-- (sort_at is published_at, else updated_at) and its principles (their
-- codes, one per line), kept in step by library/search.h in the
-- transaction that writes the case study. No row: not in search.
CREATE TABLE library_search_rows (
  case_study_id BIGINT PRIMARY KEY,
  organisation_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  setting TEXT NOT NULL,
  rung TEXT NOT NULL,
  area_of_care TEXT NOT NULL,
  source_organisation TEXT NOT NULL,
  principles TEXT NOT NULL,
  sort_at TEXT NOT NULL
);

-- One row. stamp: a random number set anew by each transaction that
-- changes library_search_rows, so a server process may keep the rows in
-- memory for as long as the stamp it reads is the one it read them with.
CREATE TABLE library_search_state (
  id INTEGER PRIMARY KEY,
  stamp BIGINT NOT NULL
);
INSERT INTO library_search_state (id, stamp) VALUES (1, 0);

-- A participant asked to review a story from their own account. decision:
-- '' (waiting), approved, changes_requested. credit: 1 when they agree to
-- be named as a reviewer (credit_name is the name to show).
CREATE TABLE library_reviews (
  id ID_PRIMARY_KEY,
  case_study_id BIGINT NOT NULL REFERENCES library_case_studies (id),
  person_id BIGINT NOT NULL REFERENCES people (id),
  requested_by BIGINT REFERENCES users (id),
  requested_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  credit INTEGER NOT NULL DEFAULT 1,
  credit_name TEXT NOT NULL DEFAULT '',
  decided_at TEXT
);
CREATE INDEX library_reviews_case_study ON library_reviews (case_study_id);
CREATE INDEX library_reviews_person ON library_reviews (person_id);
