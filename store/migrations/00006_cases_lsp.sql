-- Reads scoped to an LSP manager's LSPs (case list, inbox, overview, tracer study) filter on
-- cases.lsp_code, which had an index only among stuck cases (00003). This one mirrors
-- cases_centre_stage_idx, which serves the centre admin's scope.

-- +goose Up
CREATE INDEX cases_lsp_stage_idx ON cases (lsp_code, stage);

-- +goose Down
DROP INDEX cases_lsp_stage_idx;
