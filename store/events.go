package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// AppendEvent adds an entry to a case's event log. The (CaseID, Key) pair makes it idempotent: a
// retried activity or replayed projection with the same key is ignored. Key is required because
// an empty key would make unrelated events collide. Zero At means "now".
func (s *Store) AppendEvent(ctx context.Context, e Event) error {
	args, err := appendEventArgs(e)
	if err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, appendEventSQL, args...); err != nil {
		return fmt.Errorf("append event %s to case %s: %w", e.Kind, e.CaseID, err)
	}
	return nil
}

// appendEventSQL adds an event unless its (case, key) is already there.
const appendEventSQL = `
INSERT INTO case_events (case_id, event_key, kind, stage, actor_id, actor_role, detail, at, evidence, code, params)
VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, now()), $9, $10, $11)
ON CONFLICT (case_id, event_key) DO NOTHING`

// appendEventArgs checks an event and gives appendEventSQL's arguments.
func appendEventArgs(e Event) ([]any, error) {
	if e.CaseID == "" || e.Key == "" || e.Kind == "" {
		return nil, fmt.Errorf("append event: case id, key and kind are required: %w", ErrInvalid)
	}
	return []any{e.CaseID, e.Key, e.Kind, e.Stage, e.ActorID, e.ActorRole, e.Detail, nullTime(e.At), e.Evidence, e.Code, nullParams(e.Params)}, nil
}

// CaseEvents returns a case's event log in the order things happened, each event with its
// evidence (the enrolment check's rules and warnings as messages, so the case page words them).
func (s *Store) CaseEvents(ctx context.Context, caseID string) ([]Event, error) {
	rows, err := s.pool.Query(ctx, `
SELECT id, case_id, event_key, kind, stage, actor_id, actor_role, detail, at, code, params, evidence
FROM case_events WHERE case_id = $1 ORDER BY at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("events of case %s: %w", caseID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Event, error) {
		var e Event
		err := row.Scan(&e.ID, &e.CaseID, &e.Key, &e.Kind, &e.Stage, &e.ActorID, &e.ActorRole, &e.Detail, &e.At, &e.Code, &e.Params, &e.Evidence)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("events of case %s: %w", caseID, err)
	}
	return out, nil
}

// nullParams is a message's parameters for a jsonb column: NULL when there are none.
func nullParams(p map[string]string) any {
	if len(p) == 0 {
		return nil
	}
	return p
}
