package store

import (
	"context"
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/registry"
	"github.com/jackc/pgx/v5"
)

// SeedOptions tunes the seeded MoUs, whose validity the article does not state.
type SeedOptions struct {
	// MoUValidYears is how long the 2023 MoUs run from signing; 0 means 5.
	MoUValidYears int
}

// DefaultMoUValidYears is the validity assumed for the seeded MoUs when none is configured.
const DefaultMoUValidYears = 5

// SeedMoUNumber is the number given to the seeded MoU with a partner.
func SeedMoUNumber(coordinator, partner string, signed time.Time) string {
	return fmt.Sprintf("MOU/%s/%s/%d", coordinator, partner, signed.Year())
}

// Seed loads the embedded registry: centres, partners and certification schemes with their units
// are upserted (they follow the registry, rows that already match are not touched; a scheme the
// registry no longer lists is kept, since packages may name it), and one MoU per partner covering all centres and all
// schemes is created unless it exists (an MoU edited since is left alone). Running it twice, or
// from two processes at once, changes nothing the second time. At most one opts is used.
func (s *Store) Seed(ctx context.Context, opts ...SeedOptions) error {
	var o SeedOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.MoUValidYears <= 0 {
		o.MoUValidYears = DefaultMoUValidYears
	}
	reg, err := registry.Load()
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, c := range reg.Centres {
			_, err := tx.Exec(ctx, `
INSERT INTO centres (code, name, owner, regency_code, regency_name) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (code) DO UPDATE
SET name = EXCLUDED.name, owner = EXCLUDED.owner,
    regency_code = EXCLUDED.regency_code, regency_name = EXCLUDED.regency_name
WHERE (centres.name, centres.owner, centres.regency_code, centres.regency_name)
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.owner, EXCLUDED.regency_code, EXCLUDED.regency_name)`,
				c.Code, c.Name, c.Owner, c.Regency, c.RegencyName)
			if err != nil {
				return fmt.Errorf("centre %s: %w", c.Code, err)
			}
		}
		for _, p := range reg.Partners {
			_, err := tx.Exec(ctx, `
INSERT INTO partners (code, kind, name) VALUES ($1, $2, $3)
ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name
WHERE (partners.kind, partners.name) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name)`,
				p.Code, p.Kind, p.Name)
			if err != nil {
				return fmt.Errorf("partner %s: %w", p.Code, err)
			}
		}
		for _, sc := range reg.Schemes {
			if err := seedScheme(ctx, tx, sc); err != nil {
				return err
			}
		}
		signed := reg.MoUSignedOn
		// valid_until is inclusive, so N years from signing ends the day before the anniversary.
		until := signed.AddDate(o.MoUValidYears, 0, -1)
		for _, p := range reg.Partners {
			_, err := tx.Exec(ctx, `
INSERT INTO mous (number, partner_code, signed_on, valid_from, valid_until, status, centres, schemes)
VALUES ($1, $2, $3, $3, $4, 'active', '{}', '{}')
ON CONFLICT (number) DO NOTHING`,
				SeedMoUNumber(reg.Coordinator.Code, p.Code, signed), p.Code, signed, until)
			if err != nil {
				return fmt.Errorf("mou with %s: %w", p.Code, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}
