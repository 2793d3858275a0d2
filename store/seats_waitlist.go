package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SeatRequest asks for a seat in a package for a case, at the approval of its enrolment.
type SeatRequest struct {
	Package string
	CaseID  string
	// Waitlist puts the case on the package's waiting list when no seat is left.
	Waitlist bool
	// OverCapacity takes a seat beyond the capacity (a coordinator's decision); Reason says why.
	OverCapacity bool
	Reason       string
}

// SeatResult is where a case stands after a SeatRequest. Neither Seated nor Waiting means the
// package was full and the request was refused; Taken and Capacity give the count.
type SeatResult struct {
	Seated   bool
	Waiting  bool
	Position int // on the waiting list, from 1, when Waiting
	Taken    int // seats taken after the request
	Capacity int // 0: no limit
}

// Promotion is a case moved from a package's waiting list into a freed seat.
type Promotion struct {
	Package    string
	CaseID     string
	WorkflowID string
	FreedBy    string // what freed the seat: a case ID, or "capacity raised to N"
}

// lockPackage locks a package's row for the seat decision and returns its capacity: every seat
// decision of one package is serialised on it, so two approvals never take the last seat twice.
func lockPackage(ctx context.Context, tx pgx.Tx, pkg string) (int, error) {
	var capacity int
	err := tx.QueryRow(ctx, `SELECT capacity FROM training_packages WHERE code = $1 FOR UPDATE`, pkg).Scan(&capacity)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("package %s: %w", pkg, ErrNotFound)
	}
	return capacity, err
}

func seatsTaken(ctx context.Context, tx pgx.Tx, pkg string) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM package_seats WHERE package_code = $1`, pkg).Scan(&n)
	return n, err
}

func waitlistPosition(ctx context.Context, tx pgx.Tx, pkg, caseID string) (int, error) {
	var pos int
	err := tx.QueryRow(ctx, `
SELECT count(*) FROM package_waitlist
WHERE package_code = $1 AND seq <= (SELECT seq FROM package_waitlist WHERE package_code = $1 AND case_id = $2)`,
		pkg, caseID).Scan(&pos)
	return pos, err
}

// TakeSeat decides a seat for a case in one transaction under the package's lock: a case that
// holds a seat keeps it; a free seat is taken; a full package puts the case on the waiting list
// (Waitlist), seats it anyway (OverCapacity) or refuses (neither). It is idempotent, so a retried
// activity gets the same answer.
func (s *Store) TakeSeat(ctx context.Context, r SeatRequest) (SeatResult, error) {
	var out SeatResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if out.Capacity, err = lockPackage(ctx, tx, r.Package); err != nil {
			return err
		}
		if out.Taken, err = seatsTaken(ctx, tx, r.Package); err != nil {
			return err
		}
		var held, waiting bool
		if err := tx.QueryRow(ctx, `
SELECT EXISTS (SELECT 1 FROM package_seats WHERE package_code = $1 AND case_id = $2),
       EXISTS (SELECT 1 FROM package_waitlist WHERE package_code = $1 AND case_id = $2)`,
			r.Package, r.CaseID).Scan(&held, &waiting); err != nil {
			return err
		}
		full := out.Capacity > 0 && out.Taken >= out.Capacity
		switch {
		case held:
			out.Seated = true
			return nil
		case !full || r.OverCapacity:
			if _, err := tx.Exec(ctx, `DELETE FROM package_waitlist WHERE package_code = $1 AND case_id = $2`, r.Package, r.CaseID); err != nil {
				return err
			}
			reason := ""
			if full {
				reason = r.Reason
			}
			if _, err := tx.Exec(ctx, `INSERT INTO package_seats (package_code, case_id, over_capacity_reason) VALUES ($1, $2, $3)`,
				r.Package, r.CaseID, reason); err != nil {
				return err
			}
			out.Seated = true
			out.Taken++
			return nil
		case waiting || r.Waitlist:
			if _, err := tx.Exec(ctx, `INSERT INTO package_waitlist (package_code, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
				r.Package, r.CaseID); err != nil {
				return err
			}
			out.Waiting = true
			out.Position, err = waitlistPosition(ctx, tx, r.Package, r.CaseID)
			return err
		}
		return nil
	})
	if err != nil {
		return SeatResult{}, fmt.Errorf("take seat in %s for case %s: %w", r.Package, r.CaseID, err)
	}
	return out, nil
}

