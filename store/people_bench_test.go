package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// BenchmarkPeople seeds 100,000 cases with a participant each and measures what a person's
// case list and name search cost: one page of 50 with the total and the people behind it, as
// POST /api/v1/cases/search answers it, reporting p50/p95/p99 in milliseconds:
//
//	go test ./store -run '^$' -bench BenchmarkPeople -benchtime 200x
func BenchmarkPeople(b *testing.B) {
	ctx := context.Background()
	_, st := testdb.NewMigrated(b)
	n := benchCases(b)
	now := time.Now()
	seedStart := time.Now()
	if err := st.SeedSynthetic(ctx, n, 42, now); err != nil {
		b.Fatal(err)
	}
	if err := st.SeedSyntheticPeople(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d cases with people in %s", n, time.Since(seedStart).Round(time.Millisecond))

	// page is one page of the case list as the API serves it: count, list, people.
	page := func(f store.CaseFilter) func() error {
		f.Limit = 50
		return func() error {
			if _, err := st.CountCases(ctx, f); err != nil {
				return err
			}
			cs, err := st.ListCases(ctx, f)
			if err != nil {
				return err
			}
			return st.AttachPeople(ctx, cs, now)
		}
	}
	sby := store.Scope{CentreCodes: []string{"BLK-SBY"}}
	b.Run("case-list", func(b *testing.B) { measure(b, page(store.CaseFilter{})) })
	b.Run("case-list-page-20", func(b *testing.B) { measure(b, page(store.CaseFilter{Offset: 1000})) })
	b.Run("case-list-centre-admin", func(b *testing.B) { measure(b, page(store.CaseFilter{Scope: sby})) })
	b.Run("case-list-package", func(b *testing.B) { measure(b, page(store.CaseFilter{PackageCode: "SYN-PKG-00042"})) })
	b.Run("name-search", func(b *testing.B) { measure(b, page(store.CaseFilter{Name: "siti nur"})) })
	b.Run("name-search-rare", func(b *testing.B) { measure(b, page(store.CaseFilter{Name: "hendra maharani 7"})) })
	b.Run("name-search-centre-admin", func(b *testing.B) { measure(b, page(store.CaseFilter{Name: "siti", Scope: sby})) })
	b.Run("nik-search", func(b *testing.B) { measure(b, page(store.CaseFilter{NIKHash: "synthetic-SYN-000042"})) })
}
