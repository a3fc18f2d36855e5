-- Reciprocity: paying people for their time and their expenses. Money is
-- held in whole pence (BIGINT); nothing here is ever a fraction.

-- The organisation's rates: per hour, half day and day, by level of role.
CREATE TABLE payment_rates (
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  role_level TEXT NOT NULL,
  unit TEXT NOT NULL,
  pence BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (organisation_id, role_level, unit)
);

-- Payments for time, raised from attendance (one per person per activity).
-- status: raised, approved, paid, cancelled.
CREATE TABLE payments (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  person_id BIGINT NOT NULL REFERENCES people (id),
  activity_id BIGINT NOT NULL REFERENCES activities (id),
  pence BIGINT NOT NULL,
  basis TEXT NOT NULL,
  status TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  approved_by BIGINT REFERENCES users (id),
  approved_at TEXT,
  advice_confirmed INTEGER NOT NULL DEFAULT 0,
  paid_at TEXT,
  UNIQUE (activity_id, person_id)
);
CREATE INDEX payments_person ON payments (person_id);
CREATE INDEX payments_organisation ON payments (organisation_id, status);

-- Expense claims: travel, care cover or a replacement carer, a support
-- worker, an interpreter, other. status: submitted, approved, rejected, paid.
CREATE TABLE expense_claims (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  person_id BIGINT NOT NULL REFERENCES people (id),
  activity_id BIGINT REFERENCES activities (id),
  category TEXT NOT NULL,
  description TEXT NOT NULL,
  pence BIGINT NOT NULL,
  incurred_on TEXT NOT NULL,
  status TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  decided_by BIGINT REFERENCES users (id),
  decided_at TEXT,
  reason TEXT NOT NULL DEFAULT '',
  paid_at TEXT
);
CREATE INDEX expense_claims_person ON expense_claims (person_id);
CREATE INDEX expense_claims_organisation ON expense_claims (organisation_id, status);

-- Receipts are kept base64-encoded in text, which both databases store alike.
CREATE TABLE expense_receipts (
  id ID_PRIMARY_KEY,
  claim_id BIGINT NOT NULL REFERENCES expense_claims (id),
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_base64 TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE INDEX expense_receipts_claim ON expense_receipts (claim_id);
