package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// LatestEvents returns, for each of the cases, its latest event of kind (the evidence an inbox
// shows beside a decision: the enrolment check's rules not met, the assessment's result), in one
// query. Cases without such an event are absent from the map.
func (s *Store) LatestEvents(ctx context.Context, caseIDs []string, kind string) (map[string]Event, error) {
	out := map[string]Event{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `
SELECT DISTINCT ON (case_id) id, case_id, event_key, kind, stage, actor_id, actor_role, detail, at, evidence
FROM case_events WHERE case_id = ANY($1) AND kind = $2 ORDER BY case_id, at DESC, id DESC`, caseIDs, kind)
	if err != nil {
		return nil, fmt.Errorf("latest %s events of %d cases: %w", kind, len(caseIDs), err)
	}
	evs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Event, error) {
		var e Event
		err := row.Scan(&e.ID, &e.CaseID, &e.Key, &e.Kind, &e.Stage, &e.ActorID, &e.ActorRole, &e.Detail, &e.At, &e.Evidence)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("latest %s events of %d cases: %w", kind, len(caseIDs), err)
	}
	for _, e := range evs {
		out[e.CaseID] = e
	}
	return out, nil
}
