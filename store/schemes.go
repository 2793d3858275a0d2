package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/registry"
)

// Scheme is a certification scheme with its units of competence, in their order.
type Scheme struct {
	Code   string       `json:"code"`
	Name   string       `json:"name"`
	Sample bool         `json:"sample"`
	Source string       `json:"source"`
	Units  []SchemeUnit `json:"units"`
}

// SchemeUnit is one unit of competence of a scheme.
type SchemeUnit struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// UnitCodes lists the scheme's unit codes in their order.
func (s Scheme) UnitCodes() []string {
	out := make([]string, len(s.Units))
	for i, u := range s.Units {
		out[i] = u.Code
	}
	return out
}

// GetScheme returns one scheme with its units, or ErrNotFound.
func (s *Store) GetScheme(ctx context.Context, code string) (Scheme, error) {
	rows, _ := s.pool.Query(ctx, `SELECT code, name, sample, source FROM schemes WHERE code = $1`, code)
	sc, err := pgx.CollectExactlyOneRow(rows, scanScheme)
	if errors.Is(err, pgx.ErrNoRows) {
		return Scheme{}, fmt.Errorf("get scheme %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Scheme{}, fmt.Errorf("get scheme %s: %w", code, err)
	}
	if sc.Units, err = schemeUnits(ctx, s.pool, code); err != nil {
		return Scheme{}, fmt.Errorf("get scheme %s: %w", code, err)
	}
	return sc, nil
}

// ListSchemes returns every scheme with its units, ordered by code.
func (s *Store) ListSchemes(ctx context.Context) ([]Scheme, error) {
	rows, _ := s.pool.Query(ctx, `SELECT code, name, sample, source FROM schemes ORDER BY code`)
	out, err := pgx.CollectRows(rows, scanScheme)
	if err != nil {
		return nil, fmt.Errorf("list schemes: %w", err)
	}
	for i := range out {
		if out[i].Units, err = schemeUnits(ctx, s.pool, out[i].Code); err != nil {
			return nil, fmt.Errorf("list schemes: %w", err)
		}
	}
	return out, nil
}

func scanScheme(row pgx.CollectableRow) (Scheme, error) {
	var sc Scheme
	err := row.Scan(&sc.Code, &sc.Name, &sc.Sample, &sc.Source)
	return sc, err
}

// querier is what a pool and a transaction share.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func schemeUnits(ctx context.Context, q querier, code string) ([]SchemeUnit, error) {
	rows, _ := q.Query(ctx, `SELECT unit_code, title FROM scheme_units WHERE scheme_code = $1 ORDER BY position`, code)
	us, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (SchemeUnit, error) {
		var u SchemeUnit
		err := row.Scan(&u.Code, &u.Title)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("units of scheme %s: %w", code, err)
	}
	return us, nil
}

// seedScheme upserts one registry scheme and, when its unit list differs from the stored one,
// rewrites the list; a scheme that already matches is not touched.
func seedScheme(ctx context.Context, tx pgx.Tx, sc registry.Scheme) error {
	_, err := tx.Exec(ctx, `
INSERT INTO schemes (code, name, sample, source) VALUES ($1, $2, $3, $4)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, sample = EXCLUDED.sample, source = EXCLUDED.source
WHERE (schemes.name, schemes.sample, schemes.source) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.sample, EXCLUDED.source)`,
		sc.Code, sc.Name, sc.Sample, sc.Source)
	if err != nil {
		return fmt.Errorf("scheme %s: %w", sc.Code, err)
	}
	have, err := schemeUnits(ctx, tx, sc.Code)
	if err != nil {
		return err
	}
	want := make([]SchemeUnit, len(sc.Units))
	for i, u := range sc.Units {
		want[i] = SchemeUnit{Code: u.Code, Title: u.Title}
	}
	if slices.Equal(have, want) {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM scheme_units WHERE scheme_code = $1`, sc.Code); err != nil {
		return fmt.Errorf("scheme %s: clear units: %w", sc.Code, err)
	}
	for i, u := range want {
		if _, err := tx.Exec(ctx, `INSERT INTO scheme_units (scheme_code, position, unit_code, title) VALUES ($1, $2, $3, $4)`,
			sc.Code, i+1, u.Code, u.Title); err != nil {
			return fmt.Errorf("scheme %s: unit %s: %w", sc.Code, u.Code, err)
		}
	}
	return nil
}
