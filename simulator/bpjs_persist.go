package simulator

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/partners/bpjs"
)

// kpjCounter numbers the memberships.
const kpjCounter = "bpjs/kpj"

// loadBPJS fills s with the stored registrations, memberships and ended coverages.
func (p *persistence) loadBPJS(ctx context.Context, s *BPJS) error {
	var regs []*bpjsRegistration
	var mistaken []bool
	rows, err := p.pool.Query(ctx, `
SELECT idem_key, kpj, coverage_start, coverage_end, programs, mistaken
FROM sim_bpjs_registrations ORDER BY created_at, idem_key`)
	if err != nil {
		return fmt.Errorf("bpjs simulator: load registrations: %w", err)
	}
	for rows.Next() {
		r := &bpjsRegistration{}
		var m bool
		if err := rows.Scan(&r.key, &r.resp.KPJ, &r.resp.CoverageStart, &r.resp.CoverageEnd, &r.resp.Programs, &m); err != nil {
			rows.Close()
			return fmt.Errorf("bpjs simulator: load registrations: %w", err)
		}
		regs, mistaken = append(regs, r), append(mistaken, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("bpjs simulator: load registrations: %w", err)
	}
	for i, r := range regs {
		s.regs[r.key] = r
		s.creations[r.key] = 1
		if !mistaken[i] {
			s.periods[r.resp.KPJ] = append(s.periods[r.resp.KPJ], r)
		}
	}

	rows, err = p.pool.Query(ctx, `SELECT nik, kpj FROM sim_bpjs_members`)
	if err != nil {
		return fmt.Errorf("bpjs simulator: load members: %w", err)
	}
	var nik, kpj string
	if _, err := pgx.ForEachRow(rows, []any{&nik, &kpj}, func() error {
		s.kpjByNIK[nik] = kpj
		return nil
	}); err != nil {
		return fmt.Errorf("bpjs simulator: load members: %w", err)
	}

	rows, err = p.pool.Query(ctx, `SELECT idem_key, kpj, coverage_end FROM sim_bpjs_ends`)
	if err != nil {
		return fmt.Errorf("bpjs simulator: load ended coverages: %w", err)
	}
	var key string
	var end bpjs.EndResponse
	if _, err := pgx.ForEachRow(rows, []any{&key, &end.KPJ, &end.CoverageEnd}, func() error {
		s.ends[key] = end
		return nil
	}); err != nil {
		return fmt.Errorf("bpjs simulator: load ended coverages: %w", err)
	}
	if s.nextKPJ, err = counter(ctx, p.pool, kpjCounter); err != nil {
		return fmt.Errorf("bpjs simulator: %w", err)
	}
	return nil
}

// saveRegistration writes a new registration and returns its KPJ: with assign, the person's
// membership number, taken from the counter for a person seen for the first time.
func (p *persistence) saveRegistration(nik string, reg *bpjsRegistration, assign, mistaken bool) (string, error) {
	kpj := reg.resp.KPJ
	err := p.tx("save registration", func(ctx context.Context, tx pgx.Tx) error {
		if assign {
			err := tx.QueryRow(ctx, `SELECT kpj FROM sim_bpjs_members WHERE nik = $1`, nik).Scan(&kpj)
			if errors.Is(err, pgx.ErrNoRows) {
				n, err := next(ctx, tx, kpjCounter)
				if err != nil {
					return err
				}
				kpj = kpjNumber(n)
				if _, err := tx.Exec(ctx, `INSERT INTO sim_bpjs_members (nik, kpj) VALUES ($1, $2)`, nik, kpj); err != nil {
					return fmt.Errorf("member: %w", err)
				}
			} else if err != nil {
				return fmt.Errorf("member: %w", err)
			}
		}
		r := reg.resp
		_, err := tx.Exec(ctx, `
INSERT INTO sim_bpjs_registrations (idem_key, nik, kpj, coverage_start, coverage_end, programs, mistaken)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, reg.key, nik, kpj, r.CoverageStart, r.CoverageEnd, r.Programs, mistaken)
		return err
	})
	return kpj, err
}

// saveEnd writes an end of coverage and the periods it shortened.
func (p *persistence) saveEnd(key string, resp bpjs.EndResponse, ends map[*bpjsRegistration]time.Time) error {
	return p.tx("save end of coverage", func(ctx context.Context, tx pgx.Tx) error {
		for r, end := range ends {
			if _, err := tx.Exec(ctx, `UPDATE sim_bpjs_registrations SET coverage_end = $2 WHERE idem_key = $1`, r.key, end); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO sim_bpjs_ends (idem_key, kpj, coverage_end) VALUES ($1, $2, $3)`, key, resp.KPJ, resp.CoverageEnd)
		return err
	})
}
