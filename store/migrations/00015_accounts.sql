-- People's accounts: a username (or email) and a password, created by a coordinator, with a
-- role and scope exactly as API tokens have. The password is kept only as an argon2id hash
-- (PHC string); an account without one is waiting for its one-time link. The links keep only a
-- SHA-256 of their random token (the link itself carries no personal data), expire, and are
-- used once. Failed logins are counted per account and per client address to throttle
-- guessing. A page session opened with a password points to its account instead of a token.

-- +goose Up
CREATE TABLE accounts (
    id             bigserial PRIMARY KEY,
    username       text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    email          text CHECK (email IS NULL OR email LIKE '%_@_%'),
    role           text NOT NULL CHECK (role IN ('centre-admin', 'lsp-manager', 'insurer-liaison', 'coordinator', 'operator', 'viewer')),
    scopes         text[] NOT NULL DEFAULT '{}',
    password_hash  text,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled_at    timestamptz
);
CREATE UNIQUE INDEX accounts_username ON accounts (username);
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE account_links (
    token_hash  bytea PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX account_links_account ON account_links (account_id);

CREATE TABLE login_failures (
    -- "account:<id>", "login:<hash of an unknown login>" or "addr:<client address>".
    key        text NOT NULL,
    failed_at  timestamptz NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

ALTER TABLE web_sessions ALTER COLUMN token_hash DROP NOT NULL;
ALTER TABLE web_sessions ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
ALTER TABLE web_sessions ADD CONSTRAINT web_sessions_one_login CHECK ((token_hash IS NULL) <> (account_id IS NULL));
CREATE INDEX web_sessions_account ON web_sessions (account_id);

-- +goose Down
DELETE FROM web_sessions WHERE account_id IS NOT NULL;
ALTER TABLE web_sessions DROP CONSTRAINT web_sessions_one_login;
ALTER TABLE web_sessions DROP COLUMN account_id;
ALTER TABLE web_sessions ALTER COLUMN token_hash SET NOT NULL;
DROP TABLE login_failures;
DROP TABLE account_links;
DROP TABLE accounts;
