-- Operations views: the funnel, placement rates, the stuck list and the approvals inbox are read
-- from the case read model alone, so each answers from one table with an index that fits its
-- filters, also with 100,000 cases.

-- +goose Up
-- Milestones a case has reached, written by the journey's projection (a pure function of the
-- workflow state, so a replayed or late write gives the same answer).
ALTER TABLE cases
    ADD COLUMN enrolled           boolean NOT NULL DEFAULT false, -- enrolment approved
    ADD COLUMN insured            boolean NOT NULL DEFAULT false, -- KPJ received
    ADD COLUMN graduated          boolean NOT NULL DEFAULT false, -- trained: attendance met at the end
    ADD COLUMN assessed           boolean NOT NULL DEFAULT false, -- an assessment result recorded
    ADD COLUMN competent          boolean NOT NULL DEFAULT false, -- K on every unit
    ADD COLUMN certified          boolean NOT NULL DEFAULT false, -- certificate issued
    ADD COLUMN graduated_on       timestamptz,                    -- start of the placement clock
    ADD COLUMN placement_category text NOT NULL DEFAULT '',       -- formal | informal | self-employed | continuing-study
    ADD COLUMN placed_on          timestamptz,                    -- when the reported work or study started
    -- Written by the operations API, outside the versioned projection (like attempts).
    ADD COLUMN escalated_at       timestamptz,
    ADD COLUMN escalated_to       text NOT NULL DEFAULT '';

-- Backfill rows written before these columns existed from the event log, the outcome and the
-- package dates: closed cases are never projected again.
UPDATE cases c SET
    enrolled  = EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.kind = 'enrolment-approved'),
    insured   = c.kpj <> '',
    graduated = EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.kind = 'graduated'),
    assessed  = EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.kind = 'assessment-result'),
    competent = EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.kind = 'competent'),
    certified = c.certificate_no <> '',
    placement_category = CASE c.outcome
        WHEN 'placed-formal' THEN 'formal'
        WHEN 'placed-informal' THEN 'informal'
        WHEN 'self-employed' THEN 'self-employed'
        WHEN 'continuing-study' THEN 'continuing-study'
        ELSE '' END,
    placed_on = (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.case_id AND e.kind = 'placement-reported');
UPDATE cases c SET graduated_on = p.end_date
FROM training_packages p WHERE p.code = c.package_code AND c.graduated;

-- The stuck list: oldest first, optionally narrowed by centre, LSP, stage or reason. Partial
-- indexes stay small (only stuck cases) and each leads with the column a filter fixes.
CREATE INDEX cases_stuck_centre_idx ON cases (centre_code, stuck_since) WHERE stuck;
CREATE INDEX cases_stuck_lsp_idx ON cases (lsp_code, stuck_since) WHERE stuck;
CREATE INDEX cases_stuck_stage_idx ON cases (stage, stuck_since) WHERE stuck;
CREATE INDEX cases_stuck_code_idx ON cases (stuck_code, stuck_since) WHERE stuck;

-- The approvals inbox: open cases waiting on someone, oldest first.
CREATE INDEX cases_waiting_idx ON cases (waiting_on, stage, stage_entered_at) WHERE status = 'open' AND waiting_on <> '';

-- +goose Down
DROP INDEX cases_waiting_idx;
DROP INDEX cases_stuck_code_idx;
DROP INDEX cases_stuck_stage_idx;
DROP INDEX cases_stuck_lsp_idx;
DROP INDEX cases_stuck_centre_idx;
ALTER TABLE cases
    DROP COLUMN escalated_to,
    DROP COLUMN escalated_at,
    DROP COLUMN placed_on,
    DROP COLUMN placement_category,
    DROP COLUMN graduated_on,
    DROP COLUMN certified,
    DROP COLUMN competent,
    DROP COLUMN assessed,
    DROP COLUMN graduated,
    DROP COLUMN insured,
    DROP COLUMN enrolled;
