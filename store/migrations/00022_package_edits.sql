-- Package edits, audited (issue 16 point 1): who changed a package's dates, hours, minimum
-- attendance, automatic approval or LSP, when, the values before and after, and what the
-- package's running journeys answered (each applies what its stage still allows).

-- +goose Up
CREATE TABLE package_edits (
    id           bigserial PRIMARY KEY,
    package_code text NOT NULL REFERENCES training_packages (code),
    edited_by    text NOT NULL,
    edited_role  text NOT NULL,
    edited_at    timestamptz NOT NULL DEFAULT now(),
    old_values   jsonb NOT NULL,
    new_values   jsonb NOT NULL,
    -- one entry per case told: {"case_id", "outcome", "message"}; filled once the journeys answered
    cases        jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX package_edits_package_idx ON package_edits (package_code, edited_at DESC);

-- +goose Down
DROP TABLE package_edits;
