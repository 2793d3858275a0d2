-- +goose Up
-- A journey rewrites its case row about fifteen times (one write per workflow task that changes
-- what the pages show). Most of those writes change an indexed column (the stage, who it waits
-- on), but a good part do not (attendance, an assessment scheduled, a message recorded, the
-- attempts of a partner call): with free room on the row's page PostgreSQL updates those in
-- place (a HOT update) and touches none of the table's seventeen indexes. Left full (the
-- default fillfactor 100) every page is packed at insert and no update finds room.
-- Pages written from now on keep a fifth free; older pages get it at their next rewrite
-- (VACUUM FULL or pg_repack, if an operator wants it at once).
ALTER TABLE cases SET (fillfactor = 80);

-- +goose Down
ALTER TABLE cases RESET (fillfactor);
