package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// BenchmarkCaseExport seeds 100,000 cases (KOMPETEN_BENCH_CASES overrides) and downloads the
// whole case list as Excel's CSV and as XLSX, reporting the rows, the bytes and the peak heap
// above the heap before the download (sampled every 5 ms), which stays bounded by the batch
// rather than growing with the list:
//
//	go test ./api -run '^$' -bench BenchmarkCaseExport -benchtime 1x
func BenchmarkCaseExport(b *testing.B) {
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
	for _, format := range []string{"csv&dialect=excel", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			for range b.N {
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				var peak atomic.Uint64
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					var m runtime.MemStats
					for {
						runtime.ReadMemStats(&m)
						if m.HeapAlloc > peak.Load() {
							peak.Store(m.HeapAlloc)
						}
						select {
						case <-stop:
							return
						case <-time.After(5 * time.Millisecond):
						}
					}
				}()
				resp, err := http.Get(srv.URL + "/api/v1/cases?format=" + format)
				if err != nil {
					b.Fatal(err)
				}
				size, err := io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				close(stop)
				<-done
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("HTTP %d: %v", resp.StatusCode, err)
				}
				b.ReportMetric(float64(size)/(1<<20), "MiB-file")
				b.ReportMetric(float64(peak.Load()-min(peak.Load(), before.HeapAlloc))/(1<<20), "MiB-peak-heap")
				b.ReportMetric(float64(n), "rows")
			}
		})
	}
}
