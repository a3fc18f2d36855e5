-- Groups and boards, their members, and recruitment rounds that choose
-- members from the pool by a lottery with quotas. Each round keeps its pool
-- snapshot, quotas, probabilities, seed, tickets and result, for audit.

CREATE TABLE groups (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  name TEXT NOT NULL,
  purpose TEXT NOT NULL DEFAULT '',
  setting TEXT NOT NULL,
  size INTEGER NOT NULL,
  term_months INTEGER NOT NULL DEFAULT 12,
  ladder_aim TEXT NOT NULL,
  public_page INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX groups_organisation ON groups (organisation_id);

CREATE TABLE recruitment_rounds (
  id ID_PRIMARY_KEY,
  group_id BIGINT NOT NULL REFERENCES groups (id),
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  status TEXT NOT NULL,
  places INTEGER NOT NULL,
  setup TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  seed BIGINT NOT NULL,
  tickets INTEGER NOT NULL,
  result TEXT NOT NULL DEFAULT '',
  progress TEXT NOT NULL DEFAULT '',
  drawn_ticket INTEGER,
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX recruitment_rounds_group ON recruitment_rounds (group_id);

CREATE TABLE group_members (
  id ID_PRIMARY_KEY,
  group_id BIGINT NOT NULL REFERENCES groups (id),
  person_id BIGINT NOT NULL REFERENCES people (id),
  round_id BIGINT REFERENCES recruitment_rounds (id),
  status TEXT NOT NULL,
  invited_at TEXT NOT NULL,
  responded_at TEXT
);
CREATE INDEX group_members_group ON group_members (group_id);
CREATE INDEX group_members_person ON group_members (person_id);
