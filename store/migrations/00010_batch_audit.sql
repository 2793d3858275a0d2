-- The BPJS batch exchange, audited (issue 13, point 8). Every file taken holds the NIKs and
-- names of the registrations in it, so who took it, when and how many rows (and which cases)
-- is kept. A KPJ the branch office returns for a trainee whose case closed before it came back
-- (a withdrawal) is kept and flagged instead of delivered: that membership is to be cancelled.

-- +goose Up
CREATE TABLE bpjs_batch_exports (
    id         bigserial PRIMARY KEY,
    taken_by   text NOT NULL,
    taken_role text NOT NULL,
    taken_at   timestamptz NOT NULL DEFAULT now(),
    row_count  integer NOT NULL CHECK (row_count > 0),
    case_ids   text[] NOT NULL
);
CREATE INDEX bpjs_batch_exports_taken_at_idx ON bpjs_batch_exports (taken_at DESC);
ALTER TABLE bpjs_batch ADD COLUMN flagged_at timestamptz;

-- +goose Down
ALTER TABLE bpjs_batch DROP COLUMN flagged_at;
DROP TABLE bpjs_batch_exports;
