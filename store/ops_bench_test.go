package store_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// benchCases is how many synthetic cases BenchmarkOps seeds; KOMPETEN_BENCH_CASES overrides it.
func benchCases(b *testing.B) int {
	if v := os.Getenv("KOMPETEN_BENCH_CASES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("KOMPETEN_BENCH_CASES=%q is not a positive number", v)
		}
		return n
	}
	return 100_000
}

// BenchmarkOps seeds 100,000 cases once and measures the queries behind the stuck list, the
// overview and the inbox, reporting the 50th, 95th and 99th percentile latency of one call:
//
//	go test ./store -run '^$' -bench BenchmarkOps -benchtime 400x
func BenchmarkOps(b *testing.B) {
	ctx := context.Background()
	_, st := testdb.NewMigrated(b)
	n := benchCases(b)
	now := time.Now()
	seedStart := time.Now()
	if err := st.SeedSynthetic(ctx, n, 42, now); err != nil {
		b.Fatal(err)
	}
	stuck, err := st.StuckCases(ctx, store.StuckFilter{Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d cases (%d stuck) in %s", n, stuck.Total, time.Since(seedStart).Round(time.Millisecond))
	month := 30 * 24 * time.Hour

	stuckList := func(f store.StuckFilter) func() error {
		f.Limit = 50
		return func() error { _, err := st.StuckCases(ctx, f); return err }
	}
	b.Run("stuck-list", func(b *testing.B) { measure(b, stuckList(store.StuckFilter{})) })
	b.Run("stuck-list-centre", func(b *testing.B) { measure(b, stuckList(store.StuckFilter{CentreCode: "BLK-SBY"})) })
	b.Run("stuck-list-reason", func(b *testing.B) { measure(b, stuckList(store.StuckFilter{Reason: "approval-overdue"})) })
	b.Run("stuck-list-lsp-stage", func(b *testing.B) {
		measure(b, stuckList(store.StuckFilter{LSPCode: "LSP-BLK-SBY", Stage: "insurance"}))
	})
	b.Run("stuck-list-page-20", func(b *testing.B) { measure(b, stuckList(store.StuckFilter{Offset: 1000})) })
	// The overview: the funnel of every centre plus the centre names.
	b.Run("overview", func(b *testing.B) {
		measure(b, func() error {
			if _, err := st.Funnels(ctx, now, month); err != nil {
				return err
			}
			_, err := st.ListCentres(ctx)
			return err
		})
	})
	// The inbox: enrolment and certification approvals and corrections, 100 of each.
	b.Run("inbox", func(b *testing.B) {
		measure(b, func() error {
			for _, w := range []store.WaitFilter{{WaitingOn: "centre-admin", Stage: "enrolment"},
				{WaitingOn: "lsp-manager", Stage: "certification"}, {WaitingOn: "correction", Stage: "insurance"}} {
				w.Limit = 100
				if _, _, err := st.WaitingCases(ctx, w); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("digest-groups", func(b *testing.B) {
		measure(b, func() error { _, err := st.StuckGroups(ctx); return err })
	})
}

// measure runs op b.N times, timing each call, and reports the percentiles in milliseconds.
func measure(b *testing.B, op func() error) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		i := int(float64(len(lat))*p+0.5) - 1
		i = max(0, min(i, len(lat)-1))
		return float64(lat[i].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
