-- Answers to the public "get involved" pages while a person is still giving
-- them. The browser holds a random token in a cookie; only its digest is
-- kept here, so the database cannot be used to take over a draft. No IP
-- address is kept. The organisation is empty until the person chooses one.
-- Drafts not changed for 24 hours are swept away.
--
-- Once the answers are sent, they are wiped from the draft and
-- submitted_at is set: the empty row only lets a second press of "Send"
-- say "already sent" instead of adding the person twice. It is swept like
-- any other draft.

CREATE TABLE get_involved_drafts (
  token_hash TEXT PRIMARY KEY,
  organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
  answers TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_at TEXT
);
CREATE INDEX get_involved_drafts_updated ON get_involved_drafts (updated_at);
