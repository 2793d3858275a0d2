-- Single sign-on (OpenID Connect): an account may be bound to one identity at one provider
-- (issuer and subject, the provider's stable ID of the person; never a name). Accounts are
-- created or linked at a person's first SSO login and their role and scope follow the
-- provider's claims at every login; each of those changes is kept in account_events, with the
-- other account changes that must be answerable later ("who made this coordinator, and when").

-- +goose Up
ALTER TABLE accounts ADD COLUMN oidc_issuer text;
ALTER TABLE accounts ADD COLUMN oidc_subject text;
ALTER TABLE accounts ADD CONSTRAINT accounts_oidc_both CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL));
CREATE UNIQUE INDEX accounts_oidc ON accounts (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

CREATE TABLE account_events (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    -- sso-created, sso-linked, sso-role-changed
    event       text NOT NULL,
    -- who caused it: "sso:<issuer>" for the provider's claims
    actor       text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX account_events_account ON account_events (account_id, at);

-- +goose Down
DROP TABLE account_events;
DROP INDEX accounts_oidc;
ALTER TABLE accounts DROP CONSTRAINT accounts_oidc_both;
ALTER TABLE accounts DROP COLUMN oidc_subject;
ALTER TABLE accounts DROP COLUMN oidc_issuer;
