-- Indicators from more sources: a survey question (the share of respondents
-- choosing any of the given options), and the platform measures of the gap
-- for one benchmark group, of 'you said, we did' actions done on time and of
-- learning coverage.
--
-- options: the option codes counted, as a JSON list of text.
ALTER TABLE programme_indicators ADD COLUMN survey_id BIGINT REFERENCES surveys (id);
ALTER TABLE programme_indicators ADD COLUMN question TEXT NOT NULL DEFAULT '';
ALTER TABLE programme_indicators ADD COLUMN options TEXT NOT NULL DEFAULT '[]';
ALTER TABLE programme_indicators ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE programme_indicators ADD COLUMN category_value TEXT NOT NULL DEFAULT '';

-- The day an action was first marked done ("YYYY-MM-DD"), cleared when it
-- is marked anything else: whether it was done by its date. Actions done
-- before this column existed take the day they were last changed.
ALTER TABLE activity_actions ADD COLUMN done_on TEXT;
UPDATE activity_actions SET done_on = substr(updated_at, 1, 10) WHERE status = 'done';

-- Indexes that let a programme's figures be read from its few thousand
-- activities down, without touching each row's table page: payments and
-- expense claims summed per activity, places by activity.
CREATE INDEX payments_activity ON payments (activity_id, status, organisation_id, pence);
CREATE INDEX expense_claims_activity ON expense_claims (activity_id, status, organisation_id, incurred_on, pence);
CREATE INDEX activity_invitations_attended ON activity_invitations (activity_id, attendance, person_id, minutes);
