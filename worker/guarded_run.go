package worker

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// trustedStart versions the start check: a run begun by a worker that checks starts records
// version 1 at its first task and is judged strictly from then on; a run recorded before has no
// marker, replays as DefaultVersion, and keeps the rules it ran with. The marker is written by
// the worker, not the sender, so nobody can start a run that claims to be old.
const trustedStart = "kompeten-trusted-start"

// ErrTypeNotStarted is the failure type of a workflow kompeten did not start.
const ErrTypeNotStarted = "NotStartedByKompeten"

// guardedRun is one run of a journey or an agreement under the check. Temporal runs a
// workflow's callbacks one at a time, so its fields need no locking.
type guardedRun struct {
	interceptor.WorkflowInboundInterceptorBase
	check *ActorCheck
	kind  string
	// judged is set once the start has been judged; signals that arrive before (in the first
	// workflow task) wait in early and are judged right after it, in order.
	judged bool
	early  []earlySignal
	// strict: this run began under the start check (trustedStart ≥ 1).
	strict bool
	// window is how old a claim may be (the workflow's settings), taken the claims it took.
	window time.Duration
	taken  *ledger
	// minted counts the claims this run signed (outbound.go), to derive their IDs.
	minted int
}

type earlySignal struct {
	ctx workflow.Context
	in  *interceptor.HandleSignalInput
}

// Init wraps the outbound side, where the run signs the starts it makes.
func (r *guardedRun) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	return r.Next.Init(&signingOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}, run: r})
}

// ExecuteWorkflow judges the start before the workflow runs a line of its own: a run kompeten did
// not start fails here, at its first task, having written nothing.
func (r *guardedRun) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	var arg any
	if len(in.Args) == 1 {
		arg = in.Args[0]
	}
	r.strict = startsStrict(ctx, arg)
	var configured time.Duration
	switch v := arg.(type) {
	case workflows.JourneyInput:
		configured = v.Settings.ClaimWindow
	case workflows.MoUInput:
		configured = v.Settings.ClaimWindow
		r.taken.claims = append(r.taken.claims, v.Taken...)
	}
	r.window = workflows.ClaimWindowOf(configured)
	if r.strict {
		if err := r.verifyStart(ctx, arg); err != nil {
			r.judged, r.early = true, nil
			workflow.GetLogger(ctx).Warn("workflow refused", "workflow_type", r.kind, "error", err)
			return nil, temporal.NewNonRetryableApplicationError("not started by kompeten: "+err.Error(), ErrTypeNotStarted, nil)
		}
	}
	r.judged = true
	for _, e := range r.early {
		if err := r.deliver(e.ctx, e.in); err != nil {
			return nil, err
		}
	}
	r.early = nil
	return r.Next.ExecuteWorkflow(ctx, in)
}

// verifyStart checks the claim on the start: kompeten's API or its workers, for this workflow
// and exactly this input, issued no longer than the window before the server started the run.
func (r *guardedRun) verifyStart(ctx workflow.Context, arg any) error {
	info := workflow.GetInfo(ctx)
	is, err := auth.VerifyArg(r.check.Key, info.WorkflowExecution.ID, auth.StartName(r.kind), arg)
	if err != nil {
		return fmt.Errorf("its input carries no claim kompeten signed for %s", info.WorkflowExecution.ID)
	}
	if is.Purpose != auth.PurposeAPI && is.Purpose != auth.PurposeWorker {
		return fmt.Errorf("a claim of purpose %q cannot start a workflow", is.Purpose)
	}
	if age := info.WorkflowStartTime.Sub(is.At); age > r.window {
		return fmt.Errorf("its claim was issued %s before the start, longer than the claim window (%s)", age.Round(time.Second), r.window)
	}
	return nil
}

// startsStrict says whether this run is judged strictly (trustedStart ≥ 1). A quiet journey
// (workflows.RevisionQuiet, which came long after the start check) is always judged strictly and
// records no marker for it: the marker's search attribute upsert is a visibility write the quiet
// journey is there to save. This gives nobody a way around the check: an input that says it is
// quiet is judged strictly, and any other still gets the marker from the worker.
func startsStrict(ctx workflow.Context, arg any) bool {
	if in, ok := arg.(workflows.JourneyInput); ok && in.Quiet() {
		return true
	}
	return workflow.GetVersion(ctx, trustedStart, workflow.DefaultVersion, 1) >= 1
}
