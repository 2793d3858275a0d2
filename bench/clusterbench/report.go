package clusterbench

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Report is a run's figures: the setting, a measurement after each import step and what the
// steps come to per 10,000 open journeys.
type Report struct {
	Started time.Time `json:"started"`
	Machine Machine   `json:"machine"`
	Nodes   int       `json:"server_nodes"`
	Shards  int       `json:"history_shards"`
	Workers int       `json:"workers"`
	// StickyCacheSize is each worker's setting (0: the SDK's default, 10,000 workflows).
	StickyCacheSize int `json:"sticky_cache_size"`
	// Baseline is measured once everything runs, before the first import.
	Baseline Snapshot `json:"baseline"`
	Steps    []Step   `json:"steps"`
	// Approval is the last step's approvals (the most journeys open).
	Approval Latencies `json:"approval"`
	// Per10k are the last step's growth over the baseline, per 10,000 open journeys.
	Per10k  Per10k        `json:"per_10k_open"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Machine is where the run was.
type Machine struct {
	CPUs     int     `json:"cpus"`
	MemBytes int64   `json:"mem_bytes"`
	MaxLoad  float64 `json:"max_load_1m"`
}

// Snapshot is the system's state at one moment.
type Snapshot struct {
	At    time.Time `json:"at"`
	Open  int       `json:"open"`
	Load1 float64   `json:"load_1m"`
	// WorkerRSS is each worker's resident set; WorkerHeap the Go heap in use summed over them
	// and StickyCache the workflows in their Temporal sticky caches, summed.
	WorkerRSS   []int64   `json:"worker_rss_bytes"`
	WorkerHeap  float64   `json:"worker_heap_inuse_bytes"`
	StickyCache float64   `json:"sticky_cache_workflows"`
	ServeRSS    int64     `json:"serve_rss_bytes"`
	NodeRSS     []int64   `json:"server_node_rss_bytes"`
	DB          Databases `json:"databases"`
	Shards      Shards    `json:"shards"`
	// CPU is the CPU seconds used so far by the server nodes, the workers and serve (each summed):
	// the difference between two snapshots over the journeys started between them is the CPU
	// per journey.
	CPU CPU `json:"cpu_s"`
}

// CPU is cumulative CPU seconds per kind of process.
type CPU struct {
	Nodes   float64 `json:"server_nodes"`
	Workers float64 `json:"workers"`
	Serve   float64 `json:"serve"`
}

// Step is one import of Imported journeys and what was measured after it.
type Step struct {
	Snapshot
	Imported int `json:"imported"`
	// ImportSeconds is `kompeten import`'s run; SettleSeconds from its start until every
	// journey of the step waits for the centre admin in the read model.
	ImportSeconds float64   `json:"import_s"`
	ImportRate    float64   `json:"import_per_s"`
	SettleSeconds float64   `json:"settle_s"`
	Approval      Latencies `json:"approval"`
}

// Per10k is growth per 10,000 open journeys.
type Per10k struct {
	WorkerRSSBytes     float64 `json:"worker_rss_bytes"`
	WorkerHeapBytes    float64 `json:"worker_heap_bytes"`
	StickyCacheEntries float64 `json:"sticky_cache_workflows"`
	// PerCachedBytes is the workers' RSS growth per workflow in their sticky caches.
	PerCachedBytes  float64 `json:"worker_rss_per_cached_workflow_bytes"`
	ServerRSSBytes  float64 `json:"server_nodes_rss_bytes"`
	TemporalBytes   float64 `json:"temporal_db_bytes"`
	VisibilityBytes float64 `json:"visibility_db_bytes"`
	KompetenBytes   float64 `json:"kompeten_db_bytes"`
}

// Latencies are milliseconds.
type Latencies struct {
	Count  int     `json:"count"`
	Errors int     `json:"errors"`
	P50    float64 `json:"p50_ms"`
	P95    float64 `json:"p95_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
}

