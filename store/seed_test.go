package store_test

import (
	"context"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

func TestSeedTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	st := newStore(t) // seeded once already
	snapshot := func() string {
		// xmin changes whenever a row is rewritten, so equal snapshots mean untouched rows.
		var s string
		must(t, st.Pool().QueryRow(ctx, `SELECT
			(SELECT string_agg(code || ':' || xmin::text, ',' ORDER BY code) FROM centres) ||
			(SELECT string_agg(code || ':' || xmin::text, ',' ORDER BY code) FROM partners) ||
			(SELECT string_agg(number || ':' || xmin::text, ',' ORDER BY number) FROM mous) ||
			(SELECT string_agg(code || ':' || xmin::text, ',' ORDER BY code) FROM schemes) ||
			(SELECT string_agg(scheme_code || '/' || unit_code || ':' || xmin::text, ',' ORDER BY scheme_code, position) FROM scheme_units)`).Scan(&s))
		return s
	}
	before := snapshot()
	must(t, st.Seed(ctx))
	if after := snapshot(); after != before {
		t.Fatalf("second seed rewrote rows:\n%s\n%s", before, after)
	}

	centres, err := st.ListCentres(ctx)
	must(t, err)
	partners, err := st.ListPartners(ctx)
	must(t, err)
	mous, err := st.ListAgreements(ctx, store.AgreementFilter{})
	must(t, err)
	if len(centres) != 19 || len(partners) != 6 || len(mous) != 6 {
		t.Fatalf("centres=%d partners=%d mous=%d, want 19, 6, 6", len(centres), len(partners), len(mous))
	}
	c, err := st.GetCentre(ctx, "BLK-KDR")
	must(t, err)
	if c.RegencyName != "Kediri" || c.RegencyCode != "" || c.Owner != "province" {
		t.Errorf("BLK-KDR = %+v", c)
	}
	_, err = st.GetCentre(ctx, "BLK-NOPE")
	mustErrIs(t, err, store.ErrNotFound)

	m, err := st.GetAgreement(ctx, "MOU/BPVP-SDA/BPJSTK-JATIM/2023")
	must(t, err)
	if m.SignedOn == nil || !m.SignedOn.Equal(day(2023, 1, 19)) || !m.ValidFrom.Equal(day(2023, 1, 19)) ||
		!m.ValidUntil.Equal(day(2028, 1, 18)) || m.Status != agreement.Active ||
		len(m.Centres) != 0 || len(m.Schemes) != 0 {
		t.Errorf("seeded mou = %+v", m)
	}
}

func TestSeedMoUValidity(t *testing.T) {
	ctx := context.Background()
	// A fresh store seeded with 3 years instead of the default.
	st := newStore(t)
	_, err := st.Pool().Exec(ctx, `DELETE FROM mous`)
	must(t, err)
	must(t, st.Seed(ctx, store.SeedOptions{MoUValidYears: 3}))
	m, err := st.GetAgreement(ctx, "MOU/BPVP-SDA/LSP-BLK-SDA/2023")
	must(t, err)
	if !m.ValidUntil.Equal(day(2026, 1, 18)) {
		t.Fatalf("valid until %v", m.ValidUntil)
	}
}

// The registry's schemes reach PostgreSQL with their units in order; a unit list changed in the
// database (an edited registry, as the seed sees it) is put back as the registry has it.
func TestSeedSchemesWithTheirUnits(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	las, err := st.GetScheme(ctx, "SKM-LAS")
	must(t, err)
	if !las.Sample || las.Source == "" || len(las.Units) != 5 || las.Units[0].Code != "LOG.OO01.002.01" || las.Units[0].Title == "" {
		t.Fatalf("SKM-LAS = %+v", las)
	}
	if got := las.UnitCodes()[4]; got != "LOG.OO18.002.01" {
		t.Errorf("fifth unit %s", got)
	}
	all, err := st.ListSchemes(ctx)
	must(t, err)
	if len(all) != 3 || all[0].Code != "SKM-JAHIT" || len(all[2].Units) != 5 {
		t.Errorf("schemes = %+v", all)
	}
	_, err = st.GetScheme(ctx, "SKM-NOPE")
	mustErrIs(t, err, store.ErrNotFound)

	_, err = st.Pool().Exec(ctx, `DELETE FROM scheme_units WHERE scheme_code = 'SKM-LAS' AND position = 2`)
	must(t, err)
	must(t, st.Seed(ctx))
	again, err := st.GetScheme(ctx, "SKM-LAS")
	must(t, err)
	if len(again.Units) != 5 || again.Units[1].Code != "LOG.OO01.003.01" {
		t.Fatalf("after a second seed: %+v", again.Units)
	}
}
