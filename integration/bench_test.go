package integration

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/bench"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
)

// `kompeten bench` with tiny numbers: every phase runs, the journeys close as placed, the
// baseline has the journey's activities, timers and updates, and every figure is there. No
// figure is compared with a limit: timings belong in BENCHMARKS.md, not in a test.
func TestBenchSmoke(t *testing.T) {
	c, err := config.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := bench.Run(context.Background(), c, testdb.New(t), bench.Options{
		N: 16, Journeys: 8, CohortSize: 8, InFlight: 8, Concurrency: 4, Approvals: 8, ApprovalRate: 100,
		Lead: 2 * time.Second, Training: 500 * time.Millisecond, PollInterval: 250 * time.Millisecond,
		ResultPoll: 500 * time.Millisecond, Seed: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	// A slow machine may insure a cohort after its first training day (the case is then marked
	// stuck, and has fewer timers): that is timing, not a failure.
	th := rep.Throughput
	if th.Unexpected != 0 || th.RequestErrors != 0 {
		t.Fatalf("journeys did not close cleanly: %d unexpected outcomes, %d request errors", th.Unexpected, th.RequestErrors)
	}
	j, e := rep.History.Journey, rep.History.Engine
	if j.Activities != e.Activities || j.Updates != e.Updates {
		t.Fatalf("baseline shape %+v differs from the journey's %+v", e, j)
	}
	if rep.StartRate.Ratio <= 0 || th.Ratio <= 0 || rep.Approval.Latency.Count != 8 || rep.Approval.Errors != 0 ||
		rep.History.Journey.Events == 0 || rep.History.Journey.Bytes == 0 || len(rep.Targets) != 5 {
		t.Fatalf("incomplete report: %+v", rep)
	}
}
