-- API tokens: who may call the API and the pages, with which role and scope. Only a SHA-256 of
-- each token is kept (tokens are 256-bit random values, so a plain hash is enough and lets a
-- request be authenticated with one indexed lookup); the token itself is shown once at creation.

-- +goose Up
CREATE TABLE api_tokens (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL CHECK (name <> ''),
    role        text NOT NULL CHECK (role IN ('centre-admin', 'lsp-manager', 'insurer-liaison', 'coordinator', 'operator', 'viewer')),
    -- Centre codes for a centre-admin, LSP codes for an lsp-manager; empty for the other roles.
    scopes      text[] NOT NULL DEFAULT '{}',
    hash        bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- +goose Down
DROP TABLE api_tokens;
