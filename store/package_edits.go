package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PackageValues are the fields of a package an edit may change besides its capacity, as the
// audit keeps them (package_edits.old_values, new_values).
type PackageValues struct {
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	Hours         int       `json:"hours"`
	AttendanceMin float64   `json:"attendance_min"`
	AutoApprove   bool      `json:"auto_approve"`
	LSP           string    `json:"lsp"`
}

// ValuesOf are p's editable values.
func ValuesOf(p Package) PackageValues {
	return PackageValues{Start: p.StartDate, End: p.EndDate, Hours: p.Hours, AttendanceMin: p.AttendanceMin,
		AutoApprove: p.AutoApprove, LSP: p.LSPCode}
}

// PackageEditCase is what one case's journey answered to an edit. Message is the answer in
// English; a refusal also keeps its message code and parameters (Code, Params), so the pages
// word it in the reader's language (issue 15). They are fields of the cases JSON column
// (package_edits.cases): an edit recorded before them has none, and keeps its English.
type PackageEditCase struct {
	CaseID  string            `json:"case_id"`
	Outcome string            `json:"outcome"`
	Message string            `json:"message"`
	Code    string            `json:"code,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
}

// PackageEdit is one audited edit of a package.
type PackageEdit struct {
	ID       int64             `json:"id"`
	Package  string            `json:"package"`
	EditedBy string            `json:"edited_by"`
	Role     string            `json:"edited_role"`
	EditedAt time.Time         `json:"edited_at"`
	Old      PackageValues     `json:"old"`
	New      PackageValues     `json:"new"`
	Cases    []PackageEditCase `json:"cases"`
}

// EditPackage stores a package's new dates, hours, minimum attendance, automatic approval and
// LSP (its other fields are not touched) and audits the edit with the values before and after,
// under the package row's lock so two edits are recorded in the order they were made. It
// returns the package as it was and the audit row's ID. An LSP that is unknown or not a
// certifier is refused (ErrInvalid), like at creation.
func (s *Store) EditPackage(ctx context.Context, code string, v PackageValues, by, role string) (Package, int64, error) {
	var old Package
	var id int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+packageColumns+` FROM training_packages WHERE code = $1 FOR UPDATE`, code)
		var err error
		old, err = pgx.CollectExactlyOneRow(rows, scanPackage)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("package %s: %w", code, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if v.LSP != old.LSPCode {
			var kind string
			err := tx.QueryRow(ctx, `SELECT kind FROM partners WHERE code = $1`, v.LSP).Scan(&kind)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("unknown LSP %q: %w", v.LSP, ErrInvalid)
			}
			if err != nil {
				return err
			}
			if kind != "certifier" {
				return fmt.Errorf("partner %q is not an LSP: %w", v.LSP, ErrInvalid)
			}
		}
		_, err = tx.Exec(ctx, `UPDATE training_packages SET start_date = $2, end_date = $3, hours = $4,
	attendance_min = $5, auto_approve = $6, lsp_code = $7 WHERE code = $1`,
			code, v.Start, v.End, v.Hours, v.AttendanceMin, v.AutoApprove, nullString(v.LSP))
		if pgCode(err) == pgCheckViolation {
			return fmt.Errorf("%s violated (dates, hours or attendance): %w", pgConstraint(err), ErrInvalid)
		}
		if err != nil {
			return err
		}
		oldJSON, err := json.Marshal(ValuesOf(old))
		if err != nil {
			return err
		}
		newJSON, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO package_edits (package_code, edited_by, edited_role, old_values, new_values)
VALUES ($1, $2, $3, $4, $5) RETURNING id`, code, by, role, oldJSON, newJSON).Scan(&id)
	})
	if err != nil {
		return Package{}, 0, fmt.Errorf("edit package %s: %w", code, err)
	}
	return old, id, nil
}

// RecordPackageEditCases keeps what the package's journeys answered to edit id.
func (s *Store) RecordPackageEditCases(ctx context.Context, id int64, cases []PackageEditCase) error {
	if cases == nil {
		cases = []PackageEditCase{}
	}
	b, err := json.Marshal(cases)
	if err != nil {
		return fmt.Errorf("record package edit %d: %w", id, err)
	}
	if _, err := s.pool.Exec(ctx, `UPDATE package_edits SET cases = $2 WHERE id = $1`, id, b); err != nil {
		return fmt.Errorf("record package edit %d: %w", id, err)
	}
	return nil
}

// ListPackageEdits returns a package's audited edits, newest first.
func (s *Store) ListPackageEdits(ctx context.Context, code string) ([]PackageEdit, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, package_code, edited_by, edited_role, edited_at, old_values, new_values, cases
FROM package_edits WHERE package_code = $1 ORDER BY edited_at DESC, id DESC`, code)
	if err != nil {
		return nil, fmt.Errorf("list edits of package %s: %w", code, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PackageEdit, error) {
		var e PackageEdit
		var oldJSON, newJSON, casesJSON []byte
		if err := row.Scan(&e.ID, &e.Package, &e.EditedBy, &e.Role, &e.EditedAt, &oldJSON, &newJSON, &casesJSON); err != nil {
			return e, err
		}
		if err := json.Unmarshal(oldJSON, &e.Old); err != nil {
			return e, err
		}
		if err := json.Unmarshal(newJSON, &e.New); err != nil {
			return e, err
		}
		return e, json.Unmarshal(casesJSON, &e.Cases)
	})
	if err != nil {
		return nil, fmt.Errorf("list edits of package %s: %w", code, err)
	}
	return out, nil
}
