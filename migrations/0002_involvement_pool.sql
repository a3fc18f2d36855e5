-- The involvement pool: people who want to be involved, their consent, any
-- other categories a pool file brought, and equality monitoring, kept in a
-- table of its own so it can be read only by roles that need it.
-- Sets of options are stored as comma-separated codes.

CREATE TABLE people (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  contact_by TEXT NOT NULL DEFAULT '',
  formats TEXT NOT NULL DEFAULT '',
  other_language TEXT NOT NULL DEFAULT '',
  access_needs TEXT NOT NULL DEFAULT '',
  access_other TEXT NOT NULL DEFAULT '',
  lived_experience TEXT NOT NULL DEFAULT '',
  care_kinds TEXT NOT NULL DEFAULT '',
  experience_other TEXT NOT NULL DEFAULT '',
  area TEXT NOT NULL DEFAULT '',
  availability TEXT NOT NULL DEFAULT '',
  ways TEXT NOT NULL DEFAULT '',
  payment TEXT NOT NULL DEFAULT '',
  benefits_advice INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL DEFAULT '',
  user_id BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  erased_at TEXT
);
CREATE INDEX people_organisation ON people (organisation_id, name);

CREATE TABLE person_attributes (
  person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (person_id, name)
);

CREATE TABLE consents (
  id ID_PRIMARY_KEY,
  person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  wording TEXT NOT NULL,
  given_at TEXT NOT NULL,
  withdrawn_at TEXT
);
CREATE INDEX consents_person ON consents (person_id);

CREATE TABLE equality_monitoring (
  person_id BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
  age_band TEXT NOT NULL DEFAULT '',
  sex TEXT NOT NULL DEFAULT '',
  gender_identity TEXT NOT NULL DEFAULT '',
  ethnic_group TEXT NOT NULL DEFAULT '',
  disability TEXT NOT NULL DEFAULT '',
  sexual_orientation TEXT NOT NULL DEFAULT '',
  religion TEXT NOT NULL DEFAULT '',
  carer TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
);
