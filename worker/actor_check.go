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

// ActorCheck is a worker interceptor that refuses every human step on a journey, and every
// change to an agreement (MoU or PKS: sign, amend, renew, terminate), whose actor claim was not
// signed by kompeten's API with the shared key (security.actor_key): an update sent straight to
// Temporal, around the API's role and scope checks, is rejected by the validator stage, and an
// unsigned partner-file signal is dropped.
//
// Why an interceptor and not the workflows' own validators: the key must not enter workflow
// code or history. The check is a pure function of the payload and the worker's key; a
// rejected update leaves no trace in history, and a signal is judged identically on every
// replay as long as the key is the same, so replay stays deterministic. Update validators are
// not run on replay at all (the SDK skips them), so agreements' histories written before their
// updates were signed replay unchanged.
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

// InterceptWorkflow wraps journeys and agreements, the workflows that take people's steps as
// updates; system workflows (escalations) take none.
//
// The other messages an agreement receives come from kompeten itself and pass unchecked: its
// start (the registry seed, a create, a successor started by its predecessor's renewal as a
// child workflow) and continue-as-new are no updates, reminders are timers and activities, and
// the one signal, mou-parent-changed, is sent by the TellPKS activity of its MoU's workflow.
func (a *ActorCheck) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	var subject func(workflowID string) (string, bool)
	switch workflow.GetInfo(ctx).WorkflowType.Name {
	case workflows.JourneyWorkflowName:
		subject = caseIDOf
	case workflows.MoUWorkflowName:
		subject = agreementOf
	default:
		return next
	}
	return &actorInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, check: a, subject: subject}
}

type actorInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	check *ActorCheck
	// subject derives what the API signed the claim for from the workflow ID.
	subject func(workflowID string) (string, bool)
}

// ValidateUpdate verifies the claim before the workflow's own validator runs.
func (i *actorInbound) ValidateUpdate(ctx workflow.Context, in *interceptor.UpdateInput) error {
	// Every journey and agreement update is a person's step with an actor; anything else is
	// refused too, so a new update cannot slip past the check by accident.
	var actor workflows.Actor
	ok := len(in.Args) == 1
	if ok {
		actor, ok = actorOf(in.Args[0])
	}
	if !ok {
		return fmt.Errorf("%s refused: no actor claim", in.Name)
	}
	if err := i.verify(ctx, in.Name, actor); err != nil {
		return err
	}
	return i.Next.ValidateUpdate(ctx, in)
}

// HandleSignal drops a journey's partner-file signal whose claim does not verify; nobody waits
// for a signal's answer, so the refusal goes to the worker log. Other signals (a journey's
// agreement-changed nudge, an agreement's mou-parent-changed) come from kompeten's own
// activities and pass.
func (i *actorInbound) HandleSignal(ctx workflow.Context, in *interceptor.HandleSignalInput) error {
	if in.SignalName == workflows.SignalKPJDelivered || in.SignalName == workflows.SignalAssessmentResult {
		var arg struct {
			Actor workflows.Actor `json:"actor"`
		}
		err := i.check.Converter.FromPayloads(in.Arg, &arg)
		if err == nil {
			err = i.verify(ctx, in.SignalName, arg.Actor)
		}
		if err != nil {
			workflow.GetLogger(ctx).Warn("signal refused", "signal", in.SignalName, "error", err)
			return nil
		}
	}
	return i.Next.HandleSignal(ctx, in)
}

func (i *actorInbound) verify(ctx workflow.Context, name string, actor workflows.Actor) error {
	wid := workflow.GetInfo(ctx).WorkflowExecution.ID
	subject, ok := i.subject(wid)
	if !ok {
		return fmt.Errorf("%s refused: workflow ID %q is not one kompeten's API signs for", name, wid)
	}
	if _, err := auth.Verify(i.check.Key, subject, name, actor.ID, actor.Role, actor.Signature); err != nil {
		return fmt.Errorf("%s refused: the actor claim of %q (%s) is not signed by kompeten's API; send people's steps through the API", name, actor.ID, actor.Role)
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

// agreementOf is the subject of an agreement's claims: its workflow ID ("mou/<number>"), as
// starter signs it.
func agreementOf(workflowID string) (string, bool) {
	number, ok := strings.CutPrefix(workflowID, workflows.MoUWorkflowID(""))
	if !ok || number == "" {
		return "", false
	}
	return workflowID, true
}

// actorOf finds the actor of a journey's or an agreement's update argument.
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
	case workflows.RefusalDecision:
		return v.Actor, true
	case workflows.NumberResolution:
		return v.Actor, true
	case workflows.SignRequest:
		return v.Actor, true
	case workflows.Amendment:
		return v.Actor, true
	case workflows.RenewRequest:
		return v.Actor, true
	case workflows.Termination:
		return v.Actor, true
	}
	return workflows.Actor{}, false
}
