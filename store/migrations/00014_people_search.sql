-- People on the lists (issue 15, point 2): a name search over the participants and the case
-- list's order, fast with 100,000 cases (BenchmarkPeople). pg_trgm ships with PostgreSQL
-- (contrib) and is a trusted extension: the database's owner may create it.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- Name search: ILIKE '%siti%nur%' over the participants' names.
CREATE INDEX participants_name_trgm_idx ON participants USING gin (name gin_trgm_ops);
-- The case list, the longest waiting first (store.ListCases orders by exactly this).
CREATE INDEX cases_list_order_idx ON cases ((COALESCE(stuck_since, stage_entered_at)), case_id);
-- The same for a centre admin (one centre) and an LSP manager (one LSP).
CREATE INDEX cases_centre_list_order_idx ON cases (centre_code, (COALESCE(stuck_since, stage_entered_at)), case_id);
CREATE INDEX cases_lsp_list_order_idx ON cases (lsp_code, (COALESCE(stuck_since, stage_entered_at)), case_id);

-- +goose Down
DROP INDEX cases_lsp_list_order_idx;
DROP INDEX cases_centre_list_order_idx;
DROP INDEX cases_list_order_idx;
DROP INDEX participants_name_trgm_idx;
