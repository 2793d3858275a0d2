package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

const mouColumns = `id, number, partner_code, signed_on, valid_from, valid_until, status, centres, schemes`

// MoU statuses.
const (
	// MoUDraft is being negotiated; it covers nothing yet.
	MoUDraft = "draft"
	// MoUActive covers cases within its validity window and scope.
	MoUActive = "active"
	// MoUExpired has passed its validity window.
	MoUExpired = "expired"
	// MoUTerminated was ended early by either party.
	MoUTerminated = "terminated"
	// MoUSigned is signed but its validity has not started yet; it covers nothing yet.
	MoUSigned = "signed"
	// MoUExpiring is active and inside its first reminder window before the end.
	MoUExpiring = "expiring"
	// MoURenewed ended at its end date with a successor taking over.
	MoURenewed = "renewed"
)

// ListMoUs returns every MoU ordered by partner then start of validity.
func (s *Store) ListMoUs(ctx context.Context) ([]MoU, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+mouColumns+` FROM mous ORDER BY partner_code, valid_from, id`)
	if err != nil {
		return nil, fmt.Errorf("list mous: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanMoU)
	if err != nil {
		return nil, fmt.Errorf("list mous: %w", err)
	}
	return out, nil
}

// GetMoU returns one MoU by number, or ErrNotFound.
func (s *Store) GetMoU(ctx context.Context, number string) (MoU, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+mouColumns+` FROM mous WHERE number = $1`, number)
	m, err := pgx.CollectExactlyOneRow(rows, scanMoU)
	if errors.Is(err, pgx.ErrNoRows) {
		return MoU{}, fmt.Errorf("get mou %s: %w", number, ErrNotFound)
	}
	if err != nil {
		return MoU{}, fmt.Errorf("get mou %s: %w", number, err)
	}
	return m, nil
}

// ActiveMoU returns the agreement with partnerCode that covers centre and scheme on the calendar
// day of on (an empty array in the agreement means all; an empty argument is not checked): see
// Covering, which it narrows to the fields of an MoU. It returns ErrNotFound when none covers
// the case: the caller waits and flags, it does not fail.
func (s *Store) ActiveMoU(ctx context.Context, partnerCode, centre, scheme string, on time.Time) (MoU, error) {
	a, err := s.Covering(ctx, partnerCode, centre, scheme, on)
	if err != nil {
		return MoU{}, err
	}
	m := MoU{ID: a.ID, Number: a.Number, PartnerCode: a.PartnerCode, ValidFrom: a.ValidFrom,
		ValidUntil: a.ValidUntil, Status: a.Status, Centres: a.Centres, Schemes: a.Schemes}
	if a.SignedOn != nil {
		m.SignedOn = *a.SignedOn
	}
	return m, nil
}

// CreateMoU inserts an MoU and returns its id. Empty Status means active. It returns ErrExists
// when the number is taken and ErrInvalid for an unknown partner, status or an inverted window.
func (s *Store) CreateMoU(ctx context.Context, m MoU) (int64, error) {
	if m.Number == "" {
		return 0, fmt.Errorf("create mou: number is required: %w", ErrInvalid)
	}
	if m.Status == "" {
		m.Status = MoUActive
	}
	// Never store NULL arrays: "empty means all" must not depend on NULL handling.
	if m.Centres == nil {
		m.Centres = []string{}
	}
	if m.Schemes == nil {
		m.Schemes = []string{}
	}
	var id int64
	err := s.pool.QueryRow(ctx, `
INSERT INTO mous (number, partner_code, signed_on, valid_from, valid_until, status, centres, schemes)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		m.Number, m.PartnerCode, dateOnly(m.SignedOn), dateOnly(m.ValidFrom), dateOnly(m.ValidUntil),
		m.Status, m.Centres, m.Schemes).Scan(&id)
	switch pgCode(err) {
	case "":
	case pgUniqueViolation:
		return 0, fmt.Errorf("create mou %s: %w", m.Number, ErrExists)
	case pgForeignKeyViolation:
		return 0, fmt.Errorf("create mou %s: unknown partner %q: %w", m.Number, m.PartnerCode, ErrInvalid)
	case pgCheckViolation:
		return 0, fmt.Errorf("create mou %s: status %q or validity window rejected: %w", m.Number, m.Status, ErrInvalid)
	}
	if err != nil {
		return 0, fmt.Errorf("create mou %s: %w", m.Number, err)
	}
	return id, nil
}

// SetMoUStatus changes the status of the MoU with the given number (e.g. to expired when its
// window ends, or terminated). It returns ErrNotFound for an unknown number.
func (s *Store) SetMoUStatus(ctx context.Context, number, status string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE mous SET status = $2 WHERE number = $1`, number, status)
	if pgCode(err) == pgCheckViolation {
		return fmt.Errorf("set mou %s status: unknown status %q: %w", number, status, ErrInvalid)
	}
	if err != nil {
		return fmt.Errorf("set mou %s status: %w", number, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set mou %s status: %w", number, ErrNotFound)
	}
	return nil
}

func scanMoU(row pgx.CollectableRow) (MoU, error) {
	var m MoU
	var signed *time.Time // NULL for a draft
	err := row.Scan(&m.ID, &m.Number, &m.PartnerCode, &signed, &m.ValidFrom, &m.ValidUntil,
		&m.Status, &m.Centres, &m.Schemes)
	if signed != nil {
		m.SignedOn = *signed
	}
	return m, err
}
