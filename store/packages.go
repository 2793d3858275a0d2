package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

const packageColumns = `code, centre_code, trade, scheme, COALESCE(lsp_code, ''), start_date, end_date,
	hours, capacity, attendance_min, auto_approve, created_at`

// CreatePackage inserts a training package. It returns ErrExists when the code is taken and
// ErrInvalid when the centre or LSP is unknown or the dates/capacity are inconsistent.
func (s *Store) CreatePackage(ctx context.Context, p Package) error {
	if p.Code == "" {
		return fmt.Errorf("create package: code is required: %w", ErrInvalid)
	}
	if p.LSPCode != "" {
		// The foreign key would accept the insurer as an LSP; check the kind here.
		partner, err := s.GetPartner(ctx, p.LSPCode)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("create package %s: unknown LSP %q: %w", p.Code, p.LSPCode, ErrInvalid)
		}
		if err != nil {
			return fmt.Errorf("create package %s: %w", p.Code, err)
		}
		if partner.Kind != "certifier" {
			return fmt.Errorf("create package %s: partner %q is not an LSP: %w", p.Code, p.LSPCode, ErrInvalid)
		}
	}
	_, err := s.pool.Exec(ctx, `
INSERT INTO training_packages (code, centre_code, trade, scheme, lsp_code, start_date, end_date,
	hours, capacity, attendance_min, auto_approve, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, COALESCE($12, now()))`,
		p.Code, p.CentreCode, p.Trade, p.Scheme, nullString(p.LSPCode), p.StartDate,
		p.EndDate, p.Hours, p.Capacity, p.AttendanceMin, p.AutoApprove, nullTime(p.CreatedAt))
	switch pgCode(err) {
	case "":
	case pgUniqueViolation:
		return fmt.Errorf("create package %s: %w", p.Code, ErrExists)
	case pgForeignKeyViolation:
		if pgConstraint(err) == "training_packages_centre_code_fkey" {
			return fmt.Errorf("create package %s: unknown centre %q: %w", p.Code, p.CentreCode, ErrInvalid)
		}
		return fmt.Errorf("create package %s: unknown LSP %q: %w", p.Code, p.LSPCode, ErrInvalid)
	case pgCheckViolation:
		return fmt.Errorf("create package %s: %s violated (dates, capacity, hours or attendance): %w",
			p.Code, pgConstraint(err), ErrInvalid)
	}
	if err != nil {
		return fmt.Errorf("create package %s: %w", p.Code, err)
	}
	return nil
}

// GetPackage returns one package, or ErrNotFound.
func (s *Store) GetPackage(ctx context.Context, code string) (Package, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+packageColumns+` FROM training_packages WHERE code = $1`, code)
	p, err := pgx.CollectExactlyOneRow(rows, scanPackage)
	if errors.Is(err, pgx.ErrNoRows) {
		return Package{}, fmt.Errorf("get package %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Package{}, fmt.Errorf("get package %s: %w", code, err)
	}
	return p, nil
}

// ListPackages returns the packages of one centre, or of all centres when centre is "", newest
// start first.
func (s *Store) ListPackages(ctx context.Context, centre string) ([]Package, error) {
	q := `SELECT ` + packageColumns + ` FROM training_packages`
	var args []any
	if centre != "" {
		q += ` WHERE centre_code = $1`
		args = append(args, centre)
	}
	q += ` ORDER BY start_date DESC, code`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list packages of %q: %w", centre, err)
	}
	out, err := pgx.CollectRows(rows, scanPackage)
	if err != nil {
		return nil, fmt.Errorf("list packages of %q: %w", centre, err)
	}
	return out, nil
}

func scanPackage(row pgx.CollectableRow) (Package, error) {
	var p Package
	err := row.Scan(&p.Code, &p.CentreCode, &p.Trade, &p.Scheme, &p.LSPCode, &p.StartDate, &p.EndDate,
		&p.Hours, &p.Capacity, &p.AttendanceMin, &p.AutoApprove, &p.CreatedAt)
	return p, err
}
