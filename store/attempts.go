package store

import (
	"context"
	"fmt"
)

// RecordAttempt notes a failing partner call on a case (attempt number and last error) for the
// stuck-case view; attempt 0 with an empty error clears it after a success. It is written by
// the activity itself, outside the versioned projection, because the workflow does not see
// individual activity attempts. A case not yet in the read model is ignored.
//
// A row that says this already is not written again: every partner call that succeeds clears
// its case's attempts, and most succeed at once, so without the condition each wrote a new row
// version, its WAL and a commit to flush for nothing.
func (s *Store) RecordAttempt(ctx context.Context, caseID string, attempt int, lastError string) error {
	_, err := s.pool.Exec(ctx, `UPDATE cases SET attempts = $2, last_error = $3
WHERE case_id = $1 AND (attempts <> $2 OR last_error <> $3)`, caseID, attempt, lastError)
	if err != nil {
		return fmt.Errorf("record attempt on case %s: %w", caseID, err)
	}
	return nil
}