// FreeSeat gives up a case's seat (or its place on the waiting list) and fills the seats now free
// from the waiting list, in order, in the same transaction. It returns the cases moved in; their
// journeys are still to be told (SeatNotices). Idempotent: a case with no seat frees nothing, but
// free seats are still filled.
func (s *Store) FreeSeat(ctx context.Context, pkg, caseID string) ([]Promotion, error) {
	var moved []Promotion
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		capacity, err := lockPackage(ctx, tx, pkg)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM package_seats WHERE package_code = $1 AND case_id = $2`,
			`DELETE FROM package_waitlist WHERE package_code = $1 AND case_id = $2`,
		} {
			if _, err := tx.Exec(ctx, q, pkg, caseID); err != nil {
				return err
			}
		}
		moved, err = fillSeats(ctx, tx, pkg, capacity, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("free seat in %s of case %s: %w", pkg, caseID, err)
	}
	return moved, nil
}

// CapacityBelowTakenError refuses a capacity below the seats a package has taken. It is an
// ErrInvalid (errors.Is), worded as before; the numbers let the API word it from the message
// catalogue in the reader's language (issue 15).
type CapacityBelowTakenError struct {
	Capacity, Taken int
}

func (e *CapacityBelowTakenError) Error() string {
	return fmt.Sprintf("capacity %d is below the %d seats taken: %v", e.Capacity, e.Taken, ErrInvalid)
}

// Unwrap makes the refusal an ErrInvalid.
func (e *CapacityBelowTakenError) Unwrap() error { return ErrInvalid }

// SetCapacity changes a package's capacity and seats waiting cases in order when it grows. A
// capacity below the seats already taken is refused (ErrInvalid) with the count.
func (s *Store) SetCapacity(ctx context.Context, pkg string, capacity int) ([]Promotion, error) {
	if capacity < 1 {
		return nil, fmt.Errorf("package %s: capacity must be at least 1, not %d: %w", pkg, capacity, ErrInvalid)
	}
	var moved []Promotion
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := lockPackage(ctx, tx, pkg); err != nil {
			return err
		}
		taken, err := seatsTaken(ctx, tx, pkg)
		if err != nil {
			return err
		}
		if capacity < taken {
			return &CapacityBelowTakenError{Capacity: capacity, Taken: taken}
		}
		if _, err := tx.Exec(ctx, `UPDATE training_packages SET capacity = $2 WHERE code = $1`, pkg, capacity); err != nil {
			return err
		}
		moved, err = fillSeats(ctx, tx, pkg, capacity, fmt.Sprintf("capacity raised to %d", capacity))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("set capacity of %s: %w", pkg, err)
	}
	return moved, nil
}

// fillSeats moves waiting cases into free seats, first queued first, under the package's lock.
func fillSeats(ctx context.Context, tx pgx.Tx, pkg string, capacity int, freedBy string) ([]Promotion, error) {
	taken, err := seatsTaken(ctx, tx, pkg)
	if err != nil {
		return nil, err
	}
	free := capacity - taken
	if capacity == 0 {
		free = 1 << 30
	}
	if free <= 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `
DELETE FROM package_waitlist WHERE (package_code, case_id) IN (
	SELECT package_code, case_id FROM package_waitlist WHERE package_code = $1 ORDER BY seq LIMIT $2)
RETURNING case_id, seq`, pkg, free)
	if err != nil {
		return nil, err
	}
	type queued struct {
		id  string
		seq int64
	}
	qs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (queued, error) {
		var q queued
		return q, r.Scan(&q.id, &q.seq)
	})
	if err != nil {
		return nil, err
	}
	var moved []Promotion
	for len(qs) > 0 { // in queue order (RETURNING keeps none)
		first := 0
		for i := range qs {
			if qs[i].seq < qs[first].seq {
				first = i
			}
		}
		id := qs[first].id
		qs = append(qs[:first], qs[first+1:]...)
		if _, err := tx.Exec(ctx, `INSERT INTO package_seats (package_code, case_id, freed_by, from_waitlist) VALUES ($1, $2, $3, true)`,
			pkg, id, freedBy); err != nil {
			return nil, err
		}
		moved = append(moved, Promotion{Package: pkg, CaseID: id, FreedBy: freedBy})
	}
	return moved, nil
}

// SeatNotices lists the cases of a package moved in from the waiting list whose journeys have
// not been told yet, in the order they were seated.
func (s *Store) SeatNotices(ctx context.Context, pkg string) ([]Promotion, error) {
	rows, err := s.pool.Query(ctx, `
SELECT s.case_id, COALESCE(c.workflow_id, ''), s.freed_by FROM package_seats s
LEFT JOIN cases c ON c.case_id = s.case_id
WHERE s.package_code = $1 AND s.from_waitlist AND s.notified_at IS NULL
ORDER BY s.reserved_at, s.case_id`, pkg)
	if err != nil {
		return nil, fmt.Errorf("seat notices of %s: %w", pkg, err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Promotion, error) {
		p := Promotion{Package: pkg}
		return p, r.Scan(&p.CaseID, &p.WorkflowID, &p.FreedBy)
	})
	if err != nil {
		return nil, fmt.Errorf("seat notices of %s: %w", pkg, err)
	}
	return ps, nil
}

// MarkSeatNotified records that a seated case's journey was told of its seat.
func (s *Store) MarkSeatNotified(ctx context.Context, pkg, caseID string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE package_seats SET notified_at = now() WHERE package_code = $1 AND case_id = $2`, pkg, caseID); err != nil {
		return fmt.Errorf("mark seat of %s in %s notified: %w", caseID, pkg, err)
	}
	return nil
}

