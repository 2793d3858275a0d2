package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// BenchmarkOpsHTTP seeds 100,000 cases (KOMPETEN_BENCH_CASES overrides) and measures whole
// HTTP answers of the stuck list, the overview and the inbox, JSON encoding included, reporting
// the 50th, 95th and 99th percentile of one request:
//
//	go test ./api -run '^$' -bench BenchmarkOpsHTTP -benchtime 400x
func BenchmarkOpsHTTP(b *testing.B) {
	n := 100_000
	if v := os.Getenv("KOMPETEN_BENCH_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("KOMPETEN_BENCH_CASES=%q is not a positive number", v)
		}
	}
	_, st := testdb.NewMigrated(b)
	if err := st.SeedSynthetic(b.Context(), n, 42, time.Now()); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(nil)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := starter.New(nil, st, cfg, []byte("bench-key-0123456789abcdef0123456789"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer((&api.Server{Svc: svc, Store: st}).Handler())
	b.Cleanup(srv.Close)
	get := func(path string) func() error {
		return func() error {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return &httpStatusError{path, resp.StatusCode}
			}
			return nil
		}
	}
	b.Run("stuck-list", func(b *testing.B) { measureHTTP(b, get("/api/v1/stuck?limit=50")) })
	b.Run("stuck-list-centre-reason", func(b *testing.B) {
		measureHTTP(b, get("/api/v1/stuck?limit=50&centre=BLK-SBY&reason=partner-failing"))
	})
	// Served as people see it (one count per api.OverviewTTL), and counted for every request.
	b.Run("overview", func(b *testing.B) { measureHTTP(b, get("/api/v1/overview")) })
	b.Run("overview-fresh", func(b *testing.B) { measureHTTP(b, get("/api/v1/overview?fresh=true")) })
	b.Run("inbox", func(b *testing.B) { measureHTTP(b, get("/api/v1/inbox?limit=50")) })
}

type httpStatusError struct {
	path   string
	status int
}

func (e *httpStatusError) Error() string { return e.path + ": HTTP " + strconv.Itoa(e.status) }

// measureHTTP runs op b.N times, timing each call, and reports the percentiles in milliseconds.
func measureHTTP(b *testing.B, op func() error) {
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
