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

// ReopenBatch puts a case's registration back among the pending ones when the KPJ the branch
// office returned for it turned out to belong to another person: the next file asks again. It
// only undoes that KPJ (a later, corrected one is kept) and is idempotent.
func (s *Store) ReopenBatch(ctx context.Context, caseID, kpj string) error {
	_, err := s.pool.Exec(ctx,
		`UPDATE bpjs_batch SET kpj = NULL, delivered_at = NULL WHERE case_id = $1 AND kpj = $2`, caseID, kpj)
	if err != nil {
		return fmt.Errorf("reopen batch registration of case %s: %w", caseID, err)
	}
	return nil
}
