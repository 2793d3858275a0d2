package store

import (
	"context"
	"fmt"
	"strconv"
)

// EachCaseBatch reads the cases matching f in ListCases' order with one query and hands them to
// fn batch at a time as they arrive from PostgreSQL, so an export of the whole network neither
// sits in memory nor sorts the table again for every page. f.Limit (0: no limit) and f.Offset
// apply. The query's connection is held until the last batch is handed over; fn may use the
// store (another connection). An error from fn stops the read and is returned.
func (s *Store) EachCaseBatch(ctx context.Context, f CaseFilter, batch int, fn func([]Case) error) error {
	where, args := f.where()
	q := `SELECT ` + caseColumns + ` FROM cases c` + where + ` ORDER BY COALESCE(c.stuck_since, c.stage_entered_at), c.case_id`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += ` LIMIT $` + strconv.Itoa(len(args))
	}
	if f.Offset > 0 {
		args = append(args, f.Offset)
		q += ` OFFSET $` + strconv.Itoa(len(args))
	}
	rows, err := s.pool.Query(ctx, q, f.planned(args)...)
	if err != nil {
		return fmt.Errorf("export cases: %w", err)
	}
	defer rows.Close()
	buf := make([]Case, 0, batch)
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return fmt.Errorf("export cases: %w", err)
		}
		if buf = append(buf, c); len(buf) == batch {
			if err := fn(buf); err != nil {
				return err
			}
			buf = make([]Case, 0, batch) // fn may keep the batch it was given
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export cases: %w", err)
	}
	if len(buf) > 0 {
		return fn(buf)
	}
	return nil
}
