-- Surveys collected on the web (issue 6). A survey belongs to one
-- organisation and keeps its questionnaire in the JSON definition format
-- (src/survey/definition.h), so a later change to the built-in template
-- does not change a survey already running.
--
-- status is 'draft', 'open' or 'closed'. opens_at and closes_at are
-- optional UTC timestamps; response_cap optionally limits how many
-- responses may be sent. In anonymous mode no response is linked to an
-- account.
CREATE TABLE surveys (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  definition TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  opens_at TEXT,
  closes_at TEXT,
  response_cap INTEGER,
  anonymous INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX surveys_organisation ON surveys (organisation_id);

-- One row per person who started a survey. A response is complete when
-- submitted_at is set. answers is JSON keyed by question code.
--
-- No network address is ever stored. The browser holds a random token for
-- the response in a cookie and the person may ask for a resume code; only
-- digests of both are kept (security/crypto.h token_digest). user_id is set
-- only when the survey is not anonymous and the person was signed in.
-- external_id keeps the id of a response imported from a file; responses
-- taken on the web are known by their row id.
CREATE TABLE survey_responses (
  id ID_PRIMARY_KEY,
  survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  external_id TEXT,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_page INTEGER NOT NULL DEFAULT 1,
  submitted_at TEXT,
  answers TEXT NOT NULL DEFAULT '{}',
  session_hash TEXT,
  resume_hash TEXT,
  user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  source TEXT NOT NULL DEFAULT 'web'
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, submitted_at);
CREATE INDEX survey_responses_session ON survey_responses (session_hash);
CREATE INDEX survey_responses_resume ON survey_responses (resume_hash);
-- An imported id is used once per survey, even if two imports race.
CREATE UNIQUE INDEX survey_responses_external ON survey_responses (survey_id, external_id);
