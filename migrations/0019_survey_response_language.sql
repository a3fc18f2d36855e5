-- The language a person answered a survey in: a code from the questionnaire's
-- languages ("cy"), or empty for a survey in one language and for responses
-- from before surveys had languages.
ALTER TABLE survey_responses ADD COLUMN language TEXT NOT NULL DEFAULT '';
