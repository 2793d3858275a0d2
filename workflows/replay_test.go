package workflows_test

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// TestReplayRecordedHistories replays journeys recorded from real runs (the integration test
// writes them with KOMPETEN_RECORD_HISTORIES=1). A change to the workflow that would break
// cases already running in production fails here with a non-determinism error: version such a
// change with workflow.GetVersion instead of editing the recorded files.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recorded histories in testdata/histories")
	}
	// Histories recorded since payload encryption are sealed with the test-only keys the
	// integration tests use; older ones are plain JSON and pass through the codec unchanged.
	dc := testDataConverter(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
				DataConverter: dc, FailureConverter: codec.FailureConverter(dc),
			})
			if err != nil {
				t.Fatal(err)
			}
			r.RegisterWorkflowWithOptions(workflows.Journey, workflow.RegisterOptions{Name: workflows.JourneyWorkflowName})
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
