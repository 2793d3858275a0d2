package clusterbench

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

// The gauges are summed over their label sets, and a metric whose name merely starts with a
// wanted one is not counted.
func TestScrapeSumsTheNamedGauges(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `# HELP temporal_sticky_cache_size x
# TYPE temporal_sticky_cache_size gauge
temporal_sticky_cache_size{namespace="kompeten",worker_type="WorkflowWorker"} 4000
temporal_sticky_cache_size{namespace="kompeten",worker_type="other"} 12
temporal_sticky_cache_size_total 99
go_memstats_heap_inuse_bytes 1.5e+08
`)
	}))
	defer srv.Close()
	got, err := scrape(t.Context(), srv.URL, "temporal_sticky_cache_size", "go_memstats_heap_inuse_bytes", "missing")
	if err != nil {
		t.Fatal(err)
	}
	if got["temporal_sticky_cache_size"] != 4012 || got["go_memstats_heap_inuse_bytes"] != 1.5e8 {
		t.Errorf("got %v, want the cache 4012 and the heap 1.5e8", got)
	}
	if _, ok := got["missing"]; ok {
		t.Errorf("a metric not in the answer is reported: %v", got)
	}
}

func TestRSSOfThisProcess(t *testing.T) {
	if rss := rssBytes(os.Getpid()); rss < 1<<20 {
		t.Errorf("this process's RSS read as %d bytes", rss)
	}
	// Burn a little CPU so the figure cannot be zero.
	deadline := time.Now().Add(50 * time.Millisecond)
	for n := 0; time.Now().Before(deadline); n++ {
		_ = n * n
	}
	if cpu := cpuSeconds(os.Getpid()); cpu <= 0 || cpu > 3600 {
		t.Errorf("this process's CPU read as %f s", cpu)
	}
	if rss := rssBytes(-1); rss != 0 {
		t.Errorf("no such process: %d, want 0", rss)
	}
}

func TestSummariseNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	l := summarise(ds, 2)
	if l.Count != 100 || l.Errors != 2 || l.P50 != 50 || l.P95 != 95 || l.P99 != 99 || l.Max != 100 {
		t.Errorf("got %+v", l)
	}
	if l := summarise(nil, 1); l.Count != 0 || l.Errors != 1 {
		t.Errorf("no samples: %+v", l)
	}
}

// The per-10k figures are the last step's growth over the baseline, scaled to 10,000 open.
func TestPer10kIsGrowthOverTheBaseline(t *testing.T) {
	r := &Report{
		Baseline: Snapshot{WorkerRSS: []int64{100 << 20, 100 << 20}, StickyCache: 5, NodeRSS: []int64{300 << 20},
			DB: Databases{TemporalBytes: 10 << 20, VisibilityBytes: 10 << 20, KompetenBytes: 10 << 20}},
		Steps: []Step{{Snapshot: Snapshot{Open: 20000, WorkerRSS: []int64{300 << 20, 300 << 20}, StickyCache: 20005, NodeRSS: []int64{700 << 20},
			DB: Databases{TemporalBytes: 410 << 20, VisibilityBytes: 810 << 20, KompetenBytes: 50 << 20}}}},
	}
	r.per10k()
	p := r.Per10k
	if p.WorkerRSSBytes != 200<<20 || p.StickyCacheEntries != 10000 || p.ServerRSSBytes != 200<<20 ||
		p.TemporalBytes != 200<<20 || p.VisibilityBytes != 400<<20 || p.KompetenBytes != 20<<20 {
		t.Errorf("got %+v", p)
	}
	if want := float64(400<<20) / 20000; p.PerCachedBytes != want {
		t.Errorf("RSS per cached journey %f, want %f", p.PerCachedBytes, want)
	}
}

func TestDefaultsAreTheRecordedRunsButItsSize(t *testing.T) {
	o := Options{N: 500}.withDefaults()
	if o.N != 500 || o.Step != 10000 || o.Nodes != 2 || o.Shards != 16 || o.Workers != 2 || o.PGConns != 10 || o.FinalApprovals != 200 {
		t.Errorf("got %+v", o)
	}
}