func summarise(ds []time.Duration, errs int) Latencies {
	if len(ds) == 0 {
		return Latencies{Errors: errs}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	// Nearest rank: the smallest value with at least p of the samples at or below it.
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return Latencies{Count: len(s), Errors: errs, P50: ms(rank(0.5)), P95: ms(rank(0.95)), P99: ms(rank(0.99)), Max: ms(s[len(s)-1])}
}

func sum(xs []int64) int64 {
	var t int64
	for _, x := range xs {
		t += x
	}
	return t
}

// per10k works out the growth from the baseline to the last step.
func (r *Report) per10k() {
	if len(r.Steps) == 0 {
		return
	}
	last, b := r.Steps[len(r.Steps)-1].Snapshot, r.Baseline
	open := float64(last.Open)
	if open == 0 {
		return
	}
	f := 10000 / open
	r.Per10k = Per10k{
		WorkerRSSBytes:     float64(sum(last.WorkerRSS)-sum(b.WorkerRSS)) * f,
		WorkerHeapBytes:    (last.WorkerHeap - b.WorkerHeap) * f,
		StickyCacheEntries: (last.StickyCache - b.StickyCache) * f,
		ServerRSSBytes:     float64(sum(last.NodeRSS)-sum(b.NodeRSS)) * f,
		TemporalBytes:      float64(last.DB.TemporalBytes-b.DB.TemporalBytes) * f,
		VisibilityBytes:    float64(last.DB.VisibilityBytes-b.DB.VisibilityBytes) * f,
		KompetenBytes:      float64(last.DB.KompetenBytes-b.DB.KompetenBytes) * f,
	}
	if c := last.StickyCache - b.StickyCache; c > 0 {
		r.Per10k.PerCachedBytes = float64(sum(last.WorkerRSS)-sum(b.WorkerRSS)) / c
	}
}

func mib(b float64) string { return fmt.Sprintf("%.0f", b/(1<<20)) }

// stepLine is the progress line printed after each step.
func stepLine(s Step) string {
	return fmt.Sprintf("%d open: import %d in %.0fs (%.1f/s), all waiting after %.0fs; approvals p50/p95/p99 %.0f/%.0f/%.0f ms (%d, %d errors); "+
		"workers RSS %s MiB, heap %s MiB, sticky cache %.0f; serve %s MiB; nodes %s MiB; DB temporal %s + visibility %s + kompeten %s MiB, connections %d+%d+%d; shards used %d/%d (%d-%d executions); CPU so far: nodes %.0fs, workers %.0fs, serve %.0fs; load %.1f",
		s.Open, s.Imported, s.ImportSeconds, s.ImportRate, s.SettleSeconds, s.Approval.P50, s.Approval.P95, s.Approval.P99, s.Approval.Count, s.Approval.Errors,
		mib(float64(sum(s.WorkerRSS))), mib(s.WorkerHeap), s.StickyCache, mib(float64(s.ServeRSS)), mib(float64(sum(s.NodeRSS))),
		mib(float64(s.DB.TemporalBytes)), mib(float64(s.DB.VisibilityBytes)), mib(float64(s.DB.KompetenBytes)),
		s.DB.TemporalConns, s.DB.VisibilityConns, s.DB.KompetenConns, s.Shards.Used, s.Shards.Configured, s.Shards.MinOpen, s.Shards.MaxOpen, s.CPU.Nodes, s.CPU.Workers, s.CPU.Serve, s.Load1)
}

// WriteTable writes the report as a table per step and the per-10k summary.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "cluster: %d server nodes, %d history shards, %d workers (sticky cache %d each; 0 = SDK default); machine %d CPUs, %.1f GiB, load average up to %.1f; %s\n\n",
		r.Nodes, r.Shards, r.Workers, r.StickyCacheSize, r.Machine.CPUs, float64(r.Machine.MemBytes)/(1<<30), r.Machine.MaxLoad, r.Elapsed.Round(time.Second))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "open\timport/s\tsettle s\tappr p50\tp95\tp99\tworkers RSS MiB\theap MiB\tsticky\tnodes RSS MiB\ttemporal MiB\tvisibility MiB\tkompeten MiB\tPG conns\tshards used\tload\t")
	row := func(s Snapshot, st *Step) {
		imp, settle, p50, p95, p99 := "-", "-", "-", "-", "-"
		if st != nil {
			imp, settle = fmt.Sprintf("%.1f", st.ImportRate), fmt.Sprintf("%.0f", st.SettleSeconds)
			p50, p95, p99 = fmt.Sprintf("%.0f", st.Approval.P50), fmt.Sprintf("%.0f", st.Approval.P95), fmt.Sprintf("%.0f", st.Approval.P99)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%d\t%d/%d\t%.1f\t\n", s.Open, imp, settle, p50, p95, p99,
			mib(float64(sum(s.WorkerRSS))), mib(s.WorkerHeap), s.StickyCache, mib(float64(sum(s.NodeRSS))),
			mib(float64(s.DB.TemporalBytes)), mib(float64(s.DB.VisibilityBytes)), mib(float64(s.DB.KompetenBytes)),
			s.DB.TemporalConns+s.DB.VisibilityConns+s.DB.KompetenConns, s.Shards.Used, s.Shards.Configured, s.Load1)
	}
	row(r.Baseline, nil)
	for i := range r.Steps {
		row(r.Steps[i].Snapshot, &r.Steps[i])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	p := r.Per10k
	_, err := fmt.Fprintf(w, "\nper 10,000 open journeys (last step over the baseline): workers RSS %s MiB (heap %s MiB, %.0f more in the sticky caches: %.1f KiB RSS per cached journey); server nodes RSS %s MiB; temporal DB %s MiB, visibility %s MiB, kompeten %s MiB\napprovals with %d open: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (%d, %d errors)\n",
		mib(p.WorkerRSSBytes), mib(p.WorkerHeapBytes), p.StickyCacheEntries, p.PerCachedBytes/1024, mib(p.ServerRSSBytes), mib(p.TemporalBytes), mib(p.VisibilityBytes), mib(p.KompetenBytes),
		lastOpen(r), r.Approval.P50, r.Approval.P95, r.Approval.P99, r.Approval.Max, r.Approval.Count, r.Approval.Errors)
	return err
}

func lastOpen(r *Report) int {
	if len(r.Steps) == 0 {
		return 0
	}
	return r.Steps[len(r.Steps)-1].Open
}
