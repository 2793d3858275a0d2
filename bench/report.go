package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is everything one run measured.
type Report struct {
	Started    time.Time      `json:"started"`
	Machine    Machine        `json:"machine"`
	Settings   Settings       `json:"settings"`
	StartRate  StartRate      `json:"start_rate"`
	Throughput Throughput     `json:"throughput"`
	Approval   ApprovalResult `json:"approval_latency"`
	Memory     Memory         `json:"memory"`
	History    HistoryStats   `json:"history"`
	Targets    []Target       `json:"targets"`
}

// Settings are the knobs a run used, so a figure can be reproduced.
type Settings struct {
	N             int               `json:"n"`
	Journeys      int               `json:"journeys"`
	Concurrency   int               `json:"concurrency"`
	InFlight      int               `json:"in_flight"`
	CohortSize    int               `json:"cohort_size"`
	ApprovalRate  float64           `json:"approval_rate"`
	HistoryShards int32             `json:"history_shards,omitempty"`
	SQLitePragmas map[string]string `json:"sqlite_pragmas,omitempty"`
	SQLiteConns   int               `json:"sqlite_max_conns,omitempty"`
	DynamicConfig map[string]any    `json:"dynamic_config,omitempty"`
	// NoGRPCCompression: requests to the embedded server were not gzipped.
	NoGRPCCompression bool           `json:"no_grpc_compression,omitempty"`
	Worker            map[string]int `json:"worker,omitempty"`
}

// StartRate compares journeys started from an import with no-op workflows started the same way.
type StartRate struct {
	N           int     `json:"n"`
	Concurrency int     `json:"concurrency"`
	Engine      Rate    `json:"engine"`
	Import      Rate    `json:"import"`
	Ratio       float64 `json:"ratio"`
	CPURatio    float64 `json:"cpu_ratio"`
}

// Rate is how many things per second one phase did, and how busy the machine was meanwhile.
type Rate struct {
	Count     int     `json:"count"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"per_second"`
	CPU       CPUUse  `json:"cpu"`
}

func rate(n int, d time.Duration, cpu CPUUse) Rate {
	r := Rate{Count: n, Seconds: d.Seconds(), CPU: cpu}
	if d > 0 {
		r.PerSecond = float64(n) / d.Seconds()
	}
	return r
}

// Throughput compares journeys driven to a closed outcome with same-shape no-op workflows.
type Throughput struct {
	InFlight int  `json:"in_flight"`
	Engine   Rate `json:"engine"`
	Kompeten Rate `json:"kompeten"`
	// Ratio is kompeten / engine journeys per second (steady state).
	Ratio float64 `json:"ratio"`
	// CPURatio is engine / kompeten CPU per journey: the throughput ratio of a saturated machine.
	CPURatio        float64   `json:"cpu_ratio"`
	EngineLatency   Latencies `json:"engine_latency"`
	JourneyLatency  Latencies `json:"journey_latency"`
	Unexpected      int       `json:"unexpected_outcomes"`
	Stuck           int       `json:"stuck_cases"`
	RequestErrors   int       `json:"request_errors"`
	FinalLeadSecond float64   `json:"final_lead_s"`
	// MaxLeadSecond is the longest lead any cohort got (see nextLead).
	MaxLeadSecond float64 `json:"max_lead_s"`
	// EngineInFlight and JourneyInFlight are how many were open on average over the steady
	// window (Little's law: with the same latency, throughput follows them).
	EngineInFlight  float64 `json:"engine_in_flight"`
	JourneyInFlight float64 `json:"journey_in_flight"`
	// HeldLaunches counts the passes of the driver's loop (at each look at the lists, each
	// answered placement, each cohort imported) that found room for a cohort but held it back
	// because maxUninsured cohorts were not insured yet.
	HeldLaunches int `json:"held_launches"`
	// Plan is the same-shape workflow's steps, counted by kind.
	Plan map[StepKind]int `json:"plan"`
}

