package store

import (
	"context"
	"fmt"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// CaseGroup is the number of cases sharing a centre, a stage and (for stuck cases) a stuck
// code and a waiting party: the shape of the case gauges on /metrics.
type CaseGroup struct {
	Centre    string
	Stage     vocab.Stage
	StuckCode vocab.Reason // empty when not stuck
	WaitingOn vocab.Party  // set only for stuck cases
	N         int
}

// CaseGroups counts all cases by centre, stage, stuck code and waiting party in one query.
func (s *Store) CaseGroups(ctx context.Context) ([]CaseGroup, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT centre_code, stage,
		       CASE WHEN stuck THEN COALESCE(NULLIF(stuck_code, ''), 'unknown') ELSE '' END,
		       CASE WHEN stuck THEN waiting_on ELSE '' END,
		       count(*)
		FROM cases
		GROUP BY 1, 2, 3, 4`)
	if err != nil {
		return nil, fmt.Errorf("count cases by stage: %w", err)
	}
	defer rows.Close()
	var out []CaseGroup
	for rows.Next() {
		var g CaseGroup
		if err := rows.Scan(&g.Centre, &g.Stage, &g.StuckCode, &g.WaitingOn, &g.N); err != nil {
			return nil, fmt.Errorf("count cases by stage: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count cases by stage: %w", err)
	}
	return out, nil
}
