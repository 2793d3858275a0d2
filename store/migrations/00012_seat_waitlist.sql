-- +goose Up
-- Seats are taken where the approver decides (issue 13). A seat taken over capacity (by a
-- coordinator) keeps its reason; a seat given to a case from the waiting list records what freed
-- it and when the case's journey was told, so a notice lost to an outage is sent again.
ALTER TABLE package_seats
    ADD COLUMN over_capacity_reason text NOT NULL DEFAULT '',
    ADD COLUMN freed_by             text NOT NULL DEFAULT '',
    ADD COLUMN from_waitlist        boolean NOT NULL DEFAULT false,
    ADD COLUMN notified_at          timestamptz;

-- Approved enrolments waiting for a seat, first come first served (seq orders them).
CREATE TABLE package_waitlist (
    package_code text NOT NULL REFERENCES training_packages (code),
    case_id      text NOT NULL,
    seq          bigserial NOT NULL,
    queued_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (package_code, case_id)
);
CREATE INDEX package_waitlist_order_idx ON package_waitlist (package_code, seq);

-- +goose Down
DROP TABLE package_waitlist;
ALTER TABLE package_seats
    DROP COLUMN over_capacity_reason,
    DROP COLUMN freed_by,
    DROP COLUMN from_waitlist,
    DROP COLUMN notified_at;
