-- +goose Up
-- Corrections of a participant's record after BPJS refused it (issue 16, point 5).
--
-- A participant's key (nik_hash) stays the hash of the NIK the person was enrolled under: case
-- IDs, workflow IDs, number claims and the read model refer to it. A corrected NIK changes the
-- nik column in place and its own hash becomes an alias of the key, so an import or a search
-- with the corrected NIK finds the same person (and the same case) instead of a new one.
ALTER TABLE participants ADD COLUMN corrected_at timestamptz;

CREATE TABLE participant_aliases (
    nik_hash         text PRIMARY KEY,
    participant_hash text NOT NULL REFERENCES participants (nik_hash) ON DELETE CASCADE,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX participant_aliases_participant_idx ON participant_aliases (participant_hash);

-- Who changed what and when; old and new values masked (never a NIK in clear outside
-- participants). A correction the journey refused after it was written is marked reverted.
CREATE TABLE participant_corrections (
    id               bigserial PRIMARY KEY,
    participant_hash text NOT NULL,
    case_id          text NOT NULL,
    actor_id         text NOT NULL DEFAULT '',
    actor_role       text NOT NULL DEFAULT '',
    changes          jsonb NOT NULL,
    note             text NOT NULL DEFAULT '',
    reverted_at      timestamptz,
    at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX participant_corrections_case_idx ON participant_corrections (case_id, at);

-- +goose Down
DROP TABLE participant_corrections;
DROP TABLE participant_aliases;
ALTER TABLE participants DROP COLUMN corrected_at;
