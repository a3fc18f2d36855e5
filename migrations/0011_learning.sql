-- Co-production learning for every role: the organisation's workforce,
-- learning modules (the built-in starter module among them), which role
-- categories must complete which modules and how soon, completions, attempts
-- at knowledge checks, where a learner is in a module, co-delivered live
-- sessions, and ASC-WDS files waiting to be confirmed.
--
-- Dates (started_on, left_on, completed_on, expires_on) are "YYYY-MM-DD";
-- *_at columns are UTC timestamps.

-- role_category: a Care Workforce Pathway category code; closeness: the
-- survey template's role scale. user_id is the worker's learner account.
CREATE TABLE workers (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  worker_id TEXT NOT NULL,
  name TEXT NOT NULL,
  workplace TEXT NOT NULL DEFAULT '',
  job_role TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  role_category TEXT NOT NULL,
  closeness TEXT NOT NULL,
  started_on TEXT NOT NULL,
  left_on TEXT,
  care_certificate TEXT NOT NULL DEFAULT 'not_started',
  email TEXT NOT NULL DEFAULT '',
  user_id BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (organisation_id, worker_id)
);
CREATE INDEX workers_user ON workers (user_id);

-- content holds the module as JSON (learning/content.h); the columns beside
-- it are copies for listing. starter is 1 for the organisation's copy of the
-- built-in 'Working in co-production'.
CREATE TABLE learning_modules (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  starter INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL,
  delivery TEXT NOT NULL,
  refresh_months INTEGER,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX learning_modules_organisation ON learning_modules (organisation_id);

-- Workers of role_category must complete module_id within within_days of
-- starting. workplace '' applies everywhere; a requirement for one workplace
-- replaces the organisation-wide one for the workers there.
CREATE TABLE learning_requirements (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  module_id BIGINT NOT NULL REFERENCES learning_modules (id),
  role_category TEXT NOT NULL,
  workplace TEXT NOT NULL DEFAULT '',
  within_days INTEGER NOT NULL,
  created_on TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (module_id, role_category, workplace)
);

-- source: elearning (passed here), recorded (by a learning lead), import
-- (an ASC-WDS training file) or session (attended a live session).
CREATE TABLE learning_completions (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  worker_ref BIGINT NOT NULL REFERENCES workers (id),
  module_id BIGINT NOT NULL REFERENCES learning_modules (id),
  completed_on TEXT NOT NULL,
  source TEXT NOT NULL,
  provider TEXT NOT NULL DEFAULT '',
  how_delivered TEXT NOT NULL DEFAULT '',
  session_id BIGINT,
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL
);
CREATE INDEX learning_completions_worker ON learning_completions (worker_ref, module_id);
CREATE INDEX learning_completions_organisation ON learning_completions (organisation_id, worker_ref, module_id, completed_on);

-- Each attempt at a module's knowledge check, with the answers as JSON.
CREATE TABLE learning_attempts (
  id ID_PRIMARY_KEY,
  worker_ref BIGINT NOT NULL REFERENCES workers (id),
  module_id BIGINT NOT NULL REFERENCES learning_modules (id),
  answers TEXT NOT NULL,
  correct INTEGER NOT NULL,
  total INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  taken_at TEXT NOT NULL
);
CREATE INDEX learning_attempts_worker ON learning_attempts (worker_ref, module_id);

-- The furthest page a learner has reached in an e-learning module.
CREATE TABLE learning_progress (
  worker_ref BIGINT NOT NULL REFERENCES workers (id),
  module_id BIGINT NOT NULL REFERENCES learning_modules (id),
  page INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (worker_ref, module_id)
);

-- A live session is an activity of a group of co-trainers (people from the
-- involvement pool who said they would co-deliver training); its trainers
-- are the activity's invitations with role level 'trainer'.
CREATE TABLE learning_sessions (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  activity_id BIGINT NOT NULL UNIQUE REFERENCES activities (id),
  module_id BIGINT NOT NULL REFERENCES learning_modules (id),
  created_at TEXT NOT NULL
);

-- Workers booked on a session. attendance: '' (not recorded), attended,
-- did_not_attend.
CREATE TABLE learning_session_learners (
  session_id BIGINT NOT NULL REFERENCES learning_sessions (id),
  worker_ref BIGINT NOT NULL REFERENCES workers (id),
  attendance TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, worker_ref)
);

-- An ASC-WDS upload checked and shown as a preview, waiting for "Confirm".
CREATE TABLE learning_pending_imports (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  workers_name TEXT NOT NULL DEFAULT '',
  workers_content TEXT NOT NULL DEFAULT '',
  training_name TEXT NOT NULL DEFAULT '',
  training_content TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
