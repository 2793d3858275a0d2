-- +goose Up
-- The trainee's own channel (issue 18): follow-up links a graduate answers without a login, and
-- what the read model needs to say where a placement came from and to verify a certificate.

-- One row per issued self-report link. The link's token is this row's random id and its HMAC
-- signature: it carries no personal data, and the row says which case and follow-up month it is
-- for. A link works once (used_at) and until expires_at.
CREATE TABLE selfreport_links (
    id         text PRIMARY KEY,           -- random, base64url; half of the token
    case_id    text NOT NULL,
    month      integer NOT NULL CHECK (month >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    answer     text NOT NULL DEFAULT ''    -- formal, informal, self-employed, continuing-study, still-looking
);
CREATE INDEX selfreport_links_case_idx ON selfreport_links (case_id, month, created_at DESC);

-- The placement report's channel: reported by the graduate through a link, or by staff.
ALTER TABLE cases ADD COLUMN placement_self_reported boolean NOT NULL DEFAULT false;
-- The certificate's dates, for the public verification page; revoked_at is set when the LSP
-- revokes it.
ALTER TABLE cases ADD COLUMN certificate_issued_on timestamptz;
ALTER TABLE cases ADD COLUMN certificate_expires_on timestamptz;
ALTER TABLE cases ADD COLUMN certificate_revoked_at timestamptz;
CREATE INDEX cases_certificate_no_idx ON cases (certificate_no) WHERE certificate_no <> '';

-- +goose Down
DROP INDEX cases_certificate_no_idx;
ALTER TABLE cases DROP COLUMN certificate_revoked_at;
ALTER TABLE cases DROP COLUMN certificate_expires_on;
ALTER TABLE cases DROP COLUMN certificate_issued_on;
ALTER TABLE cases DROP COLUMN placement_self_reported;
DROP TABLE selfreport_links;
