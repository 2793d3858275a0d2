package bench

import (
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/client"
)

// The recorded placed-formal journey: the counts the README's journey implies, and a plan with
// the same activities, timers and updates.
func TestShapeAndPlanOfRecordedJourney(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "workflows", "testdata", "histories", "journey-placed-formal.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
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
