-- Certification schemes and their units of competence, seeded from the registry. A package
-- names its scheme (training_packages.scheme); a journey holds every assessment result to the
-- scheme's units, so a package is created only for a scheme listed here with units.

-- +goose Up
CREATE TABLE schemes (
    code   text PRIMARY KEY,
    name   text NOT NULL,
    sample boolean NOT NULL DEFAULT false, -- not the certifying LSP's own published list
    source text NOT NULL DEFAULT ''        -- where the unit list comes from
);

CREATE TABLE scheme_units (
    scheme_code text NOT NULL REFERENCES schemes (code) ON DELETE CASCADE,
    position    integer NOT NULL,
    unit_code   text NOT NULL,
    title       text NOT NULL DEFAULT '',
    PRIMARY KEY (scheme_code, unit_code),
    UNIQUE (scheme_code, position)
);

-- +goose Down
DROP TABLE scheme_units;
DROP TABLE schemes;