// ApprovalResult is the time from sending an approval through the API to its answer.
type ApprovalResult struct {
	Open      int       `json:"open_journeys"`
	RatePerS  float64   `json:"rate_per_s"`
	Latency   Latencies `json:"latency"`
	Errors    int       `json:"errors"`
	CPU       CPUUse    `json:"cpu"`
	SentInSec float64   `json:"sent_in_s"`
}

// Memory is what open journeys cost the process: Go heap and stacks in use after a full GC
// (runtime.MemStats HeapInuse + StackInuse), before and after they opened, so it is the
// worker's share plus the embedded server's (an upper bound for a worker alone).
type Memory struct {
	Open            int     `json:"open_journeys"`
	DeltaBytes      int64   `json:"delta_bytes"`
	PerJourneyBytes float64 `json:"per_journey_bytes"`
	Per10kBytes     float64 `json:"per_10k_bytes"`
	RSSDeltaBytes   int64   `json:"rss_delta_bytes"`
	// WorkerCacheBytes is what purging the worker's workflow cache freed: the worker's share.
	WorkerCacheBytes  int64   `json:"worker_cache_bytes"`
	WorkerPer10kBytes float64 `json:"worker_per_10k_bytes"`
}

// HistoryStats are the averages over sampled closed histories.
type HistoryStats struct {
	Sampled  int   `json:"sampled"`
	Journey  Shape `json:"journey"`
	Engine   Shape `json:"engine"`
	Matching bool  `json:"same_activities_timers_updates"`
}

// Target is one of the goals and whether this run met it.
type Target struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit"`
	Met   bool    `json:"met"`
}

func (r *Report) judge() {
	r.Targets = []Target{
		{Name: "journey throughput / same-shape engine", Value: r.Throughput.Ratio, Limit: 0.8, Unit: "ratio", Met: r.Throughput.Ratio >= 0.8},
		{Name: "import start rate / raw engine start rate", Value: r.StartRate.Ratio, Limit: 0.8, Unit: "ratio", Met: r.StartRate.Ratio >= 0.8},
		{Name: fmt.Sprintf("approval p99 with %d open journeys", r.Approval.Open), Value: r.Approval.Latency.P99, Limit: 250, Unit: "ms", Met: r.Approval.Latency.Count > 0 && r.Approval.Latency.P99 < 250},
		{Name: "worker memory (workflow cache) with 10,000 open journeys", Value: r.Memory.WorkerPer10kBytes / (1 << 20), Limit: 1024, Unit: "MiB", Met: r.Memory.WorkerPer10kBytes > 0 && r.Memory.WorkerPer10kBytes < 1<<30},
		{Name: "whole process (worker + embedded server) with 10,000 open journeys", Value: r.Memory.Per10kBytes / (1 << 20), Limit: 1024, Unit: "MiB", Met: r.Memory.Per10kBytes > 0 && r.Memory.Per10kBytes < 1<<30},
	}
}

