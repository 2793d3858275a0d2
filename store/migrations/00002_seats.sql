-- +goose Up
-- Seats taken in a package, one row per case. Reserving a seat locks the package row, so
-- concurrent enrolments cannot overfill a package the way counting cases could.
CREATE TABLE package_seats (
    package_code text NOT NULL REFERENCES training_packages (code),
    case_id      text NOT NULL,
    reserved_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (package_code, case_id)
);

-- +goose Down
DROP TABLE package_seats;
