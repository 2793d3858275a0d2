package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// BatchExport is one BPJS batch file someone took: it held the NIK and name of every
// registration in it, so who took it, when and which cases are kept.
type BatchExport struct {
	ID        int64      `json:"id"`
	TakenBy   string     `json:"taken_by"`
	TakenRole vocab.Role `json:"taken_role"`
	TakenAt   time.Time  `json:"taken_at"`
	Rows      int        `json:"rows"`
	CaseIDs   []string   `json:"case_ids"`
}

// RecordBatchExport marks the file's registrations exported and records who took it, in one
// transaction: a file is never handed out unrecorded. A file without rows holds no personal
// data and is not recorded (the zero BatchExport comes back).
func (s *Store) RecordBatchExport(ctx context.Context, e BatchExport) (BatchExport, error) {
	if len(e.CaseIDs) == 0 {
		return BatchExport{}, nil
	}
	if e.TakenBy == "" || e.TakenRole == "" {
		return BatchExport{}, fmt.Errorf("record batch export: who took it is required: %w", ErrInvalid)
	}
	e.Rows = len(e.CaseIDs)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE bpjs_batch SET exported_at = $2 WHERE case_id = ANY ($1) AND kpj IS NULL`, e.CaseIDs, e.TakenAt); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
INSERT INTO bpjs_batch_exports (taken_by, taken_role, taken_at, row_count, case_ids)
VALUES ($1, $2, $3, $4, $5) RETURNING id`, e.TakenBy, string(e.TakenRole), e.TakenAt, e.Rows, e.CaseIDs).Scan(&e.ID)
	})
	if err != nil {
		return BatchExport{}, fmt.Errorf("record batch export of %d rows taken by %s: %w", len(e.CaseIDs), e.TakenBy, err)
	}
	return e, nil
}

// BatchExports lists the files taken, newest first; limit 0 means all.
func (s *Store) BatchExports(ctx context.Context, limit int) ([]BatchExport, error) {
	q := `SELECT id, taken_by, taken_role, taken_at, row_count, case_ids FROM bpjs_batch_exports ORDER BY taken_at DESC, id DESC`
	var args []any
	if limit > 0 {
		q += ` LIMIT $1`
		args = append(args, limit)
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list batch exports: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (BatchExport, error) {
		var e BatchExport
		err := row.Scan(&e.ID, &e.TakenBy, &e.TakenRole, &e.TakenAt, &e.Rows, &e.CaseIDs)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("list batch exports: %w", err)
	}
	return out, nil
}

// LastExportOf returns the latest file that held the case's registration, or ErrNotFound.
func (s *Store) LastExportOf(ctx context.Context, caseID string) (BatchExport, error) {
	var e BatchExport
	err := s.pool.QueryRow(ctx, `
SELECT id, taken_by, taken_role, taken_at, row_count, case_ids FROM bpjs_batch_exports
WHERE $1 = ANY (case_ids) ORDER BY taken_at DESC, id DESC LIMIT 1`, caseID).
		Scan(&e.ID, &e.TakenBy, &e.TakenRole, &e.TakenAt, &e.Rows, &e.CaseIDs)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, fmt.Errorf("batch export holding case %s: %w", caseID, ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("batch export holding case %s: %w", caseID, err)
	}
	return e, nil
}

// BatchRegistrationOf returns a case's registration in the batch exchange, or ErrNotFound.
func (s *Store) BatchRegistrationOf(ctx context.Context, caseID string) (BatchRegistration, error) {
	rs, err := s.queryBatch(ctx, "batch registration of case "+caseID,
		`SELECT `+batchColumns+` FROM bpjs_batch WHERE case_id = $1`, caseID)
	if err != nil {
		return BatchRegistration{}, err
	}
	if len(rs) == 0 {
		return BatchRegistration{}, fmt.Errorf("batch registration of case %s: %w", caseID, ErrNotFound)
	}
	return rs[0], nil
}

// FlagBatchKPJ keeps a KPJ the branch office returned for a case that closed before it came
// back, and flags it: it is not delivered, and the membership is to be cancelled. It reports
// whether this call flagged it (false when it was already flagged, so a re-imported file asks
// nobody twice). A different KPJ than one already stored is ErrExists; no registration is
// ErrNotFound.
func (s *Store) FlagBatchKPJ(ctx context.Context, caseID, kpj string, at time.Time) (bool, error) {
	if kpj == "" {
		return false, fmt.Errorf("flag batch kpj for case %s: empty kpj: %w", caseID, ErrInvalid)
	}
	var stored string
	var was *time.Time
	err := s.pool.QueryRow(ctx, `
WITH old AS (SELECT flagged_at FROM bpjs_batch WHERE case_id = $1)
UPDATE bpjs_batch SET kpj = COALESCE(kpj, $2), flagged_at = COALESCE(flagged_at, $3) WHERE case_id = $1
RETURNING kpj, (SELECT flagged_at FROM old)`, caseID, kpj, at).Scan(&stored, &was)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("flag batch kpj for case %s: %w", caseID, ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("flag batch kpj for case %s: %w", caseID, err)
	}
	if stored != kpj {
		return false, fmt.Errorf("flag batch kpj for case %s: case already has a different kpj: %w", caseID, ErrExists)
	}
	return was == nil, nil
}
