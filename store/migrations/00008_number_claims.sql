-- Partner numbers belong to one person each: a KPJ (BPJS Ketenagakerjaan membership number) and
-- a certificate number (LSP). Before this table nothing noticed when a partner handed the same
-- number to two people (the simulators numbered again from 1 after a restart). A number is
-- claimed here, keyed by the number, before a journey takes it: the primary key lets exactly one
-- person have it, whatever the order of concurrent claims. The same person claiming again (a
-- retried activity, or the same trainee in a second package, who keeps their KPJ) is a no-op.

-- +goose Up
CREATE TABLE number_claims (
    kind       text NOT NULL CHECK (kind IN ('kpj', 'certificate')),
    number     text NOT NULL CHECK (number <> ''),
    nik_hash   text NOT NULL,
    case_id    text NOT NULL, -- the case that claimed the number first
    claimed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, number)
);
CREATE INDEX number_claims_case_idx ON number_claims (case_id);

-- Claims for the numbers the read model already holds. A database written before this table may
-- hold numbers that two people got from the old bug: the first case to have received the number
-- (its "insured" or "certified" event) keeps the claim, and number_conflicts lists the others,
-- so the migration never fails on them (kompeten doctor reports them for people to sort out).
INSERT INTO number_claims (kind, number, nik_hash, case_id, claimed_at)
SELECT DISTINCT ON (c.kpj) 'kpj', c.kpj, c.nik_hash, c.case_id, COALESCE(e.at, c.updated_at)
FROM cases c
LEFT JOIN LATERAL (SELECT min(ev.at) AS at FROM case_events ev WHERE ev.case_id = c.case_id AND ev.kind = 'insured') e ON true
WHERE c.kpj <> ''
ORDER BY c.kpj, COALESCE(e.at, c.updated_at), c.case_id;

INSERT INTO number_claims (kind, number, nik_hash, case_id, claimed_at)
SELECT DISTINCT ON (c.certificate_no) 'certificate', c.certificate_no, c.nik_hash, c.case_id, COALESCE(e.at, c.updated_at)
FROM cases c
LEFT JOIN LATERAL (SELECT min(ev.at) AS at FROM case_events ev WHERE ev.case_id = c.case_id AND ev.kind = 'certified') e ON true
WHERE c.certificate_no <> ''
ORDER BY c.certificate_no, COALESCE(e.at, c.updated_at), c.case_id;

-- Cases of the read model showing a number that belongs to another person: duplicates from
-- before the claims, or written by a journey of an older revision, which does not claim.
CREATE VIEW number_conflicts AS
SELECT cl.kind, cl.number, cl.case_id AS holder_case_id, c.case_id
FROM number_claims cl JOIN cases c ON c.kpj = cl.number
WHERE cl.kind = 'kpj' AND c.nik_hash <> cl.nik_hash
UNION ALL
SELECT cl.kind, cl.number, cl.case_id AS holder_case_id, c.case_id
FROM number_claims cl JOIN cases c ON c.certificate_no = cl.number
WHERE cl.kind = 'certificate' AND c.nik_hash <> cl.nik_hash;

-- +goose Down
DROP VIEW number_conflicts;
DROP TABLE number_claims;
