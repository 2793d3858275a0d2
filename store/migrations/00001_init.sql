-- Master data (centres, partners, MoUs, packages, participants) and the case read model.
-- Temporal holds each case's state; these tables serve lists, reports and stuck-case queries.

-- +goose Up
CREATE TABLE centres (
    code         text PRIMARY KEY,
    name         text NOT NULL,
    owner        text NOT NULL DEFAULT '',
    regency_code text NOT NULL DEFAULT '',
    regency_name text NOT NULL DEFAULT ''
);

CREATE TABLE partners (
    code text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('insurer', 'certifier')),
    name text NOT NULL
);

-- Empty centres/schemes arrays mean "all": the 2023 MoUs cover the whole network.
CREATE TABLE mous (
    id           bigserial PRIMARY KEY,
    number       text NOT NULL UNIQUE,
    partner_code text NOT NULL REFERENCES partners (code),
    signed_on    date NOT NULL,
    valid_from   date NOT NULL,
    valid_until  date NOT NULL,
    status       text NOT NULL CHECK (status IN ('draft', 'active', 'expired', 'terminated')),
    centres      text[] NOT NULL DEFAULT '{}',
    schemes      text[] NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_until >= valid_from)
);
CREATE INDEX mous_partner_idx ON mous (partner_code, status);

CREATE TABLE training_packages (
    code           text PRIMARY KEY,
    centre_code    text NOT NULL REFERENCES centres (code),
    trade          text NOT NULL DEFAULT '',
    scheme         text NOT NULL DEFAULT '',
    lsp_code       text REFERENCES partners (code), -- NULL: no LSP chosen yet
    start_date     timestamptz NOT NULL, -- first training day starts (an instant: demos use minutes)
    end_date       timestamptz NOT NULL, -- last training day ends
    hours          integer NOT NULL DEFAULT 0 CHECK (hours >= 0),
    capacity       integer NOT NULL CHECK (capacity >= 0),
    attendance_min double precision NOT NULL DEFAULT 0 CHECK (attendance_min BETWEEN 0 AND 1),
    auto_approve   boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (end_date >= start_date)
);
CREATE INDEX training_packages_centre_idx ON training_packages (centre_code, start_date);

-- The only table holding a NIK in clear; everything else refers to a person by nik_hash.
CREATE TABLE participants (
    nik_hash    text PRIMARY KEY,
    nik         text NOT NULL,
    name        text NOT NULL DEFAULT '',
    sex         text NOT NULL DEFAULT '',
    birth_place text NOT NULL DEFAULT '',
    birth_date  date,
    phone       text NOT NULL DEFAULT '',
    email       text NOT NULL DEFAULT '',
    education   text NOT NULL DEFAULT '',
    address     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Read model written by workflow projections. No foreign keys on purpose: a projection must
-- never be refused because of write ordering; Temporal is the source of truth.
CREATE TABLE cases (
    case_id          text PRIMARY KEY,
    workflow_id      text NOT NULL UNIQUE,
    package_code     text NOT NULL,
    centre_code      text NOT NULL DEFAULT '',
    lsp_code         text NOT NULL DEFAULT '',
    nik_hash         text NOT NULL DEFAULT '',
    stage            text NOT NULL DEFAULT '',
    status           text NOT NULL DEFAULT 'open',
    outcome          text NOT NULL DEFAULT '',
    waiting_on       text NOT NULL DEFAULT '',
    stuck            boolean NOT NULL DEFAULT false,
    stuck_code       text NOT NULL DEFAULT '',
    stuck_reason     text NOT NULL DEFAULT '',
    stuck_since      timestamptz,
    stage_entered_at timestamptz NOT NULL DEFAULT now(),
    kpj              text NOT NULL DEFAULT '',
    certificate_no   text NOT NULL DEFAULT '',
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text NOT NULL DEFAULT '',
    version          bigint NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_package_idx ON cases (package_code);
CREATE INDEX cases_centre_stage_idx ON cases (centre_code, stage);
CREATE INDEX cases_stuck_idx ON cases (stuck_since) WHERE stuck;
CREATE INDEX cases_nik_hash_idx ON cases (nik_hash);
CREATE INDEX cases_status_idx ON cases (status);

CREATE TABLE case_events (
    id         bigserial PRIMARY KEY,
    case_id    text NOT NULL,
    event_key  text NOT NULL,
    kind       text NOT NULL,
    stage      text NOT NULL DEFAULT '',
    actor_id   text NOT NULL DEFAULT '',
    actor_role text NOT NULL DEFAULT '',
    detail     text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (case_id, event_key)
);

-- BPJS registrations exchanged as spreadsheets with the branch office when no API is available.
CREATE TABLE bpjs_batch (
    case_id      text PRIMARY KEY,
    workflow_id  text NOT NULL,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    exported_at  timestamptz,
    kpj          text,
    delivered_at timestamptz
);
CREATE INDEX bpjs_batch_pending_idx ON bpjs_batch (created_at) WHERE kpj IS NULL;

-- +goose Down
DROP TABLE bpjs_batch;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE participants;
DROP TABLE training_packages;
DROP TABLE mous;
DROP TABLE partners;
DROP TABLE centres;
