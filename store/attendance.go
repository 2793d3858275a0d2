package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// AttendanceMark is one trainee on one day's register.
type AttendanceMark struct {
	CaseID  string `json:"case_id"`
	Present bool   `json:"present"`
}

// AttendanceDay is one package's register for one training day. Day is the calendar day as
// midnight UTC.
type AttendanceDay struct {
	Package      string           `json:"package"`
	Day          time.Time        `json:"day"`
	Marks        []AttendanceMark `json:"marks"`
	RecordedBy   string           `json:"recorded_by,omitempty"`
	RecordedRole vocab.Role       `json:"recorded_role,omitempty"`
	RecordedAt   *time.Time       `json:"recorded_at,omitempty"`
}

// AttendanceCount is a case's running count over every day recorded for it, and the count the
// register last sent to its journey in mode (nil: none yet).
type AttendanceCount struct {
	CaseID  string `json:"case_id"`
	Present int    `json:"present"`
	Absent  int    `json:"absent"`
	// Sent is the count the journey last accepted from the register; SentMode its mode.
	Sent     *int   `json:"-"`
	SentMode string `json:"-"`
}

// DaySummary is one recorded day of a package: how many were present and absent.
type DaySummary struct {
	Day        time.Time `json:"day"`
	Present    int       `json:"present"`
	Absent     int       `json:"absent"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// RecordAttendanceDay writes a day's register, replacing what was recorded for the listed
// cases that day (rows of a trainee no longer listed, one who has since left, stay), and
// returns the running count of every listed case, in one transaction.
func (s *Store) RecordAttendanceDay(ctx context.Context, d AttendanceDay) ([]AttendanceCount, error) {
	if d.Package == "" || d.Day.IsZero() || len(d.Marks) == 0 || d.RecordedBy == "" {
		return nil, fmt.Errorf("record attendance: package, day, marks and who recorded them are required: %w", ErrInvalid)
	}
	ids := make([]string, len(d.Marks))
	present := make([]bool, len(d.Marks))
	for i, m := range d.Marks {
		ids[i], present[i] = m.CaseID, m.Present
	}
	at := time.Now()
	if d.RecordedAt != nil {
		at = *d.RecordedAt
	}
	var out []AttendanceCount
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM attendance_days WHERE package_code = $1 AND day = $2 AND case_id = ANY ($3)`,
			d.Package, d.Day, ids); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
INSERT INTO attendance_days (package_code, day, case_id, present, recorded_by, recorded_role, recorded_at)
SELECT $1, $2, m.case_id, m.present, $5, $6, $7 FROM unnest($3::text[], $4::boolean[]) AS m (case_id, present)`,
			d.Package, d.Day, ids, present, d.RecordedBy, string(d.RecordedRole), at); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
SELECT a.case_id, count(*) FILTER (WHERE a.present), count(*) FILTER (WHERE NOT a.present), s.days, COALESCE(s.mode, '')
FROM attendance_days a LEFT JOIN attendance_sent s ON s.case_id = a.case_id
WHERE a.package_code = $1 AND a.case_id = ANY ($2)
GROUP BY a.case_id, s.days, s.mode ORDER BY a.case_id`, d.Package, ids)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (AttendanceCount, error) {
			var c AttendanceCount
			err := row.Scan(&c.CaseID, &c.Present, &c.Absent, &c.Sent, &c.SentMode)
			return c, err
		})
		return err
	})
	switch pgCode(err) {
	case "":
	case pgForeignKeyViolation:
		return nil, fmt.Errorf("record attendance: unknown package %s: %w", d.Package, ErrInvalid)
	}
	if err != nil {
		return nil, fmt.Errorf("record attendance of %s on %s: %w", d.Package, d.Day.Format(time.DateOnly), err)
	}
	return out, nil
}

// MarkAttendanceSent records the count a case's journey accepted from the register.
func (s *Store) MarkAttendanceSent(ctx context.Context, caseID, mode string, days int, at time.Time) error {
	_, err := s.pool.Exec(ctx, `
INSERT INTO attendance_sent (case_id, mode, days, sent_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (case_id) DO UPDATE SET mode = EXCLUDED.mode, days = EXCLUDED.days, sent_at = EXCLUDED.sent_at`,
		caseID, mode, days, at)
	if err != nil {
		return fmt.Errorf("mark attendance sent for case %s: %w", caseID, err)
	}
	return nil
}

// AttendanceDayOf returns a package's register for one day; a day never recorded comes back
// with no marks.
func (s *Store) AttendanceDayOf(ctx context.Context, pkg string, day time.Time) (AttendanceDay, error) {
	d := AttendanceDay{Package: pkg, Day: day, Marks: []AttendanceMark{}}
	rows, err := s.pool.Query(ctx, `
SELECT case_id, present, recorded_by, recorded_role, recorded_at FROM attendance_days
WHERE package_code = $1 AND day = $2 ORDER BY recorded_at DESC, case_id`, pkg, day)
	if err != nil {
		return d, fmt.Errorf("attendance of %s on %s: %w", pkg, day.Format(time.DateOnly), err)
	}
	defer rows.Close()
	for rows.Next() {
		var m AttendanceMark
		var by, role string
		var at time.Time
		if err := rows.Scan(&m.CaseID, &m.Present, &by, &role, &at); err != nil {
			return d, fmt.Errorf("attendance of %s on %s: %w", pkg, day.Format(time.DateOnly), err)
		}
		if d.RecordedAt == nil { // the latest recording names who recorded the day
			d.RecordedBy, d.RecordedRole, d.RecordedAt = by, vocab.Role(role), &at
		}
		d.Marks = append(d.Marks, m)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("attendance of %s on %s: %w", pkg, day.Format(time.DateOnly), err)
	}
	return d, nil
}

// AttendanceDays summarises every day recorded for a package, in date order.
func (s *Store) AttendanceDays(ctx context.Context, pkg string) ([]DaySummary, error) {
	rows, err := s.pool.Query(ctx, `
SELECT day, count(*) FILTER (WHERE present), count(*) FILTER (WHERE NOT present),
	(array_agg(recorded_by ORDER BY recorded_at DESC))[1], max(recorded_at)
FROM attendance_days WHERE package_code = $1 GROUP BY day ORDER BY day`, pkg)
	if err != nil {
		return nil, fmt.Errorf("attendance days of %s: %w", pkg, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DaySummary, error) {
		var d DaySummary
		err := row.Scan(&d.Day, &d.Present, &d.Absent, &d.RecordedBy, &d.RecordedAt)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("attendance days of %s: %w", pkg, err)
	}
	return out, nil
}

// AttendanceCounts returns the running count of every case recorded in a package's register.
func (s *Store) AttendanceCounts(ctx context.Context, pkg string) ([]AttendanceCount, error) {
	rows, err := s.pool.Query(ctx, `
SELECT case_id, count(*) FILTER (WHERE present), count(*) FILTER (WHERE NOT present)
FROM attendance_days WHERE package_code = $1 GROUP BY case_id ORDER BY case_id`, pkg)
	if err != nil {
		return nil, fmt.Errorf("attendance counts of %s: %w", pkg, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AttendanceCount, error) {
		var c AttendanceCount
		err := row.Scan(&c.CaseID, &c.Present, &c.Absent)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("attendance counts of %s: %w", pkg, err)
	}
	return out, nil
}
