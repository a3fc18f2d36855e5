-- Programmes: co-production work (groups, activities, surveys and learning
-- modules) gathered under a purpose, a period and a named lead; its theory
-- of change, the indicators that measure it and their measurements; what it
-- really costs; the outcomes it values; and the staff grades whose time it
-- costs at. Money is in whole pence (BIGINT); percentages are numbers from
-- 0 to 100.
--
-- Dates (starts_on, ends_on, incurred_on, *_date) are "YYYY-MM-DD"; *_at
-- columns are UTC timestamps.

-- discount_rate: % a year for the business case (the Green Book's 3.5 unless changed).
CREATE TABLE programmes (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  name TEXT NOT NULL,
  purpose TEXT NOT NULL DEFAULT '',
  lead TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  discount_rate DOUBLE PRECISION NOT NULL DEFAULT 3.5,
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX programmes_organisation ON programmes (organisation_id);

-- The work a programme gathers. An activity belongs to a programme when its
-- group does, or when it is listed itself.
CREATE TABLE programme_groups (
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  group_id BIGINT NOT NULL REFERENCES groups (id),
  PRIMARY KEY (programme_id, group_id)
);
CREATE TABLE programme_activities (
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  activity_id BIGINT NOT NULL REFERENCES activities (id),
  PRIMARY KEY (programme_id, activity_id)
);
CREATE TABLE programme_surveys (
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  survey_id BIGINT NOT NULL REFERENCES surveys (id),
  PRIMARY KEY (programme_id, survey_id)
);
CREATE TABLE programme_modules (
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  module_id BIGINT NOT NULL REFERENCES learning_modules (id),
  PRIMARY KEY (programme_id, module_id)
);

-- The theory of change: elements by stage (input, activity, output,
-- outcome_short, outcome_medium, outcome_long, impact), each with the
-- organisation's short reference, and the links between them in chains.
-- position keeps the order the lists were given in.
CREATE TABLE programme_elements (
  id ID_PRIMARY_KEY,
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  ref TEXT NOT NULL,
  stage TEXT NOT NULL,
  text TEXT NOT NULL,
  position INTEGER NOT NULL,
  UNIQUE (programme_id, ref)
);
CREATE TABLE programme_links (
  id ID_PRIMARY_KEY,
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  from_element BIGINT NOT NULL REFERENCES programme_elements (id),
  to_element BIGINT NOT NULL REFERENCES programme_elements (id),
  assumptions TEXT NOT NULL DEFAULT '',
  conditions TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL,
  UNIQUE (from_element, to_element)
);
CREATE INDEX programme_links_programme ON programme_links (programme_id);

-- Indicators of an output or outcome. unit: count, percentage, score,
-- money (pence). direction: higher or lower. frequency: monthly or
-- quarterly. source: manual (measurements entered with their evidence) or
-- platform (worked out from the records; measure names which).
CREATE TABLE programme_indicators (
  id ID_PRIMARY_KEY,
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  element_id BIGINT NOT NULL REFERENCES programme_elements (id),
  name TEXT NOT NULL,
  definition TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL,
  direction TEXT NOT NULL,
  frequency TEXT NOT NULL,
  source TEXT NOT NULL,
  measure TEXT NOT NULL DEFAULT '',
  baseline_value DOUBLE PRECISION,
  baseline_date TEXT,
  target_value DOUBLE PRECISION,
  target_date TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX programme_indicators_programme ON programme_indicators (programme_id);

-- Measurements entered by hand: one per period ("2026-03" or "2026-Q1").
CREATE TABLE programme_measurements (
  id ID_PRIMARY_KEY,
  indicator_id BIGINT NOT NULL REFERENCES programme_indicators (id),
  period TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  evidence TEXT NOT NULL,
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  UNIQUE (indicator_id, period)
);

-- The organisation's staff grades: an hourly rate and the on-costs
-- (employer's National Insurance, pension and the like) as a percentage of it.
CREATE TABLE staff_grades (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  name TEXT NOT NULL,
  hourly_pence BIGINT NOT NULL,
  on_cost_percent DOUBLE PRECISION NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (organisation_id, name)
);

-- Costs entered for a programme. kind: staff_time, venue, catering,
-- interpreters, easy_read, transport, other_accessibility, training, other.
-- Staff time keeps the grade, hours, rate and on-costs it was worked out
-- from, so a later change of rates does not change it. Payments and
-- expenses are not copied here: they are read from the payments tables.
CREATE TABLE programme_costs (
  id ID_PRIMARY_KEY,
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  kind TEXT NOT NULL,
  amount_pence BIGINT NOT NULL,
  incurred_on TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  activity_id BIGINT REFERENCES activities (id),
  grade TEXT NOT NULL DEFAULT '',
  hours DOUBLE PRECISION,
  hourly_pence BIGINT,
  on_cost_percent DOUBLE PRECISION,
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL
);
CREATE INDEX programme_costs_programme ON programme_costs (programme_id, incurred_on);

-- Outcomes valued in the business case (impact/value.h). proxy: the code
-- of a built-in financial proxy the value came from, or ''. ranges: the
-- sensitivity ranges set for it, as JSON ({"deadweight": {"low": 10,
-- "high": 40}}), '{}' for the defaults.
CREATE TABLE programme_outcomes (
  id ID_PRIMARY_KEY,
  programme_id BIGINT NOT NULL REFERENCES programmes (id),
  name TEXT NOT NULL,
  quantity DOUBLE PRECISION NOT NULL,
  quantity_source TEXT NOT NULL DEFAULT '',
  value_pence BIGINT NOT NULL,
  proxy TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  price_year INTEGER,
  duration_years INTEGER NOT NULL,
  deadweight DOUBLE PRECISION NOT NULL,
  attribution DOUBLE PRECISION NOT NULL,
  displacement DOUBLE PRECISION NOT NULL,
  drop_off DOUBLE PRECISION NOT NULL,
  ranges TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
);
CREATE INDEX programme_outcomes_programme ON programme_outcomes (programme_id);
