package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	sdkworker "go.temporal.io/sdk/worker"

	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// startRate starts N no-op workflows and imports N people (importer.Run with the Direct
// enroller, as a tool next to the database does), with the same concurrency, in alternating
// rounds, and leaves the N journeys open, waiting for the centre admin.
func (r *runner) startRate(ctx context.Context, rep *Report) error {
	n, conc := r.o.N, r.o.Concurrency
	rep.StartRate = StartRate{N: n, Concurrency: conc}
	loc := r.sys.svc.Location()
	start := time.Now().In(loc).AddDate(0, 0, 30)
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
	code := r.prefix + "-IMPORT"
	if _, err := r.sys.svc.CreatePackage(ctx, store.Package{
		Code: code, CentreCode: benchCentre, LSPCode: benchLSP, Scheme: benchScheme, Trade: benchTrade,
		StartDate: start, EndDate: start.AddDate(0, 1, 0), Hours: 240, Capacity: n,
	}); err != nil {
		return err
	}
	var engine, imports segments
	r.memBefore = measureMemory()
	for round, from := range splits(n, r.o.Rounds) {
		size := splitSize(n, r.o.Rounds, round)
		end := r.phase(PhaseStarts)
		cpu := startCPU(r.rm.backendCPU)
		took, err := r.engineStarts(ctx, from, size, conc)
		end()
		if err != nil {
			return err
		}
		engine.add(size, took, cpu)

		// The file exists before the import starts, as a centre's export does.
		csv, err := r.cohortCSV(size, start)
		if err != nil {
			return err
		}
		end = r.phase(PhaseImport)
		cpu = startCPU(r.rm.backendCPU)
		t0 := time.Now()
		ids, err := r.importCohort(ctx, code, csv, start, importer.Direct{Svc: r.sys.svc, Concurrency: conc}, 0)
		took = time.Since(t0)
		end()
		if err != nil {
			return err
		}
		r.importIDs = append(r.importIDs, ids...)
		// Quiet before the next round: the journeys' first steps are not the next round's load.
		// Their CPU counts, though, as the no-op workflows' first (and last) task does: CPU per
		// start is what it takes a workflow to get to where it waits.
		open := len(r.importIDs)
		if err := waitFor(ctx, time.Duration(size)*50*time.Millisecond+2*time.Minute, fmt.Sprintf("%d journeys waiting for the centre admin", open), func() (bool, error) {
			w, err := r.rm.waiting(ctx, code, vocab.WaitingCentreAdmin)
			return w == open, err
		}); err != nil {
			return err
		}
		imports.add(size, took, cpu)
	}
	rep.StartRate.Engine, rep.StartRate.Import = engine.rate(), imports.rate()
	if rep.StartRate.Engine.PerSecond > 0 {
		rep.StartRate.Ratio = rep.StartRate.Import.PerSecond / rep.StartRate.Engine.PerSecond
	}
	rep.StartRate.CPURatio = cpuRatio(rep.StartRate.Import.CPU, rep.StartRate.Engine.CPU)
	r.importPkg = code
	phaseLine(r.o.Progress, "start rate: import %.0f/s, engine %.0f/s, ratio %.2f; CPU per start %.1f ms and %.1f ms, ratio %.2f",
		rep.StartRate.Import.PerSecond, rep.StartRate.Engine.PerSecond, rep.StartRate.Ratio,
		rep.StartRate.Import.CPU.MillisPerItem, rep.StartRate.Engine.CPU.MillisPerItem, rep.StartRate.CPURatio)
	return nil
}

// splits returns where each of rounds parts of n starts.
func splits(n, rounds int) []int {
	out := make([]int, rounds)
	for i := range out {
		out[i] = i * (n / rounds)
	}
	return out
}

// splitSize is the size of part i: the last one takes the remainder.
func splitSize(n, rounds, i int) int {
	if i == rounds-1 {
		return n - i*(n/rounds)
	}
	return n / rounds
}

