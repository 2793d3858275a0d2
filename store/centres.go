package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ListCentres returns all training centres ordered by code.
func (s *Store) ListCentres(ctx context.Context) ([]Centre, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT code, name, owner, regency_code, regency_name FROM centres ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list centres: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanCentre)
	if err != nil {
		return nil, fmt.Errorf("list centres: %w", err)
	}
	return out, nil
}

// GetCentre returns one centre, or ErrNotFound.
func (s *Store) GetCentre(ctx context.Context, code string) (Centre, error) {
	rows, _ := s.pool.Query(ctx,
		`SELECT code, name, owner, regency_code, regency_name FROM centres WHERE code = $1`, code)
	c, err := pgx.CollectExactlyOneRow(rows, scanCentre)
	if errors.Is(err, pgx.ErrNoRows) {
		return Centre{}, fmt.Errorf("get centre %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Centre{}, fmt.Errorf("get centre %s: %w", code, err)
	}
	return c, nil
}

// ListPartners returns the insurer and the LSPs ordered by kind then code.
func (s *Store) ListPartners(ctx context.Context) ([]Partner, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, kind, name FROM partners ORDER BY kind, code`)
	if err != nil {
		return nil, fmt.Errorf("list partners: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanPartner)
	if err != nil {
		return nil, fmt.Errorf("list partners: %w", err)
	}
	return out, nil
}

// GetPartner returns one partner, or ErrNotFound.
func (s *Store) GetPartner(ctx context.Context, code string) (Partner, error) {
	rows, _ := s.pool.Query(ctx, `SELECT code, kind, name FROM partners WHERE code = $1`, code)
	p, err := pgx.CollectExactlyOneRow(rows, scanPartner)
	if errors.Is(err, pgx.ErrNoRows) {
		return Partner{}, fmt.Errorf("get partner %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Partner{}, fmt.Errorf("get partner %s: %w", code, err)
	}
	return p, nil
}

func scanCentre(row pgx.CollectableRow) (Centre, error) {
	var c Centre
	err := row.Scan(&c.Code, &c.Name, &c.Owner, &c.RegencyCode, &c.RegencyName)
	return c, err
}

func scanPartner(row pgx.CollectableRow) (Partner, error) {
	var p Partner
	err := row.Scan(&p.Code, &p.Kind, &p.Name)
	return p, err
}

// CountCentres counts the training centres in the registry.
func (s *Store) CountCentres(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM centres`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count centres: %w", err)
	}
	return n, nil
}
