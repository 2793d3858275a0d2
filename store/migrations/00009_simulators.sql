-- The partner simulators' own state (package simulator), so that `kompeten dev` stopped and
-- started continues where it was: no number handed out twice, no scheduled assessment or result
-- forgotten, an outage started at run time still running. These tables stand for BPJS's and the
-- LSPs' systems; kompeten itself never reads them. The simulators keep their state in memory as
-- well and write each change here before they answer; numbers come from sim_counters, updated
-- in the same transaction as the registration, assessment or certificate that takes one.

-- +goose Up
CREATE TABLE sim_counters (
    name  text PRIMARY KEY, -- "bpjs/kpj", "lsp/<CODE>/assessment", "lsp/<CODE>/certificate"
    value bigint NOT NULL
);

-- BPJS: a person keeps one membership number (KPJ); each idempotency key has its registration.
CREATE TABLE sim_bpjs_members (
    nik text PRIMARY KEY,
    kpj text NOT NULL UNIQUE
);
CREATE TABLE sim_bpjs_registrations (
    idem_key       text PRIMARY KEY,
    nik            text NOT NULL,
    kpj            text NOT NULL,
    coverage_start timestamptz NOT NULL,
    coverage_end   timestamptz NOT NULL, -- shortened when coverage ends early
    programs       text[] NOT NULL,
    -- A number handed out by mistake on purpose (a test of kompeten's claims): answered again
    -- for its key, but it is not the person's membership.
    mistaken       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sim_bpjs_registrations_kpj_idx ON sim_bpjs_registrations (kpj);
CREATE TABLE sim_bpjs_ends (
    idem_key     text PRIMARY KEY,
    kpj          text NOT NULL,
    coverage_end timestamptz NOT NULL
);

-- LSPs: scheduled assessments with the result, fixed when first read, and issued certificates.
CREATE TABLE sim_lsp_assessments (
    lsp             text NOT NULL,
    assessment_id   text NOT NULL,
    idem_key        text NOT NULL,
    assessment_date timestamptz NOT NULL,
    tuk             text NOT NULL,
    assessor        text NOT NULL,
    scheme          text NOT NULL,
    candidate_ref   text NOT NULL,
    candidate_name  text NOT NULL,
    units           text[] NOT NULL,
    available_after timestamptz NOT NULL,
    result          jsonb,
    PRIMARY KEY (lsp, assessment_id),
    UNIQUE (lsp, idem_key)
);
-- One row per idempotency key: "issued" created the assessment's certificate, "repeat" is a
-- later request under another key answered with it, "mistake" a number handed out by mistake on
-- purpose (not the assessment's certificate).
CREATE TABLE sim_lsp_certificates (
    lsp           text NOT NULL,
    idem_key      text NOT NULL,
    assessment_id text NOT NULL,
    number        text NOT NULL,
    issue_date    timestamptz NOT NULL,
    expiry_date   timestamptz NOT NULL,
    role          text NOT NULL CHECK (role IN ('issued', 'repeat', 'mistake')),
    PRIMARY KEY (lsp, idem_key)
);
CREATE UNIQUE INDEX sim_lsp_certificates_assessment_idx ON sim_lsp_certificates (lsp, assessment_id) WHERE role = 'issued';
CREATE UNIQUE INDEX sim_lsp_certificates_number_idx ON sim_lsp_certificates (lsp, number) WHERE role = 'issued';

-- Outages started at run time (POST /sim/outage); configured ones come from the configuration.
CREATE TABLE sim_outages (
    sim       text NOT NULL, -- "bpjs" or "lsp/<CODE>"
    starts_at timestamptz NOT NULL,
    ends_at   timestamptz NOT NULL
);
CREATE INDEX sim_outages_sim_idx ON sim_outages (sim, ends_at);

-- +goose Down
DROP TABLE sim_outages;
DROP TABLE sim_lsp_certificates;
DROP TABLE sim_lsp_assessments;
DROP TABLE sim_bpjs_ends;
DROP TABLE sim_bpjs_registrations;
DROP TABLE sim_bpjs_members;
DROP TABLE sim_counters;
