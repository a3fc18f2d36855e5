-- The way a recruitment round's lottery is made fair, chosen by the lead:
-- 'leximin' (the smallest chance as large as it can be, then the next
-- smallest, and so on), 'maximin' (only the smallest chance) or 'nash' (the
-- product of everyone's chances as large as it can be). Rounds made before
-- the choice existed were all LEXIMIN.
ALTER TABLE recruitment_rounds ADD COLUMN algorithm TEXT NOT NULL DEFAULT 'leximin';
