package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// SelfReportLink is one issued follow-up link (selfreport_links): which case and follow-up
// month it is for, until when it works, and when and how it was answered.
type SelfReportLink struct {
	ID        string
	CaseID    string
	Month     int
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	Answer    string
}

const selfReportColumns = `id, case_id, month, created_at, expires_at, used_at, answer`

func scanSelfReportLink(row pgx.CollectableRow) (SelfReportLink, error) {
	var l SelfReportLink
	err := row.Scan(&l.ID, &l.CaseID, &l.Month, &l.CreatedAt, &l.ExpiresAt, &l.UsedAt, &l.Answer)
	return l, err
}

// oneSelfReportLink collects exactly one link; none is ErrNotFound.
func oneSelfReportLink(rows pgx.Rows, err error, what string) (SelfReportLink, error) {
	if err != nil {
		return SelfReportLink{}, fmt.Errorf("%s: %w", what, err)
	}
	l, err := pgx.CollectExactlyOneRow(rows, scanSelfReportLink)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("%s: %w", what, err)
	}
	return l, nil
}

// CreateSelfReportLink stores a newly issued link.
func (s *Store) CreateSelfReportLink(ctx context.Context, l SelfReportLink) error {
	if l.ID == "" || l.CaseID == "" || l.ExpiresAt.IsZero() {
		return fmt.Errorf("create self-report link: id, case and expiry are required: %w", ErrInvalid)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO selfreport_links (id, case_id, month, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5)`, l.ID, l.CaseID, l.Month, l.CreatedAt, l.ExpiresAt); err != nil {
		return fmt.Errorf("create self-report link: %w", err)
	}
	return nil
}

// LiveSelfReportLink is the newest link of a case's follow-up month that still works at at
// (unused, not expired); ErrNotFound when there is none.
func (s *Store) LiveSelfReportLink(ctx context.Context, caseID string, month int, at time.Time) (SelfReportLink, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+selfReportColumns+` FROM selfreport_links
WHERE case_id = $1 AND month = $2 AND used_at IS NULL AND expires_at > $3
ORDER BY created_at DESC LIMIT 1`, caseID, month, at)
	return oneSelfReportLink(rows, err, "live self-report link")
}

// GetSelfReportLink is a link by its ID, whatever its state; ErrNotFound when unknown.
func (s *Store) GetSelfReportLink(ctx context.Context, id string) (SelfReportLink, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+selfReportColumns+` FROM selfreport_links WHERE id = $1`, id)
	return oneSelfReportLink(rows, err, "self-report link")
}

// UseSelfReportLink spends a link that still works at at, recording the answer, in one
// statement: of two answers sent at once only one gets the link. ErrNotFound when the link is
// unknown, used or expired.
func (s *Store) UseSelfReportLink(ctx context.Context, id, answer string, at time.Time) (SelfReportLink, error) {
	rows, err := s.pool.Query(ctx, `UPDATE selfreport_links SET used_at = $3, answer = $2
WHERE id = $1 AND used_at IS NULL AND expires_at > $3
RETURNING `+selfReportColumns, id, answer, at)
	return oneSelfReportLink(rows, err, "use self-report link")
}

// ReleaseSelfReportLink gives back a link whose answer the journey refused, so the graduate can
// answer again (until it expires).
func (s *Store) ReleaseSelfReportLink(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE selfreport_links SET used_at = NULL, answer = '' WHERE id = $1`, id); err != nil {
		return fmt.Errorf("release self-report link: %w", err)
	}
	return nil
}

// SelfReportSubject is what a follow-up page shows: the graduate's first name and the package,
// nothing else.
type SelfReportSubject struct {
	FirstName string
	Package   string
	Trade     string
	Stage     string
	Status    string
}

// SelfReportSubject finds the first name and the package of a case's graduate.
func (s *Store) SelfReportSubject(ctx context.Context, caseID string) (SelfReportSubject, error) {
	var out SelfReportSubject
	var name string
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(pa.name, ''), c.package_code, COALESCE(p.trade, ''), c.stage, c.status
FROM cases c
LEFT JOIN participants pa ON pa.nik_hash = c.nik_hash
LEFT JOIN training_packages p ON p.code = c.package_code
WHERE c.case_id = $1`, caseID).Scan(&name, &out.Package, &out.Trade, &out.Stage, &out.Status)
	if errors.Is(err, pgx.ErrNoRows) {
		return out, fmt.Errorf("self-report subject: %w", ErrNotFound)
	}
	if err != nil {
		return out, fmt.Errorf("self-report subject: %w", err)
	}
	if f := strings.Fields(name); len(f) > 0 {
		out.FirstName = f[0]
	}
	return out, nil
}
