-- What a group does once it exists: activities (meetings, workshops, interview
-- panels, co-design sessions, consultation events), who was invited and in
-- which format, their answers and attendance, and afterwards the notes,
-- decisions, actions ('you said, we did') and the rung of the ladder of
-- co-production the activity reached.
--
-- Times: starts_at is the local date and time people were told
-- ("YYYY-MM-DDTHH:MM"); other *_at columns are UTC timestamps.

CREATE TABLE activities (
  id ID_PRIMARY_KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  group_id BIGINT NOT NULL REFERENCES groups (id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  letter_text TEXT NOT NULL DEFAULT '',
  easy_read_text TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'scheduled',
  notes TEXT NOT NULL DEFAULT '',
  decisions TEXT NOT NULL DEFAULT '',
  lead_rung TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX activities_organisation ON activities (organisation_id, starts_at);
CREATE INDEX activities_group ON activities (group_id, starts_at);

-- One row per person invited. format is the format the invitation went in
-- (the person's preference when invited). response: '' (none yet), coming,
-- not_coming. attendance: '' (not recorded), attended, apologies,
-- did_not_attend. minutes: time taken part, for attended. role_level is
-- the level of the role they held, for the organisation's rate table.
-- rated is 1 once they have given their anonymous rating of the rung.
CREATE TABLE activity_invitations (
  activity_id BIGINT NOT NULL REFERENCES activities (id),
  person_id BIGINT NOT NULL REFERENCES people (id),
  format TEXT NOT NULL,
  invited_at TEXT NOT NULL,
  response TEXT NOT NULL DEFAULT '',
  responded_at TEXT,
  attendance TEXT NOT NULL DEFAULT '',
  minutes INTEGER NOT NULL DEFAULT 0,
  role_level TEXT NOT NULL DEFAULT 'member',
  rated INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_invitations_person ON activity_invitations (person_id);

CREATE TABLE activity_actions (
  id ID_PRIMARY_KEY,
  activity_id BIGINT NOT NULL REFERENCES activities (id),
  you_said TEXT NOT NULL,
  we_did TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL,
  status TEXT NOT NULL,
  due_on TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX activity_actions_activity ON activity_actions (activity_id);

-- Members' own ratings of the rung reached: no person, so anonymous. Each
-- member rates once (activity_invitations.rated); paper slips may be added
-- by staff (source = 'paper').
CREATE TABLE activity_rung_ratings (
  id ID_PRIMARY_KEY,
  activity_id BIGINT NOT NULL REFERENCES activities (id),
  rung TEXT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX activity_rung_ratings_activity ON activity_rung_ratings (activity_id);
