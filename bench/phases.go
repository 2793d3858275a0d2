package bench

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	sdkworker "go.temporal.io/sdk/worker"

	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// startRate starts N no-op workflows, then imports N people (importer.Run with the Direct
// enroller, as a tool next to the database does), each with the same concurrency, and leaves
// the N journeys open, waiting for the centre admin.
func (r *runner) startRate(ctx context.Context, rep *Report) error {
	n, conc := r.o.N, r.o.Concurrency
	rep.StartRate = StartRate{N: n, Concurrency: conc}

	end := r.phase(PhaseEngine)
	cpu := startCPU()
	took, err := r.engineStarts(ctx, n, conc)
	end()
	if err != nil {
		return err
	}
	rep.StartRate.Engine = rate(n, took, cpu.stop())
	phaseLine(r.o.Progress, "engine: %d no-op workflows started in %.1fs (%.0f/s)", n, took.Seconds(), rep.StartRate.Engine.PerSecond)

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
	// The file exists before the import starts, as a centre's export does.
	csv, err := r.cohortCSV(n, start)
	if err != nil {
		return err
	}
	end = r.phase(PhaseImport)
	cpu = startCPU()
	t0 := time.Now()
	ids, err := r.importCohort(ctx, code, csv, start, importer.Direct{Svc: r.sys.svc, Concurrency: conc}, 0)
	took = time.Since(t0)
	end()
	if err != nil {
		return err
	}
	rep.StartRate.Import = rate(n, took, cpu.stop())
	if rep.StartRate.Engine.PerSecond > 0 {
		rep.StartRate.Ratio = rep.StartRate.Import.PerSecond / rep.StartRate.Engine.PerSecond
	}
	r.importPkg, r.importIDs = code, ids
	phaseLine(r.o.Progress, "import: %d journeys started in %.1fs (%.0f/s), %.2f of the engine's rate", n, took.Seconds(), rep.StartRate.Import.PerSecond, rep.StartRate.Ratio)

	return waitFor(ctx, time.Duration(n)*50*time.Millisecond+2*time.Minute, fmt.Sprintf("%d journeys waiting for the centre admin", n), func() (bool, error) {
		w, err := r.rm.waiting(ctx, code, workflows.WaitingCentreAdmin)
		return w == n, err
	})
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
	cpu := startCPU()
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
			err := r.api.do(ctx, "POST", "/api/v1/cases/"+url.PathEscape(id)+"/enrolment", workflows.EnrolmentDecision{Actor: admin, Approve: true}, nil)
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
	rep.Approval = ApprovalResult{Open: r.o.N, RatePerS: r.o.ApprovalRate, Latency: summarise(lat), Errors: errs, CPU: cpu.stop(), SentInSec: sent.Seconds()}
	l := rep.Approval.Latency
	phaseLine(r.o.Progress, "approvals: %d at %.0f/s with %d open journeys: p50 %.0fms p95 %.0fms p99 %.0fms", len(ids), r.o.ApprovalRate, r.o.N, l.P50, l.P95, l.P99)
	return nil
}

// cacheShare purges the workers' workflow cache and reports how much memory that freed: the
// worker's part of what open journeys cost (the rest is the embedded server's).
func cacheShare() int64 {
	before := measureMemory()
	sdkworker.PurgeStickyWorkflowCache()
	after := measureMemory()
	return int64(before.InUse) - int64(after.InUse)
}

// throughput runs the same-shape engine baseline, then the journeys, each n at inFlight open.
func (r *runner) throughput(ctx context.Context, rep *Report, plan []Step) error {
	n, inFlight := r.o.Journeys, r.o.InFlight
	t := &rep.Throughput
	t.InFlight, t.Plan = inFlight, countPlan(plan)

	end := r.phase(PhaseEngine)
	cpu := startCPU()
	eng, err := r.engineJourneys(ctx, plan, n, inFlight)
	end()
	if err != nil {
		return err
	}
	t.Engine = rate(n, eng.last.Sub(eng.first), cpu.stop())
	t.EngineLatency = summarise(eng.latencies)
	r.engineIDs = eng.ids
	phaseLine(r.o.Progress, "engine: %d same-shape workflows in %.1fs (%.2f/s)", n, t.Engine.Seconds, t.Engine.PerSecond)

	end = r.phase(PhaseJourneys)
	cpu = startCPU()
	res, err := r.driveJourneys(ctx, n, inFlight)
	end()
	if err != nil {
		return err
	}
	t.Kompeten = rate(n, res.last.Sub(res.first), cpu.stop())
	t.JourneyLatency = summarise(res.latencies)
	t.Unexpected, t.RequestErrors, t.FinalLeadSecond = res.unexpected, res.errors, res.lead.Seconds()
	if t.Engine.PerSecond > 0 {
		t.Ratio = t.Kompeten.PerSecond / t.Engine.PerSecond
	}
	r.journeyIDs = res.ids
	if t.Stuck, err = r.rm.stuckCases(ctx, r.prefix+"-0"); err != nil {
		return err
	}
	phaseLine(r.o.Progress, "journeys: %d closed in %.1fs (%.2f/s), %.2f of the engine's", n, t.Kompeten.Seconds, t.Kompeten.PerSecond, t.Ratio)
	return nil
}
