package bench

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// recordedJourney is the workflows package's recorded placed-formal journey.
func recordedJourney(t *testing.T) *historypb.History {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "workflows", "testdata", "histories", "journey-placed-formal.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// The recorded placed-formal journey: the counts the README's journey implies, and a plan with
// the same activities, timers and updates.
func TestShapeAndPlanOfRecordedJourney(t *testing.T) {
	h := recordedJourney(t)
	s := ShapeOf(h)
	if s.Events != len(h.Events) || s.Bytes == 0 {
		t.Fatalf("events %d bytes %d", s.Events, s.Bytes)
	}
	if s.Activities == 0 || s.Updates == 0 || s.TimersStarted < s.TimersFired || s.LocalActivities == 0 {
		t.Fatalf("implausible shape %+v", s)
	}
	if s.Actions <= s.Activities+s.TimersStarted+s.Updates || s.Commands == 0 {
		t.Fatalf("actions %d / commands %d too low for %+v", s.Actions, s.Commands, s)
	}
	plan := PlanOf(h)
	count := map[StepKind]int{}
	for _, st := range plan {
		count[st.Kind]++
		if st.Kind == StepSleep && st.Duration <= 0 {
			t.Errorf("a fired timer without a duration: %+v", st)
		}
	}
	if count[StepActivity] != s.Activities || count[StepSleep] != s.TimersFired ||
		count[StepSleep]+count[StepIdleTimer] != s.TimersStarted || count[StepUpdate] != s.Updates || PlanUpdates(plan) != s.Updates {
		t.Fatalf("plan %v does not match shape %+v", count, s)
	}
	t.Logf("shape %+v", s)
}

// The recorded journey waited for its package's first and last training day: DatePlan makes
// those two sleeps wait until the same time after the start as the dates were after the
// origin, and leaves the result poll's sleep as it was.
func TestDatePlanWaitsForThePackagesDates(t *testing.T) {
	h := recordedJourney(t)
	var in workflows.JourneyInput
	payloads := h.Events[0].GetWorkflowExecutionStartedEventAttributes().GetInput()
	keys, err := codec.ReadKeyFile(filepath.Join("..", "workflows", "testdata", "payload-test.keys"))
	if err != nil {
		t.Fatal(err)
	}
	ring, err := codec.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	if err := codec.DataConverter(ring).FromPayloads(payloads, &in); err != nil {
		t.Fatal(err)
	}
	origin := in.Start.Add(-10 * time.Second)
	plan := PlanOf(h)
	dated := DatePlan(plan, h, origin, in.Start, in.End)
	var until []time.Duration
	for i, s := range dated {
		if s.Kind != plan[i].Kind || s.Duration != plan[i].Duration {
			t.Fatalf("step %d changed: %+v, was %+v", i, s, plan[i])
		}
		if s.Until > 0 {
			until = append(until, s.Until)
		}
	}
	want := []time.Duration{10 * time.Second, in.End.Sub(origin)}
	if !slices.Equal(until, want) {
		t.Fatalf("sleeps until %v, want %v (the first and last training day)", until, want)
	}
	for _, s := range plan {
		if s.Until != 0 {
			t.Fatal("DatePlan changed the plan it was given")
		}
	}
}
