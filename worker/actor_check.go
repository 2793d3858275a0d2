package worker

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// ActorCheck is a worker interceptor that refuses every human step on a journey whose actor
// claim was not signed by kompeten's API with the shared key (security.actor_key): an update
// sent straight to Temporal, around the API's role and scope checks, is rejected by the
// validator stage, and an unsigned partner-file signal is dropped.
//
// Why an interceptor and not the journey's own validators: the key must not enter workflow
// code or history. The check is a pure function of the payload and the worker's key; a
// rejected update leaves no trace in history, and a signal is judged identically on every
// replay as long as the key is the same, so replay stays deterministic.
type ActorCheck struct {
	interceptor.WorkerInterceptorBase
	// Key is security.actor_key; the API signs with the same key.
	Key []byte
	// Converter decodes signal payloads (encrypted: the client's data converter).
	Converter converter.DataConverter
}

// NewActorCheck returns the interceptor for key; dc decodes signal arguments.
func NewActorCheck(key []byte, dc converter.DataConverter) *ActorCheck {
	return &ActorCheck{Key: key, Converter: dc}
}

// InterceptWorkflow wraps journeys only: agreements and system workflows take no human steps
// through this path.
func (a *ActorCheck) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	if workflow.GetInfo(ctx).WorkflowType.Name != workflows.JourneyWorkflowName {
		return next
	}
	return &actorInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, check: a}
}

type actorInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	check *ActorCheck
}

// ValidateUpdate verifies the claim before the journey's own validator runs.
func (i *actorInbound) ValidateUpdate(ctx workflow.Context, in *interceptor.UpdateInput) error {
	// Every journey update is a human step with an actor; anything else is refused too, so a
	// new update cannot slip past the check by accident.
	var actor workflows.Actor
	ok := len(in.Args) == 1
	if ok {
		actor, ok = actorOf(in.Args[0])
	}
	if !ok {
		return fmt.Errorf("%s refused: no actor claim", in.Name)
	}
	if err := i.check.verify(ctx, in.Name, actor); err != nil {
		return err
	}
	return i.Next.ValidateUpdate(ctx, in)
}

// HandleSignal drops a partner-file signal whose claim does not verify; nobody waits for a
// signal's answer, so the refusal goes to the worker log.
func (i *actorInbound) HandleSignal(ctx workflow.Context, in *interceptor.HandleSignalInput) error {
	if in.SignalName == workflows.SignalKPJDelivered || in.SignalName == workflows.SignalAssessmentResult {
		var arg struct {
			Actor workflows.Actor `json:"actor"`
		}
		err := i.check.Converter.FromPayloads(in.Arg, &arg)
		if err == nil {
			err = i.check.verify(ctx, in.SignalName, arg.Actor)
		}
		if err != nil {
			workflow.GetLogger(ctx).Warn("signal refused", "signal", in.SignalName, "error", err)
			return nil
		}
	}
	return i.Next.HandleSignal(ctx, in)
}

func (a *ActorCheck) verify(ctx workflow.Context, name string, actor workflows.Actor) error {
	caseID, ok := caseIDOf(workflow.GetInfo(ctx).WorkflowExecution.ID)
	if !ok {
		return fmt.Errorf("%s refused: not a journey workflow ID", name)
	}
	if _, err := auth.Verify(a.Key, caseID, name, actor.ID, actor.Role, actor.Signature); err != nil {
		return fmt.Errorf("%s refused: the actor claim of %q (%s) is not signed by kompeten's API; send human steps through the API", name, actor.ID, actor.Role)
	}
	return nil
}

// caseIDOf recomputes the short case ID from "journey/<package>/<nik hash>".
func caseIDOf(workflowID string) (string, bool) {
	rest, ok := strings.CutPrefix(workflowID, "journey/")
	if !ok {
		return "", false
	}
	pkg, hash, ok := strings.Cut(rest, "/")
	if !ok {
		return "", false
	}
	return workflows.CaseIDFor(pkg, hash), true
}

// actorOf finds the actor of a journey update's argument.
func actorOf(arg any) (workflows.Actor, bool) {
	switch v := arg.(type) {
	case workflows.EnrolmentDecision:
		return v.Actor, true
	case workflows.Correction:
		return v.Actor, true
	case workflows.Attendance:
		return v.Actor, true
	case workflows.Withdrawal:
		return v.Actor, true
	case workflows.AssessmentResult:
		return v.Actor, true
	case workflows.CertificationDecision:
		return v.Actor, true
	case workflows.PlacementReport:
		return v.Actor, true
	}
	return workflows.Actor{}, false
}
