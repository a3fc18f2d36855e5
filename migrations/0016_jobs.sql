-- Background work any server process can run: one row a job, claimed by one
-- process at a time with a single conditional UPDATE, kept alive by a
-- heartbeat. A job whose heartbeat stops (its process died) is taken up
-- again or marked failed with the reason, never lost and never run twice at
-- once.
--
-- state: queued, running, done or failed. claimed_by names the process
-- ("host:pid:random"). *_at are UTC timestamps.
CREATE TABLE jobs (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT REFERENCES organisations (id),
  kind TEXT NOT NULL,
  subject_id BIGINT NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 1,
  claimed_by TEXT NOT NULL DEFAULT '',
  heartbeat_at TEXT,
  progress TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX jobs_state ON jobs (state, id);
CREATE INDEX jobs_subject ON jobs (kind, subject_id);

-- Rounds a stopped server left queued or running before jobs were kept here
-- have no job to run them: marked failed so people can run them again, as
-- a restart used to do.
UPDATE recruitment_rounds SET status = 'failed', progress = '',
  result = '{"message":"The server stopped before this round finished. Run it again."}'
  WHERE status IN ('queued', 'running');