// WriteTable prints the report for people.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, a ...any) { fmt.Fprintf(tw, format+"\n", a...) }
	m := r.Machine
	p("machine\t%d CPUs, %s, %s, %s", m.CPUs, m.CPUModel, m.MemTotal, m.GoVersion)
	p("settings\tN=%d journeys=%d concurrency=%d in-flight=%d cohort=%d", r.Settings.N, r.Settings.Journeys, r.Settings.Concurrency, r.Settings.InFlight, r.Settings.CohortSize)
	p("")
	p("measure\tkompeten\tengine\tratio\tmachine busy (k / e)")
	s := r.StartRate
	p("start rate (per s)\t%.1f\t%.1f\t%.2f\t%s / %s", s.Import.PerSecond, s.Engine.PerSecond, s.Ratio, pct(s.Import.CPU.Machine), pct(s.Engine.CPU.Machine))
	t := r.Throughput
	p("start CPU ms (of which PostgreSQL)\t%.1f (%.1f)\t%.1f (%.1f)\t%.2f\t", s.Import.CPU.MillisPerItem, s.Import.CPU.PGMillisPerItem, s.Engine.CPU.MillisPerItem, s.Engine.CPU.PGMillisPerItem, s.CPURatio)
	p("journeys per s (steady)\t%.2f\t%.2f\t%.2f\t%s / %s", t.Kompeten.PerSecond, t.Engine.PerSecond, t.Ratio, pct(t.Kompeten.CPU.Machine), pct(t.Engine.CPU.Machine))
	p("CPU ms per journey (PostgreSQL)\t%.0f (%.0f)\t%.0f (%.0f)\t%.2f\t", t.Kompeten.CPU.MillisPerItem, t.Kompeten.CPU.PGMillisPerItem, t.Engine.CPU.MillisPerItem, t.Engine.CPU.PGMillisPerItem, t.CPURatio)
	p("journey time p50 / p99 (s)\t%.1f / %.1f\t%.1f / %.1f\t\t", t.JourneyLatency.P50/1000, t.JourneyLatency.P99/1000, t.EngineLatency.P50/1000, t.EngineLatency.P99/1000)
	p("open on average (steady)\t%.1f\t%.1f\t\t%d launches held", t.JourneyInFlight, t.EngineInFlight, t.HeldLaunches)
	h := r.History
	p("history events per journey\t%d\t%d\t\t", h.Journey.Events, h.Engine.Events)
	p("history bytes per journey\t%d\t%d\t\t", h.Journey.Bytes, h.Engine.Bytes)
	p("actions / commands per journey\t%d / %d\t%d / %d\t\t", h.Journey.Actions, h.Journey.Commands, h.Engine.Actions, h.Engine.Commands)
	p("workflow tasks per journey\t%d\t%d\t\t", h.Journey.WorkflowTasks, h.Engine.WorkflowTasks)
	p("activities / timers / updates\t%d / %d / %d\t%d / %d / %d\t\t", h.Journey.Activities, h.Journey.TimersStarted, h.Journey.Updates, h.Engine.Activities, h.Engine.TimersStarted, h.Engine.Updates)
	p("local activities / SA upserts\t%d / %d\t%d / %d\t\t", h.Journey.LocalActivities, h.Journey.UpsertSA, h.Engine.LocalActivities, h.Engine.UpsertSA)
	p("")
	a := r.Approval
	p("approval latency (ms)\tp50 %.0f  p95 %.0f  p99 %.0f  max %.0f  (%d sent at %.0f/s, %d open, %d errors)", a.Latency.P50, a.Latency.P95, a.Latency.P99, a.Latency.Max, a.Latency.Count, a.RatePerS, a.Open, a.Errors)
	mem := r.Memory
	p("memory, %d open journeys\tprocess heap+stacks +%s (%s per 10,000; RSS +%s); worker's workflow cache %s (%s per 10,000)",
		mem.Open, mib(mem.DeltaBytes), mib(int64(mem.Per10kBytes)), mib(mem.RSSDeltaBytes), mib(mem.WorkerCacheBytes), mib(int64(mem.WorkerPer10kBytes)))
	p("journeys closed as expected\t%d unexpected outcomes, %d ever stuck, %d request errors, lead %.1fs at the end, %.1fs at most", t.Unexpected, t.Stuck, t.RequestErrors, t.FinalLeadSecond, t.MaxLeadSecond)
	p("")
	p("target\tvalue\tlimit\tmet")
	for _, tg := range r.Targets {
		p("%s\t%.2f %s\t%.2f %s\t%s", tg.Name, tg.Value, tg.Unit, tg.Limit, tg.Unit, yes(tg.Met))
	}
	return tw.Flush()
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }
func mib(b int64) string   { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
func kib(b float64) string { return fmt.Sprintf("%.1f KiB", b/1024) }
func yes(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

// cpuRatio is how many times cheaper in CPU the engine's item is than kompeten's, inverted:
// engine cost / kompeten cost, comparable with a throughput ratio.
func cpuRatio(kompeten, engine CPUUse) float64 {
	if kompeten.MillisPerItem <= 0 {
		return 0
	}
	return engine.MillisPerItem / kompeten.MillisPerItem
}

// phaseLine is one progress line.
func phaseLine(w io.Writer, format string, a ...any) {
	if w != nil {
		fmt.Fprintf(w, "bench: "+strings.TrimSuffix(format, "\n")+"\n", a...)
	}
}
