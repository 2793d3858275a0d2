package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// recordEnv, when set, makes the integration tests write the histories of chosen workflows into
// workflows/testdata/histories, where the replay test reads them. Run it after a deliberate,
// versioned workflow change:  KOMPETEN_RECORD_HISTORIES=1 go test ./integration/
const recordEnv = "KOMPETEN_RECORD_HISTORIES"

func recording() bool { return os.Getenv(recordEnv) != "" }

func historyDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "workflows", "testdata", "histories")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// recordHistories writes the journeys of chosen cases (file name → case ID).
func recordHistories(t *testing.T, sys *system, cases map[string]string) {
	t.Helper()
	if !recording() {
		return
	}
	ids := map[string]string{}
	for name, caseID := range cases {
		c, err := sys.store.GetCase(context.Background(), caseID)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = c.WorkflowID
	}
	recordWorkflows(t, sys, ids)
}

// recordWorkflows writes the current (or last) run of chosen workflows (file name → workflow ID).
func recordWorkflows(t *testing.T, sys *system, workflowIDs map[string]string) {
	t.Helper()
	if !recording() {
		return
	}
	dir := historyDir(t)
	for name, id := range workflowIDs {
		writeHistory(t, sys, id, "", filepath.Join(dir, name+".json"))
	}
}

// recordRuns writes every run of a workflow that continued as new, from its first run on, as
// <name>-run1.json, <name>-run2.json, …: the replay test then covers each side of the boundary.
func recordRuns(t *testing.T, sys *system, name, workflowID, firstRunID string) {
	t.Helper()
	if !recording() {
		return
	}
	dir := historyDir(t)
	for n, runID := 1, firstRunID; runID != ""; n++ {
		h := writeHistory(t, sys, workflowID, runID, filepath.Join(dir, fmt.Sprintf("%s-run%d.json", name, n)))
		runID = ""
		if last := h.Events[len(h.Events)-1]; last.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW {
			runID = last.GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId()
		}
	}
}

func writeHistory(t *testing.T, sys *system, workflowID, runID, path string) *historypb.History {
	t.Helper()
	it := sys.tc.GetWorkflowHistory(context.Background(), workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	if len(h.Events) == 0 {
		t.Fatalf("no history for workflow %s run %q", workflowID, runID)
	}
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d events in %s", len(h.Events), path)
	return h
}
