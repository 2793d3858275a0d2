package worker

import (
	"fmt"
	"reflect"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// signals are the signals each workflow type takes, with the type of their argument and who
// vouches for them: the API (a partner file brought in by a person) or kompeten's workers. A
// seat notice comes from either: a worker when a case freed its seat, the API when a coordinator
// raised the capacity.
var signals = map[string]map[string]struct {
	arg     reflect.Type
	purpose string
	also    string // a second purpose that may sign it ("" for none)
}{
	workflows.JourneyWorkflowName: {
		workflows.SignalKPJDelivered:     {reflect.TypeFor[workflows.KPJDelivery](), auth.PurposeAPI, ""},
		workflows.SignalAssessmentResult: {reflect.TypeFor[workflows.AssessmentResult](), auth.PurposeAPI, ""},
		workflows.SignalAgreementChanged: {reflect.TypeFor[workflows.AgreementNotice](), auth.PurposeWorker, ""},
		workflows.SignalSeatGranted:      {reflect.TypeFor[workflows.SeatGranted](), auth.PurposeWorker, auth.PurposeAPI},
	},
	workflows.MoUWorkflowName: {
		workflows.SignalMoUParentChanged: {reflect.TypeFor[workflows.ParentChange](), auth.PurposeWorker, ""},
	},
}

// ValidateUpdate verifies the claim on a person's step before the workflow's own validator runs.
// Validators do not run on replay, so the step is judged once, now.
func (r *guardedRun) ValidateUpdate(ctx workflow.Context, in *interceptor.UpdateInput) error {
	if err := r.judgeUpdate(ctx, in); err != nil {
		// Coded like the workflows' own refusals, so the API and the pages word it (issue 15).
		return updateRefusal(err)
	}
	return r.Next.ValidateUpdate(ctx, in)
}

// judgeUpdate is the actor check of a person's step: one argument, carrying a claim the API
// signed for this workflow, this update and this argument, fresh and not taken before.
func (r *guardedRun) judgeUpdate(ctx workflow.Context, in *interceptor.UpdateInput) error {
	if len(in.Args) != 1 {
		return refuseClaim("refusal.claim-missing", fmt.Sprintf("%s refused: no actor claim", in.Name))
	}
	wid := workflow.GetInfo(ctx).WorkflowExecution.ID
	is, err := auth.VerifyArg(r.check.Key, wid, in.Name, in.Args[0])
	if err != nil || is.Purpose != auth.PurposeAPI {
		c, _ := auth.ClaimIn(in.Args[0])
		return refuseClaim("refusal.claim-unsigned", fmt.Sprintf("%s refused: the claim on this step of %q (%s) is not signed by kompeten's API for this case and this argument; send people's steps through the API",
			in.Name, c.ActorID, c.Role), "actor", c.ActorID, "role", string(c.Role))
	}
	return r.fresh(ctx, in.Name, is)
}

// ExecuteUpdate records the claim of an accepted step. It runs again on replay, so the claims a
// run has taken are rebuilt with it.
func (r *guardedRun) ExecuteUpdate(ctx workflow.Context, in *interceptor.UpdateInput) (any, error) {
	if len(in.Args) == 1 {
		if c, ok := auth.ClaimIn(in.Args[0]); ok {
			if is, err := auth.ParseClaim(c.Signature); err == nil {
				r.taken.take(is.ID, is.At, workflow.Now(ctx), r.window)
			}
		}
	}
	return r.Next.ExecuteUpdate(ctx, in)
}

// fresh refuses a claim older than the window and one the run has taken already.
func (r *guardedRun) fresh(ctx workflow.Context, name string, is auth.Issued) error {
	if age := workflow.Now(ctx).Sub(is.At); age > r.window {
		return refuseClaim("refusal.claim-expired", fmt.Sprintf("%s refused: its claim was issued %s ago, longer than the claim window (%s); send it again through the API", name, age.Round(time.Second), r.window),
			"age", age.Round(time.Second).String(), "window", r.window.String())
	}
	if r.taken.has(is.ID) {
		return refuseClaim("refusal.claim-taken", fmt.Sprintf("%s refused: its claim was taken already; a claim is good for one message", name))
	}
	return nil
}

// HandleSignal judges a signal and passes on only what kompeten sent. A signal that arrives
// before the start is judged (in the first workflow task) waits for it.
func (r *guardedRun) HandleSignal(ctx workflow.Context, in *interceptor.HandleSignalInput) error {
	if !r.judged {
		r.early = append(r.early, earlySignal{ctx: ctx, in: in})
		return nil
	}
	return r.deliver(ctx, in)
}

// deliver passes a signal on when it is kompeten's; a refused one goes to the worker log.
func (r *guardedRun) deliver(ctx workflow.Context, in *interceptor.HandleSignalInput) error {
	if err := r.judgeSignal(ctx, in); err != nil {
		workflow.GetLogger(ctx).Warn("signal refused", "signal", in.SignalName, "error", err)
		return nil
	}
	return r.Next.HandleSignal(ctx, in)
}

// judgeSignal is the decision on one signal. It runs again on every replay and depends only on
// the payload, the key and the run's history (its start, the claims taken, the workflow time,
// which at a signal is the start of the last workflow task before it arrived), so it decides
// the same way each time.
func (r *guardedRun) judgeSignal(ctx workflow.Context, in *interceptor.HandleSignalInput) error {
	spec, known := signals[r.kind][in.SignalName]
	if !known {
		if r.strict {
			return fmt.Errorf("%s is not a signal kompeten sends a %s", in.SignalName, r.kind)
		}
		return nil
	}
	if !sealed(in.Arg) {
		return fmt.Errorf("%s refused: not sealed with kompeten's payload keys", in.SignalName)
	}
	err := r.verifySignal(ctx, in, spec.arg, spec.purpose, spec.also)
	if err == nil || r.strict {
		return err
	}
	return r.judgeLegacy(ctx, in, err)
}

// verifySignal is the check of the current rules on a sealed signal: signed for this workflow
// and this argument by whom this signal comes from, fresh, and not taken before (then it is
// taken).
func (r *guardedRun) verifySignal(ctx workflow.Context, in *interceptor.HandleSignalInput, typ reflect.Type, purpose, also string) error {
	arg := reflect.New(typ)
	if err := r.check.Converter.FromPayloads(in.Arg, arg.Interface()); err != nil {
		return fmt.Errorf("%s refused: %w", in.SignalName, err)
	}
	wid := workflow.GetInfo(ctx).WorkflowExecution.ID
	is, err := auth.VerifyArg(r.check.Key, wid, in.SignalName, arg.Elem().Interface())
	if err != nil || (is.Purpose != purpose && (also == "" || is.Purpose != also)) {
		return fmt.Errorf("%s refused: not signed by kompeten (%s) for this workflow and this argument", in.SignalName, purpose)
	}
	if err := r.fresh(ctx, in.SignalName, is); err != nil {
		return err
	}
	r.taken.take(is.ID, is.At, workflow.Now(ctx), r.window)
	return nil
}

// sealed reports whether every payload was encrypted with one of kompeten's keys (the codec
// opens only those; a payload claiming the encoding without a key fails to decode).
func sealed(p *commonpb.Payloads) bool {
	if len(p.GetPayloads()) == 0 {
		return false
	}
	for _, x := range p.GetPayloads() {
		if !codec.IsEncrypted(x) {
			return false
		}
	}
	return true
}
