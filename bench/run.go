package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// runner holds one run's system and state.
type runner struct {
	o       Options
	sys     *system
	api     *apiclient.Client // the centre admin
	manager *apiclient.Client // the LSP's certification manager
	rm      *readModel
	prefix  string // of every package code and workflow ID of this run

	genMu    sync.Mutex
	gen      *CohortGenerator
	packages int

	profile  *os.File
	profiled bool

	memBefore             memSnapshot // just before the import
	importPkg             string
	importIDs             []string
	journeyIDs, engineIDs []string
}

// Run measures everything on a fresh system: c is the configuration to run with (Configure
// shortens it), dbURL an empty PostgreSQL database (FreshDatabase). The embedded server's
// SQLite file lives in a temporary directory that is removed afterwards.
func Run(ctx context.Context, c *config.Config, dbURL string, o Options) (*Report, error) {
	o = o.withDefaults()
	dir, err := os.MkdirTemp("", "kompeten-bench-*")
	if err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := Configure(c, dir, o.ResultPoll); err != nil {
		return nil, err
	}
	gen, err := NewCohortGenerator(o.Seed)
	if err != nil {
		return nil, err
	}
	raw := make([]byte, 3)
	_, _ = rand.Read(raw)
	r := &runner{o: o, gen: gen, prefix: "BENCH-" + strings.ToUpper(hex.EncodeToString(raw))}

	phaseLine(o.Progress, "starting the embedded server (SQLite in %s), simulators, worker and API", dir)
	sys, err := startSystem(ctx, c, dbURL, o.Server, o.Logger)
	if err != nil {
		return nil, err
	}
	defer sys.stop()
	r.sys = sys
	// A centre admin of the benchmark's centre and the manager of its LSP: each step is sent by
	// the role that may take it.
	adminToken, err := sys.token(ctx, "bench-admin", vocab.RoleCentreAdmin, benchCentre)
	if err != nil {
		return nil, err
	}
	managerToken, err := sys.token(ctx, "bench-manager", vocab.RoleLSPManager, benchLSP)
	if err != nil {
		return nil, err
	}
	r.api, r.manager = newAPIClient(sys.apiURL, adminToken), newAPIClient(sys.apiURL, managerToken)
	if r.rm, err = openReadModel(ctx, dbURL); err != nil {
		return nil, err
	}
	defer r.rm.close()
	if o.CPUProfile != "" {
		if r.profile, err = os.Create(o.CPUProfile); err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		defer r.profile.Close()
	}
	defer r.phase(PhaseAll)()

	rep := &Report{Started: time.Now(), Machine: describeMachine(), Settings: settings(c, o)}
	plan, err := r.warmUp(ctx)
	if err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}
	if err := r.startRate(ctx, rep); err != nil {
		return nil, fmt.Errorf("start rate: %w", err)
	}
	memOpen := measureMemory()
	rep.Memory = Memory{
		Open: o.N, DeltaBytes: int64(memOpen.InUse) - int64(r.memBefore.InUse),
		RSSDeltaBytes: int64(memOpen.RSS) - int64(r.memBefore.RSS),
	}
	rep.Memory.PerJourneyBytes = float64(rep.Memory.DeltaBytes) / float64(o.N)
	rep.Memory.Per10kBytes = rep.Memory.PerJourneyBytes * 10000
	if err := r.workerShare(ctx, &rep.Memory); err != nil {
		return nil, fmt.Errorf("memory: %w", err)
	}
	phaseLine(o.Progress, "memory: %s for %d open journeys, of which the worker's workflow cache %s (%s per 10,000)",
		mib(rep.Memory.DeltaBytes), o.N, mib(rep.Memory.WorkerCacheBytes), mib(int64(rep.Memory.WorkerPer10kBytes)))

	if err := r.approvalLatency(ctx, rep); err != nil {
		return nil, fmt.Errorf("approval latency: %w", err)
	}

	if err := r.throughput(ctx, rep, plan); err != nil {
		return nil, fmt.Errorf("throughput: %w", err)
	}
	phaseLine(o.Progress, "reading histories")
	if err := r.histories(ctx, rep); err != nil {
		return nil, fmt.Errorf("histories: %w", err)
	}
	rep.judge()
	return rep, nil
}

