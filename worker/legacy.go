package worker

import (
	"strings"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// judgeLegacy decides a sealed signal the current rules refuse, on a run that began before them
// (trustedStart is DefaultVersion). The old rules took kompeten's own signals unsigned and
// partner-file signals with a v1 claim (auth.LegacyClaim); histories recorded then must replay
// as they ran, and their runs (an agreement lasts years) go on taking such messages from a
// sender that holds the payload keys. A plain payload is refused in every run (judgeSignal):
// every message of this kind kompeten ever sent was sealed, since these signals came after
// payload encryption.
func (r *guardedRun) judgeLegacy(ctx workflow.Context, in *interceptor.HandleSignalInput, refused error) error {
	if r.oldRulesTake(ctx, in) {
		return nil
	}
	return refused
}

// oldRulesTake is the check before claims v2: a partner-file signal with the API's v1 claim over
// case, signal, actor and role; kompeten's own signals without any.
func (r *guardedRun) oldRulesTake(ctx workflow.Context, in *interceptor.HandleSignalInput) bool {
	if in.SignalName != workflows.SignalKPJDelivered && in.SignalName != workflows.SignalAssessmentResult {
		return true
	}
	var arg struct {
		Actor workflows.Actor `json:"actor"`
	}
	if err := r.check.Converter.FromPayloads(in.Arg, &arg); err != nil {
		return false
	}
	caseID, ok := caseIDOf(workflow.GetInfo(ctx).WorkflowExecution.ID)
	if !ok {
		return false
	}
	_, err := auth.VerifyLegacy(r.check.Key, caseID, in.SignalName, arg.Actor.ID, arg.Actor.Role, arg.Actor.Signature)
	return err == nil
}

// caseIDOf recomputes the short case ID a v1 claim was signed for from the journey's workflow
// ID, "journey/<package>/<nik hash>".
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
