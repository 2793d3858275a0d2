-- +goose Up
-- One language at a time (issue 15 point 5). The journey records its timeline events and stuck
-- reasons as a message code of the catalogue (package i18n) with parameters, beside the English
-- sentence it always wrote (kept: the API's detail and the older events read it). And each
-- account remembers the language and the time zone its pages speak.
ALTER TABLE case_events ADD COLUMN code text NOT NULL DEFAULT '';
ALTER TABLE case_events ADD COLUMN params jsonb;
ALTER TABLE cases ADD COLUMN stuck_message text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN stuck_params jsonb;
ALTER TABLE accounts ADD COLUMN lang text NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en'));
ALTER TABLE accounts ADD COLUMN time_zone text NOT NULL DEFAULT 'WIB' CHECK (time_zone IN ('WIB', 'WITA', 'WIT'));

-- +goose Down
ALTER TABLE accounts DROP COLUMN time_zone;
ALTER TABLE accounts DROP COLUMN lang;
ALTER TABLE cases DROP COLUMN stuck_params;
ALTER TABLE cases DROP COLUMN stuck_message;
ALTER TABLE case_events DROP COLUMN params;
ALTER TABLE case_events DROP COLUMN code;