// settings records the knobs of a run.
func settings(c *config.Config, o Options) Settings {
	s := Settings{
		N: o.N, Journeys: o.Journeys, Concurrency: o.Concurrency, InFlight: o.InFlight, CohortSize: o.CohortSize,
		ApprovalRate: o.ApprovalRate, HistoryShards: o.Server.HistoryShards, SQLitePragmas: o.Server.SQLitePragmas,
		SQLiteConns: o.Server.SQLiteMaxConns, DynamicConfig: o.Server.DynamicConfig, Worker: map[string]int{},
		NoGRPCCompression: o.Server.NoGRPCCompression,
	}
	w := c.Worker
	for k, v := range map[string]int{
		"workflow_pollers": w.WorkflowPollers, "activity_pollers": w.ActivityPollers,
		"max_concurrent_workflow_tasks": w.MaxConcurrentWorkflowTasks, "max_concurrent_activities": w.MaxConcurrentActivities,
		"max_concurrent_local_activities": w.MaxConcurrentLocalActivities, "sticky_cache_size": w.StickyCacheSize,
	} {
		if v != 0 {
			s.Worker[k] = v
		}
	}
	return s
}

// warmUp drives one cohort through the whole journey (warming caches and connections) and
// derives the same-shape plan from the first closed journey's history.
func (r *runner) warmUp(ctx context.Context) ([]Step, error) {
	t0 := time.Now()
	res, err := r.driveJourneys(ctx, r.o.CohortSize, r.o.CohortSize)
	if err != nil {
		return nil, err
	}
	plan, err := r.typicalPlan(ctx, res.cohorts)
	if err != nil {
		return nil, err
	}
	if _, err := r.engineJourneys(ctx, plan, 1_000_000, r.o.CohortSize, r.o.CohortSize); err != nil {
		return nil, err
	}
	var sleeps []string
	for _, s := range plan {
		switch {
		case s.Kind == StepSleep && s.Until > 0:
			sleeps = append(sleeps, "until +"+s.Until.Round(100*time.Millisecond).String())
		case s.Kind == StepSleep:
			sleeps = append(sleeps, s.Duration.Round(100*time.Millisecond).String())
		}
	}
	phaseLine(r.o.Progress, "warm-up: %d journeys and %d same-shape workflows in %.1fs; plan %v, sleeps %v",
		r.o.CohortSize, r.o.CohortSize, time.Since(t0).Seconds(), countPlan(plan), sleeps)
	return plan, nil
}

// typicalPlan derives the same-shape plan from the most common shape among the warm-up's
// journeys: an assessment result may take one poll or two, and the baseline should do what
// most journeys do.
func (r *runner) typicalPlan(ctx context.Context, cohorts []*cohortRun) ([]Step, error) {
	type key struct{ activities, timers, fired, updates int }
	seen := map[key]int{}
	plans := map[key][]Step{}
	var best key
	for _, c := range cohorts {
		for _, id := range c.ids {
			h, err := r.journeyHistory(ctx, id)
			if err != nil {
				return nil, err
			}
			s := ShapeOf(h)
			k := key{s.Activities, s.TimersStarted, s.TimersFired, s.Updates}
			seen[k]++
			if _, ok := plans[k]; !ok {
				plans[k] = DatePlan(PlanOf(h), h, c.launched, c.start, c.end)
			}
			if seen[k] > seen[best] {
				best = k
			}
		}
	}
	return plans[best], nil
}

func countPlan(plan []Step) map[StepKind]int {
	m := map[StepKind]int{}
	for _, s := range plan {
		m[s.Kind]++
	}
	return m
}

// phase begins a phase and returns its end. When a CPU profile is asked for, it covers exactly
// the chosen phase, so its top entries explain that phase.
func (r *runner) phase(name string) (end func()) {
	// A phase that runs in rounds (the start rates) is profiled in its first round: one file
	// holds one profile.
	if r.profile == nil || r.o.ProfilePhase != name || r.profiled {
		return func() {}
	}
	r.profiled = true
	if err := pprof.StartCPUProfile(r.profile); err != nil {
		r.o.Logger.Warn("bench: cpu profile not started", "error", err)
		return func() {}
	}
	return pprof.StopCPUProfile
}
