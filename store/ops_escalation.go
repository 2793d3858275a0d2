package store

import (
	"context"
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// MarkEscalated records that a case was escalated to a role, for the stuck list. It is written
// outside the versioned projection (the journey does not know about escalations), and a later
// projection leaves it alone. An unknown case is ErrNotFound.
func (s *Store) MarkEscalated(ctx context.Context, caseID string, role vocab.Role, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE cases SET escalated_at = $2, escalated_to = $3 WHERE case_id = $1`, caseID, at, role)
	if err != nil {
		return fmt.Errorf("mark case %s escalated: %w", caseID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("mark case %s escalated: %w", caseID, ErrNotFound)
	}
	return nil
}
