package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

const batchColumns = `case_id, workflow_id, payload, created_at, exported_at, COALESCE(kpj, ''), delivered_at, flagged_at`

// EnqueueBatch queues a BPJS registration for the next spreadsheet export. It is idempotent per
// case: a retried activity never queues a person twice, and the first payload is kept.
func (s *Store) EnqueueBatch(ctx context.Context, b BatchRegistration) error {
	if b.CaseID == "" || b.WorkflowID == "" || len(b.Payload) == 0 {
		return fmt.Errorf("enqueue batch registration: case id, workflow id and payload are required: %w", ErrInvalid)
	}
	_, err := s.pool.Exec(ctx, `
INSERT INTO bpjs_batch (case_id, workflow_id, payload, created_at) VALUES ($1, $2, $3, COALESCE($4, now()))
ON CONFLICT (case_id) DO NOTHING`, b.CaseID, b.WorkflowID, b.Payload, nullTime(b.CreatedAt))
	if err != nil {
		return fmt.Errorf("enqueue batch registration for case %s: %w", b.CaseID, err)
	}
	return nil
}

// PendingBatch returns the registrations still waiting for a KPJ, oldest first, whether or not
// they were exported already (a lost spreadsheet is simply exported again). A registration
// whose case has closed (a trainee withdrawn before the file went out) is left out: it would
// register someone who no longer trains.
func (s *Store) PendingBatch(ctx context.Context) ([]BatchRegistration, error) {
	return s.queryBatch(ctx, "pending batch registrations",
		`SELECT `+batchColumns+` FROM bpjs_batch b WHERE kpj IS NULL
AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = b.case_id AND c.status = 'closed')
ORDER BY created_at, case_id`)
}

// UndeliveredKPJs returns registrations with an imported KPJ that no workflow has been told about
// yet, so a crash between import and signalling is recovered by signalling again.
func (s *Store) UndeliveredKPJs(ctx context.Context) ([]BatchRegistration, error) {
	return s.queryBatch(ctx, "undelivered batch kpjs",
		`SELECT `+batchColumns+` FROM bpjs_batch WHERE kpj IS NOT NULL AND delivered_at IS NULL AND flagged_at IS NULL ORDER BY created_at, case_id`)
}

// SetBatchKPJ stores the KPJ the branch office returned for a case and returns the workflow to
// notify. Importing the same KPJ again is a no-op that returns the workflow id again; a different
// KPJ for a case that already has one is refused with ErrExists (never register a person twice).
// An unknown case gives ErrNotFound.
func (s *Store) SetBatchKPJ(ctx context.Context, caseID, kpj string) (string, error) {
	if kpj == "" {
		return "", fmt.Errorf("set batch kpj for case %s: empty kpj: %w", caseID, ErrInvalid)
	}
	var workflowID, stored string
	err := s.pool.QueryRow(ctx, `
UPDATE bpjs_batch SET kpj = COALESCE(kpj, $2) WHERE case_id = $1
RETURNING workflow_id, kpj`, caseID, kpj).Scan(&workflowID, &stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("set batch kpj for case %s: %w", caseID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("set batch kpj for case %s: %w", caseID, err)
	}
	if stored != kpj {
		return "", fmt.Errorf("set batch kpj for case %s: case already has a different kpj: %w", caseID, ErrExists)
	}
	return workflowID, nil
}

// MarkBatchDelivered records that the workflow of caseID received its KPJ.
func (s *Store) MarkBatchDelivered(ctx context.Context, caseID string, at time.Time) error {
	tag, err := s.pool.Exec(ctx,
		`UPDATE bpjs_batch SET delivered_at = COALESCE(delivered_at, $2) WHERE case_id = $1`, caseID, at)
	if err != nil {
		return fmt.Errorf("mark batch kpj delivered for case %s: %w", caseID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("mark batch kpj delivered for case %s: %w", caseID, ErrNotFound)
	}
	return nil
}

func (s *Store) queryBatch(ctx context.Context, what, q string, args ...any) ([]BatchRegistration, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (BatchRegistration, error) {
		var b BatchRegistration
		err := row.Scan(&b.CaseID, &b.WorkflowID, &b.Payload, &b.CreatedAt, &b.ExportedAt, &b.KPJ, &b.DeliveredAt, &b.FlaggedAt)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