// approvalLatency approves the imported journeys' enrolments through the API at a fixed rate
// (arrivals do not wait for answers, as people do not wait for each other) and times each.
func (r *runner) approvalLatency(ctx context.Context, rep *Report) error {
	ids := r.importIDs[:r.o.Approvals]
	interval := time.Duration(float64(time.Second) / r.o.ApprovalRate)
	lat := make([]time.Duration, len(ids))
	var errs int
	var mu sync.Mutex
	var wg sync.WaitGroup
	cpu := startCPU(r.rm.backendCPU)
	t0 := time.Now()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i, id := range ids {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-tick.C:
			}
		}
		wg.Add(1)
		go func(i int, id string) {
			defer wg.Done()
			s := time.Now()
			_, err := r.api.DecideEnrolment(ctx, id, workflows.EnrolmentDecision{Actor: admin, Approve: true})
			lat[i] = time.Since(s)
			if err != nil {
				mu.Lock()
				errs++
				mu.Unlock()
				r.o.Logger.Warn("bench: approval failed", "case", id, "error", err)
			}
		}(i, id)
	}
	sent := time.Since(t0)
	wg.Wait()
	var use segments
	use.add(len(ids), time.Since(t0), cpu)
	rep.Approval = ApprovalResult{Open: r.o.N, RatePerS: r.o.ApprovalRate, Latency: summarise(lat), Errors: errs, CPU: use.rate().CPU, SentInSec: sent.Seconds()}
	l := rep.Approval.Latency
	phaseLine(r.o.Progress, "approvals: %d at %.0f/s with %d open journeys: p50 %.0fms p95 %.0fms p99 %.0fms", len(ids), r.o.ApprovalRate, r.o.N, l.P50, l.P95, l.P99)
	return nil
}

// workerShare purges the worker's workflow cache while the journeys wait on people and reports
// what that freed: the worker's part of what they cost (the rest is the embedded server's).
// Querying every journey then brings them back into the cache, so the approvals that follow
// meet a warm worker, as they would in steady state.
func (r *runner) workerShare(ctx context.Context, m *Memory) error {
	before := measureMemory()
	sdkworker.PurgeStickyWorkflowCache()
	after := measureMemory()
	m.WorkerCacheBytes = int64(before.InUse) - int64(after.InUse)
	m.WorkerPer10kBytes = float64(m.WorkerCacheBytes) / float64(len(r.importIDs)) * 10000
	return forEach(len(r.importIDs), r.o.Concurrency, func(i int) error {
		_, err := r.sys.svc.State(ctx, r.importIDs[i])
		return err
	})
}

// throughput drives n same-shape workflows, then n journeys, inFlight open at once. Each side
// runs in one go: a closed loop needs a while to fill up, which rounds would repeat.
func (r *runner) throughput(ctx context.Context, rep *Report, plan []Step) error {
	n, inFlight := r.o.Journeys, r.o.InFlight
	t := &rep.Throughput
	t.InFlight, t.Plan = inFlight, countPlan(plan)
	var engine, journeys segments

	end := r.phase(PhaseEngine)
	cpu := startCPU(r.rm.backendCPU)
	eng, err := r.engineJourneys(ctx, plan, 0, n, inFlight)
	end()
	if err != nil {
		return err
	}
	engine.addSteady(eng.closes, eng.first, cpu)
	r.engineIDs = eng.ids
	phaseLine(r.o.Progress, "engine: %d same-shape workflows in %.0fs", n, eng.last.Sub(eng.first).Seconds())

	end = r.phase(PhaseJourneys)
	cpu = startCPU(r.rm.backendCPU)
	res, err := r.driveJourneys(ctx, n, inFlight)
	end()
	if err != nil {
		return err
	}
	journeys.addSteady(res.closes, res.first, cpu)
	r.journeyIDs = res.ids
	t.Unexpected, t.RequestErrors, t.FinalLeadSecond, t.MaxLeadSecond = res.unexpected, res.errors, res.lead.Seconds(), res.maxLead.Seconds()
	phaseLine(r.o.Progress, "journeys: %d closed in %.0fs", n, res.last.Sub(res.first).Seconds())

	t.Engine, t.Kompeten = engine.rate(), journeys.rate()
	t.EngineInFlight, t.JourneyInFlight = meanInFlight(eng.closes, eng.latencies), meanInFlight(res.closes, res.latencies)
	t.HeldLaunches = res.held
	t.EngineLatency, t.JourneyLatency = summarise(eng.latencies), summarise(res.latencies)
	if t.Engine.PerSecond > 0 {
		t.Ratio = t.Kompeten.PerSecond / t.Engine.PerSecond
	}
	t.CPURatio = cpuRatio(t.Kompeten.CPU, t.Engine.CPU)
	if t.Stuck, err = r.rm.stuckCases(ctx, r.prefix+"-0"); err != nil {
		return err
	}
	phaseLine(r.o.Progress, "throughput: journeys %.2f/s, engine %.2f/s, ratio %.2f; CPU per journey %.0f ms, per same-shape workflow %.0f ms, ratio %.2f",
		t.Kompeten.PerSecond, t.Engine.PerSecond, t.Ratio, t.Kompeten.CPU.MillisPerItem, t.Engine.CPU.MillisPerItem, t.CPURatio)
	return nil
}
