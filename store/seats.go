package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ReserveSeat takes a seat in a package for a case, unless the package is full. It is
// idempotent: a case that holds a seat keeps it (and gets true). taken is the number of seats
// held after the call. The package row is locked for the count, so concurrent enrolments in
// one package are serialised and capacity is never exceeded.
func (s *Store) ReserveSeat(ctx context.Context, pkg, caseID string, capacity int) (ok bool, taken int, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM training_packages WHERE code = $1 FOR UPDATE`, pkg).Scan(&one); err != nil {
			if err == pgx.ErrNoRows {
				return fmt.Errorf("package %s: %w", pkg, ErrNotFound)
			}
			return err
		}
		var held bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM package_seats WHERE package_code = $1 AND case_id = $2)`, pkg, caseID).Scan(&held); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM package_seats WHERE package_code = $1`, pkg).Scan(&taken); err != nil {
			return err
		}
		if held {
			ok = true
			return nil
		}
		if capacity > 0 && taken >= capacity {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO package_seats (package_code, case_id) VALUES ($1, $2)`, pkg, caseID); err != nil {
			return err
		}
		ok = true
		taken++
		return nil
	})
	if err != nil {
		return false, 0, fmt.Errorf("reserve seat in %s for case %s: %w", pkg, caseID, err)
	}
	return ok, taken, nil
}

// ReleaseSeat frees a case's seat (rejected, or withdrawn before training). Idempotent.
func (s *Store) ReleaseSeat(ctx context.Context, pkg, caseID string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM package_seats WHERE package_code = $1 AND case_id = $2`, pkg, caseID); err != nil {
		return fmt.Errorf("release seat in %s for case %s: %w", pkg, caseID, err)
	}
	return nil
}
