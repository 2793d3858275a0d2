package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// BenchmarkFollowUps seeds 100,000 cases (a fifth of them in placement follow-up, with the
// follow-up columns the journeys write) with a participant each, and measures one page of the
// follow-ups list as GET /api/v1/followups?format=json answers it: the counts, 200 graduates
// due or overdue, the self-reports to confirm and the people behind them, reporting
// p50/p95/p99 in milliseconds:
//
//	go test ./store -run '^$' -bench BenchmarkFollowUps -benchtime 200x
func BenchmarkFollowUps(b *testing.B) {
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

	page := func(f store.FollowUpFilter) func() error {
		f.Due, f.Limit, f.ToConfirmLimit, f.UnknownLimit = now.Add(14*24*time.Hour), 200, 200, 50
		return func() error {
			l, err := st.ListFollowUps(ctx, f)
			if err != nil {
				return err
			}
			if l.Total == 0 {
				b.Fatal("no follow-up due: the seed has none")
			}
			return st.AttachPeople(ctx, append(l.Cases, l.ToConfirm...), now)
		}
	}
	sby := store.Scope{CentreCodes: []string{"BLK-SBY"}}
	b.Run("coordinator", func(b *testing.B) { measure(b, page(store.FollowUpFilter{})) })
	b.Run("coordinator-page-10", func(b *testing.B) { measure(b, page(store.FollowUpFilter{Offset: 1800})) })
	b.Run("centre-admin", func(b *testing.B) { measure(b, page(store.FollowUpFilter{Scope: sby})) })
	b.Run("centre-filter", func(b *testing.B) { measure(b, page(store.FollowUpFilter{CentreCode: "BLK-SBY"})) })
}
