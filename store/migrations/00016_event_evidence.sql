-- +goose Up
-- What a decision rests on, recorded by the journey with the event that brought it (issue 15):
-- an assessment's result per unit and its assessor, an enrolment check's import warnings.
ALTER TABLE case_events ADD COLUMN evidence jsonb;

-- +goose Down
ALTER TABLE case_events DROP COLUMN evidence;
