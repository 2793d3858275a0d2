package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SyncCase writes a case's row (UpsertCase) and its new events (AppendEvent) in one round trip
// and one transaction: a journey's read-model write carries every event of its workflow task,
// and one commit for all of them costs PostgreSQL a fraction of one per statement. Both writes
// are idempotent as they are alone; the events are written even when the row is stale (an
// older projection replayed), as AppendEvent would.
func (s *Store) SyncCase(ctx context.Context, c Case, events []Event) error {
	args, err := upsertCaseArgs(c)
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.Queue(upsertCaseSQL, args...)
	for _, e := range events {
		eargs, err := appendEventArgs(e)
		if err != nil {
			return err
		}
		b.Queue(appendEventSQL, eargs...)
	}
	// A batch runs as one implicit transaction: a failed statement rolls back the others, and
	// the retried write (the local activity's retry) does them all again.
	br := s.pool.SendBatch(ctx, b)
	_, err = br.Exec()
	if err := upsertCaseError(c, err); err != nil {
		_ = br.Close()
		return err
	}
	for _, e := range events {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			return fmt.Errorf("append event %s to case %s: %w", e.Kind, e.CaseID, err)
		}
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("sync case %s: %w", c.CaseID, err)
	}
	return nil
}
