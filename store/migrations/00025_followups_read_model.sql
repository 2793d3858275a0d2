-- Placement follow-up in the read model: the follow-ups page, its download and the inbox's
-- "to confirm" section read these columns in one query instead of asking every graduate's
-- journey for its state (a Temporal query per case). The journey writes them with its row
-- (SyncCase) from its placement state.
--
-- followups_missed NULL means "not known yet": a journey that was in follow-up before this
-- migration writes the columns at its next change, which can be a month away; until then the
-- lists count it as unknown and `kompeten doctor --repair` fills them from the journey's state.

-- +goose Up
ALTER TABLE cases
    -- the next follow-up's due time (NULL: none left, or not in follow-up)
    ADD COLUMN followup_next timestamptz,
    -- follow-ups that passed with no placement reported (NULL: not known yet, see above)
    ADD COLUMN followups_missed integer,
    -- the month whose follow-up message and its reminder went unanswered (0: none)
    ADD COLUMN followup_unanswered integer NOT NULL DEFAULT 0,
    -- the latest follow-up contact that found no placement: outcome, when, note
    ADD COLUMN followup_contact text NOT NULL DEFAULT '',
    ADD COLUMN followup_contact_at timestamptz,
    ADD COLUMN followup_contact_note text NOT NULL DEFAULT '',
    -- a self-reported placement waiting for staff to confirm it, until this time (NULL: none)
    ADD COLUMN confirm_until timestamptz,
    -- the reported placement's employer or business name
    ADD COLUMN placement_employer text NOT NULL DEFAULT '';

-- The follow-ups list: open cases in placement, most missed first, then the soonest due; a
-- partial index keeps it to the graduates in follow-up (a fifth of the cases, two years in),
-- and with confirm_until in it the list's counts are an index-only scan.
CREATE INDEX cases_followups_due_idx ON cases (followups_missed DESC, followup_next, case_id) INCLUDE (confirm_until)
    WHERE stage = 'placement' AND status = 'open';
CREATE INDEX cases_centre_followups_due_idx ON cases (centre_code, followups_missed DESC, followup_next, case_id) INCLUDE (confirm_until)
    WHERE stage = 'placement' AND status = 'open';
-- The rows not known yet (empty once the journeys or kompeten doctor --repair wrote them).
CREATE INDEX cases_followups_unknown_idx ON cases (case_id)
    WHERE stage = 'placement' AND status = 'open' AND followups_missed IS NULL;
-- Self-reports waiting for staff, soonest closing first.
CREATE INDEX cases_confirm_until_idx ON cases (confirm_until, case_id) WHERE confirm_until IS NOT NULL;

-- +goose Down
DROP INDEX cases_followups_unknown_idx;
DROP INDEX cases_confirm_until_idx;
DROP INDEX cases_centre_followups_due_idx;
DROP INDEX cases_followups_due_idx;
ALTER TABLE cases
    DROP COLUMN placement_employer,
    DROP COLUMN confirm_until,
    DROP COLUMN followup_contact_note,
    DROP COLUMN followup_contact_at,
    DROP COLUMN followup_contact,
    DROP COLUMN followup_unanswered,
    DROP COLUMN followups_missed,
    DROP COLUMN followup_next;
