-- The day register (issue 13, point 4): for a package and a training day, who was present and
-- who was absent, one row per trainee. Recording a day again replaces its rows. Each case's
-- running count is recomputed from these rows and sent to its journey; attendance_sent keeps
-- the count last accepted by the journey, so only cases whose count changed are sent again.

-- +goose Up
CREATE TABLE attendance_days (
    package_code  text NOT NULL REFERENCES training_packages (code),
    day           date NOT NULL,
    case_id       text NOT NULL,
    present       boolean NOT NULL,
    recorded_by   text NOT NULL,
    recorded_role text NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (package_code, day, case_id)
);
CREATE INDEX attendance_days_case_idx ON attendance_days (case_id);
CREATE TABLE attendance_sent (
    case_id text PRIMARY KEY,
    mode    text NOT NULL,
    days    integer NOT NULL,
    sent_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE attendance_sent;
DROP TABLE attendance_days;