// SeatCount is how full a package is.
type SeatCount struct {
	Taken    int `json:"seats_taken"`
	Capacity int `json:"capacity"`
	Waiting  int `json:"waiting"`
}

// SeatCounts returns the seat count of each package named.
func (s *Store) SeatCounts(ctx context.Context, pkgs []string) (map[string]SeatCount, error) {
	rows, err := s.pool.Query(ctx, `
SELECT p.code, p.capacity,
       (SELECT count(*) FROM package_seats s WHERE s.package_code = p.code),
       (SELECT count(*) FROM package_waitlist w WHERE w.package_code = p.code)
FROM training_packages p WHERE p.code = ANY($1)`, pkgs)
	if err != nil {
		return nil, fmt.Errorf("seat counts: %w", err)
	}
	out := map[string]SeatCount{}
	var code string
	var c SeatCount
	_, err = pgx.ForEachRow(rows, []any{&code, &c.Capacity, &c.Taken, &c.Waiting}, func() error {
		out[code] = c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seat counts: %w", err)
	}
	return out, nil
}

// WaitlistPositions returns the waiting-list position (from 1) of each case of a package on it.
func (s *Store) WaitlistPositions(ctx context.Context, pkg string) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `
SELECT case_id, row_number() OVER (ORDER BY seq) FROM package_waitlist WHERE package_code = $1`, pkg)
	if err != nil {
		return nil, fmt.Errorf("waiting list of %s: %w", pkg, err)
	}
	out := map[string]int{}
	var id string
	var pos int
	_, err = pgx.ForEachRow(rows, []any{&id, &pos}, func() error {
		out[id] = pos
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("waiting list of %s: %w", pkg, err)
	}
	return out, nil
}
