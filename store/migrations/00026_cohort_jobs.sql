-- Cohort starts running in the background (web/cohort_job.go), kept here so that a restarted
-- `kompeten serve`, or another serve process, shows their page and resumes the unfinished ones.
-- The upload's token is kept only as a SHA-256 (the token is in the page's address and is what
-- finds the job). Who started it is the actor id of the case logs (an account's username or a
-- token's name) with the role and scope it acted with, never a person's details. The uploaded
-- file (its rows carry NIKs, names, phones) and its name are kept only sealed with the payload
-- keys (package codec, AES-256-GCM), as everything kompeten hands Temporal; the row report is
-- in clear: it has masked NIKs and no names, as the report CSV people download.
-- A job is worked by one serve process at a time: the one whose lease (owner, lease_until) is
-- current; a process that stops hands its jobs back, one that dies lets the lease run out.

-- +goose Up
CREATE TABLE cohort_jobs (
    token_hash    bytea PRIMARY KEY,
    package_code  text NOT NULL,
    actor         text NOT NULL,
    role          text NOT NULL DEFAULT '',
    scopes        text[] NOT NULL DEFAULT '{}',
    state         text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
    -- total is the valid rows to start (0 until the job has read the file); done those the
    -- enrol API has answered for.
    total         integer NOT NULL DEFAULT 0,
    done          integer NOT NULL DEFAULT 0,
    -- importer.Report as JSON: every row's outcome so far, in file order.
    report        jsonb,
    error         text NOT NULL DEFAULT '',
    -- Sealed payloads (codec): the file's name alone (shown on every page) and the whole upload.
    name_sealed   bytea NOT NULL,
    upload_sealed bytea NOT NULL,
    owner         text NOT NULL DEFAULT '',
    lease_until   timestamptz NOT NULL DEFAULT '-infinity',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cohort_jobs_running ON cohort_jobs (lease_until) WHERE state = 'running';
CREATE INDEX cohort_jobs_updated ON cohort_jobs (updated_at);

-- +goose Down
DROP TABLE cohort_jobs;
