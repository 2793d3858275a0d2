package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// BatchDelivered reports whether a case's KPJ from the batch exchange already reached its
// journey, so a re-imported file does not deliver it twice.
func (s *Store) BatchDelivered(ctx context.Context, caseID string) (bool, error) {
	var delivered bool
	err := s.pool.QueryRow(ctx, `SELECT delivered_at IS NOT NULL FROM bpjs_batch WHERE case_id = $1`, caseID).Scan(&delivered)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("batch registration of case %s: %w", caseID, ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("batch registration of case %s: %w", caseID, err)
	}
	return delivered, nil
}
