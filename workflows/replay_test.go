package workflows_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/worker"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// TestReplayRecordedHistories replays histories recorded from real runs of every workflow type
// (the integration tests write them with KOMPETEN_RECORD_HISTORIES=1) on the workflows the worker
// registers, as it registers them. A change to a workflow that would break runs already going in
// production fails here with a non-determinism error: version such a change (GetVersion, or the
// journey's Revision) instead of editing the recorded files.
func TestReplayRecordedHistories(t *testing.T) {
	files := historyFiles(t)
	// Histories recorded since payload encryption are sealed with the test-only keys the
	// integration tests use; older ones are plain JSON and pass through the codec unchanged.
	dc := testDataConverter(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			// The worker's check of kompeten's claims runs on replay as in the worker: it judges
			// every signal again, and versions its checks. Claims are signed for the workflow ID,
			// so the history replays under its own.
			refusals := &startRefusals{}
			r, err := sdkworker.NewWorkflowReplayerWithOptions(sdkworker.WorkflowReplayerOptions{
				DataConverter: dc, FailureConverter: codec.FailureConverter(dc),
				Interceptors: []interceptor.WorkerInterceptor{refusals, worker.NewActorCheck(testActorKey(t), dc)},
			})
			if err != nil {
				t.Fatal(err)
			}
			registerLikeTheWorker(&replayRegistry{replayer: r})
			h := readHistory(t, f)
			exec := workflow.Execution{ID: originalWorkflowID(t, dc, h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes())}
			if err := r.ReplayWorkflowHistoryWithOptions(nil, h, sdkworker.ReplayWorkflowHistoryOptions{OriginalExecution: exec}); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
			// A start refused in truth (an adversary's) ended failed; any other must run.
			failed := h.GetEvents()[len(h.GetEvents())-1].GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED
			if refusals.err != nil && !failed {
				t.Fatalf("replay %s: the start was refused: %v", f, refusals.err)
			}
		})
	}
}

// startRefusals records a workflow refused at its start during replay: the replayer's check of
// commands stops at a workflow that ends, so a start refused on replay that ran in truth must
// be caught here.
type startRefusals struct {
	interceptor.WorkerInterceptorBase
	err error
}

func (s *startRefusals) InterceptWorkflow(_ workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &startRefusal{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, s: s}
}

type startRefusal struct {
	interceptor.WorkflowInboundInterceptorBase
	s *startRefusals
}

func (r *startRefusal) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	res, err := r.Next.ExecuteWorkflow(ctx, in)
	var app *temporal.ApplicationError
	if errors.As(err, &app) && app.Type() == worker.ErrTypeNotStarted {
		r.s.err = err
	}
	return res, err
}

// readHistory reads a recorded history.
func readHistory(t *testing.T, path string) *historypb.History {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return h
}

// originalWorkflowID is the workflow ID a recorded history ran under, from its start's input
// (kompeten derives its workflow IDs from what the workflow is about).
func originalWorkflowID(t *testing.T, dc converter.DataConverter, start *historypb.WorkflowExecutionStartedEventAttributes) string {
	t.Helper()
	switch start.GetWorkflowType().GetName() {
	case workflows.JourneyWorkflowName:
		var in workflows.JourneyInput
		if err := dc.FromPayloads(start.GetInput(), &in); err != nil {
			t.Fatal(err)
		}
		return workflows.WorkflowIDFor(in.PackageCode, in.NIKHash)
	case workflows.MoUWorkflowName:
		var in workflows.MoUInput
		if err := dc.FromPayloads(start.GetInput(), &in); err != nil {
			t.Fatal(err)
		}
		return workflows.MoUWorkflowID(in.State.Number)
	}
	return "replay/" + start.GetWorkflowType().GetName()
}

// TestEveryWorkflowTypeHasARecordedHistory fails when the worker registers a workflow type that
// no recorded history covers: the replay test would not protect its running executions. Record
// one (integration/record_test.go) when adding a workflow type.
func TestEveryWorkflowTypeHasARecordedHistory(t *testing.T) {
	reg := &replayRegistry{}
	registerLikeTheWorker(reg)
	if len(reg.workflows) < 4 {
		t.Fatalf("the worker registers %v: fewer workflow types than kompeten has", reg.workflows)
	}
	recorded := map[string][]string{}
	for _, f := range historyFiles(t) {
		typ := historyType(t, f)
		recorded[typ] = append(recorded[typ], filepath.Base(f))
	}
	for _, name := range reg.workflows {
		if len(recorded[name]) == 0 {
			t.Errorf("workflow type %s is registered but has no recorded history in testdata/histories", name)
		}
	}
	for typ, fs := range recorded {
		if !slices.Contains(reg.workflows, typ) {
			t.Errorf("%v record workflow type %s, which the worker no longer registers", fs, typ)
		}
	}
}

func historyFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recorded histories in testdata/histories")
	}
	return files
}

// TestEveryJourneyRevisionHasARecordedHistory fails when a journey revision (JourneyInput.Revision)
// has no recorded history: each revision takes its own path through the journey's code, and
// cases of every revision may still be running.
func TestEveryJourneyRevisionHasARecordedHistory(t *testing.T) {
	dc := testDataConverter(t)
	recorded := map[int][]string{}
	for _, f := range historyFiles(t) {
		start := startOf(t, f)
		if start.GetWorkflowType().GetName() != workflows.JourneyWorkflowName {
			continue
		}
		var in workflows.JourneyInput
		if err := dc.FromPayloads(start.GetInput(), &in); err != nil {
			t.Fatalf("%s: journey input: %v", f, err)
		}
		recorded[in.Revision] = append(recorded[in.Revision], filepath.Base(f))
	}
	for rev := 0; rev <= workflows.CurrentRevision; rev++ {
		if len(recorded[rev]) == 0 {
			t.Errorf("journey revision %d has no recorded history (recorded: %v)", rev, recorded)
		}
	}
}

// historyType is the workflow type a recorded history ran.
func historyType(t *testing.T, path string) string {
	t.Helper()
	return startOf(t, path).GetWorkflowType().GetName()
}

// startOf is the start of the workflow execution a recorded history begins with.
func startOf(t *testing.T, path string) *historypb.WorkflowExecutionStartedEventAttributes {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{LastEventID: 1})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	start := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes()
	if start.GetWorkflowType().GetName() == "" {
		t.Fatalf("%s does not start with a workflow execution", path)
	}
	return start
}

// registerLikeTheWorker registers what `kompeten worker` and `kompeten dev` register; the
// activities are not needed to replay (their results are in the history).
func registerLikeTheWorker(r sdkworker.Registry) {
	worker.Register(r, nil)
	worker.RegisterOps(r, nil)
}

// replayRegistry passes workflow registrations on to a replayer (when it has one) and keeps
// their names; activity registrations are dropped. The worker registers nothing else: the
// embedded Registry is nil and would panic if it did.
type replayRegistry struct {
	sdkworker.Registry
	replayer  sdkworker.WorkflowRegistry
	workflows []string
}

func (r *replayRegistry) RegisterWorkflow(any) {
	panic("the worker registers every workflow type by name (RegisterWorkflowWithOptions)")
}

func (r *replayRegistry) RegisterWorkflowWithOptions(w any, o workflow.RegisterOptions) {
	r.workflows = append(r.workflows, o.Name)
	if r.replayer != nil {
		r.replayer.RegisterWorkflowWithOptions(w, o)
	}
}

func (r *replayRegistry) RegisterActivity(any) {}
