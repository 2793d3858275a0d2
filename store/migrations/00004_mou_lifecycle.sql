-- Agreements as long-lived workflows: each MoU (and each implementing agreement, PKS, under an
-- MoU) is run by its own Temporal workflow, which writes its row here and its event log below.
-- The journeys' coverage queries read this table, so it holds everything they need: status,
-- validity, an early end, the parent MoU of a PKS and the scope.

-- +goose Up
-- Draft agreements are not signed yet.
ALTER TABLE mous ALTER COLUMN signed_on DROP NOT NULL;

-- signed: signed, validity not started yet; expiring: active, inside the first reminder window;
-- renewed: ended at its end date with a successor taking over.
ALTER TABLE mous DROP CONSTRAINT mous_status_check;
ALTER TABLE mous ADD CONSTRAINT mous_status_check
    CHECK (status IN ('draft', 'signed', 'active', 'expiring', 'expired', 'renewed', 'terminated'));

ALTER TABLE mous
    ADD COLUMN kind          text NOT NULL DEFAULT 'mou' CHECK (kind IN ('mou', 'pks')),
    -- A PKS implements one MoU and may never outlive it.
    ADD COLUMN parent_number text REFERENCES mous (number),
    ADD COLUMN title         text NOT NULL DEFAULT '',
    ADD COLUMN signatories   text[] NOT NULL DEFAULT '{}',
    -- For an LSP: the test sites (TUK) in scope; empty means all.
    ADD COLUMN test_sites    text[] NOT NULL DEFAULT '{}',
    -- First day no longer covered after an early termination (NULL: not terminated).
    ADD COLUMN terminated_on date,
    ADD COLUMN end_reason    text NOT NULL DEFAULT '',
    ADD COLUMN predecessor   text NOT NULL DEFAULT '',
    ADD COLUMN successor     text NOT NULL DEFAULT '',
    -- Sentences that need someone's attention (a gap before the successor, a PKS shortened).
    ADD COLUMN flags         text[] NOT NULL DEFAULT '{}',
    ADD COLUMN amendments    integer NOT NULL DEFAULT 0,
    ADD COLUMN workflow_id   text NOT NULL DEFAULT '',
    -- Monotonic per agreement: a late or replayed write of an older state is ignored.
    ADD COLUMN version       bigint NOT NULL DEFAULT 0,
    ADD COLUMN updated_at    timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT mous_pks_parent CHECK ((kind = 'pks') = (parent_number IS NOT NULL));
CREATE INDEX mous_parent_idx ON mous (parent_number) WHERE parent_number IS NOT NULL;

-- What happened to an agreement: signing, amendments, reminders, renewal, the end.
CREATE TABLE mou_events (
    id         bigserial PRIMARY KEY,
    number     text NOT NULL,
    event_key  text NOT NULL,
    kind       text NOT NULL,
    actor_id   text NOT NULL DEFAULT '',
    actor_role text NOT NULL DEFAULT '',
    detail     text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (number, event_key)
);

-- +goose Down
DROP TABLE mou_events;
DROP INDEX mous_parent_idx;
ALTER TABLE mous
    DROP CONSTRAINT mous_pks_parent,
    DROP COLUMN updated_at,
    DROP COLUMN version,
    DROP COLUMN workflow_id,
    DROP COLUMN amendments,
    DROP COLUMN flags,
    DROP COLUMN successor,
    DROP COLUMN predecessor,
    DROP COLUMN end_reason,
    DROP COLUMN terminated_on,
    DROP COLUMN test_sites,
    DROP COLUMN signatories,
    DROP COLUMN title,
    DROP COLUMN parent_number,
    DROP COLUMN kind;
ALTER TABLE mous DROP CONSTRAINT mous_status_check;
UPDATE mous SET status = 'active' WHERE status IN ('signed', 'expiring');
UPDATE mous SET status = 'expired' WHERE status = 'renewed';
ALTER TABLE mous ADD CONSTRAINT mous_status_check
    CHECK (status IN ('draft', 'active', 'expired', 'terminated'));
UPDATE mous SET signed_on = valid_from WHERE signed_on IS NULL;
ALTER TABLE mous ALTER COLUMN signed_on SET NOT NULL;
