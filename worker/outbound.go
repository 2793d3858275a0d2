package worker

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// signingOutbound signs the starts an agreement makes itself — its renewal's successor (a child
// workflow) and its own next run (continue-as-new) — with the worker's claim, so they pass the
// start check like the API's. The next run also gets the claims this one took within the window.
// On replay the SDK builds these commands again but does not compare their input, so the claim
// (issued at workflow time, with an ID derived from the run) changes nothing there.
type signingOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
	run *guardedRun
}

// ExecuteChildWorkflow signs the input of an agreement started as a child (a successor).
func (o *signingOutbound) ExecuteChildWorkflow(ctx workflow.Context, childWorkflowType string, args ...any) workflow.ChildWorkflowFuture {
	if childWorkflowType == workflows.MoUWorkflowName && len(args) == 1 {
		wid := workflow.GetChildWorkflowOptions(ctx).WorkflowID
		if signed, err := o.run.mint(ctx, wid, auth.StartName(childWorkflowType), args[0]); err == nil {
			args = []any{signed}
		} else {
			workflow.GetLogger(ctx).Error("could not sign the start of a successor", "workflow_id", wid, "error", err)
		}
	}
	return o.Next.ExecuteChildWorkflow(ctx, childWorkflowType, args...)
}

// NewContinueAsNewError signs the input of an agreement's next run and hands it the claims taken.
func (o *signingOutbound) NewContinueAsNewError(ctx workflow.Context, wfn any, args ...any) error {
	if name, _ := wfn.(string); name == workflows.MoUWorkflowName && len(args) == 1 {
		if in, ok := args[0].(workflows.MoUInput); ok {
			in.Taken = o.run.taken.list(workflow.Now(ctx), o.run.window)
			wid := workflow.GetInfo(ctx).WorkflowExecution.ID
			if signed, err := o.run.mint(ctx, wid, auth.StartName(name), in); err == nil {
				args = []any{signed}
			} else {
				workflow.GetLogger(ctx).Error("could not sign the next run", "workflow_id", wid, "error", err)
			}
		}
	}
	return o.Next.NewContinueAsNewError(ctx, wfn, args...)
}

// mint signs arg for workflowID with the worker's claim, issued at workflow time, with an ID
// derived from this run and the number of claims it signed: unique, and the same on replay.
func (r *guardedRun) mint(ctx workflow.Context, workflowID, name string, arg any) (any, error) {
	r.minted++
	sum := sha256.Sum256([]byte(workflow.GetInfo(ctx).WorkflowExecution.RunID + "/" + strconv.Itoa(r.minted)))
	id := base64.RawURLEncoding.EncodeToString(sum[:16])
	return auth.SignArg(r.check.Key, auth.PurposeWorker, workflowID, name, arg, workflow.Now(ctx), id)
}
