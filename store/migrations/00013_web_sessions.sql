-- Login sessions of the pages, kept on the server so that logging out, an idle timeout and a
-- revoked token end them: a copied cookie is worth nothing once its row is gone. Only a SHA-256
-- of the session's random ID is kept (the ID itself is in the browser's cookie), beside the hash
-- of the API token the person logged in with, which is looked up again on every request.

-- +goose Up
CREATE TABLE web_sessions (
    id_hash     bytea PRIMARY KEY,
    token_hash  bytea NOT NULL,
    created_at  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    -- The absolute end, however busy the session is.
    expires_at  timestamptz NOT NULL
);
CREATE INDEX web_sessions_token ON web_sessions (token_hash);

-- +goose Down
DROP TABLE web_sessions;
