package store

import (
	"context"
	"fmt"
)

// EachPackageBatch reads the packages of one centre (every centre when centre is "") in
// ListPackages' order with one query and hands them to fn batch at a time as they arrive, so
// an export of every package never sits whole in memory. An error from fn stops the read and
// is returned.
func (s *Store) EachPackageBatch(ctx context.Context, centre string, batch int, fn func([]Package) error) error {
	q := `SELECT ` + packageColumns + ` FROM training_packages`
	var args []any
	if centre != "" {
		q += ` WHERE centre_code = $1`
		args = append(args, centre)
	}
	q += ` ORDER BY start_date DESC, code`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("export packages of %q: %w", centre, err)
	}
	defer rows.Close()
	buf := make([]Package, 0, batch)
	for rows.Next() {
		p, err := scanPackage(rows)
		if err != nil {
			return fmt.Errorf("export packages of %q: %w", centre, err)
		}
		if buf = append(buf, p); len(buf) == batch {
			if err := fn(buf); err != nil {
				return err
			}
			buf = make([]Package, 0, batch) // fn may keep the batch it was given
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export packages of %q: %w", centre, err)
	}
	if len(buf) > 0 {
		return fn(buf)
	}
	return nil
}
