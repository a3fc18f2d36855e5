-- Messages in Welsh as well as English: an organisation's own wording is kept
-- per language, and each message records the language it was written in
-- (a printed letter is marked with it). The wording table is rebuilt with
-- the language in its key; existing wordings are English.
CREATE TABLE message_wordings (
  organisation_id BIGINT NOT NULL REFERENCES organisations (id),
  kind TEXT NOT NULL,
  version TEXT NOT NULL,
  language TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (organisation_id, kind, version, language)
);
INSERT INTO message_wordings (organisation_id, kind, version, language, subject, body, updated_at)
  SELECT organisation_id, kind, version, 'en', subject, body, updated_at FROM message_templates;
DROP TABLE message_templates;
ALTER TABLE message_wordings RENAME TO message_templates;

ALTER TABLE messages ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
