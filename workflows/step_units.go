package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// audited says the journey keeps the rules of RevisionAudited (issue 13): results cover every
// unit of the scheme, and an LSP's refusal waits for a person.
func (j *journey) audited() bool { return j.in.Revision >= RevisionAudited }

// loadUnits reads the scheme's units of competence once, when the assessment starts; every
// result of the case is held to them. A scheme without units cannot be assessed: the case waits,
// stuck, for the coordinator to add them (registry, then kompeten migrate), checking again every
// agreement poll, rather than counting any result as complete.
func (j *journey) loadUnits(ctx workflow.Context) (bool, error) {
	as := &j.state.Assessment
	for {
		var out contract.SchemeUnits
		if err := contract.LoadSchemeUnits.Execute(storeCall(ctx), contract.SchemeQuery{CaseID: j.in.CaseID, Scheme: j.in.Scheme}).Get(ctx, &out); err != nil {
			return false, err
		}
		if out.Found {
			as.Units = out.Units
			if j.state.StuckCode == vocab.StuckSchemeUnitsMissing {
				j.clearStuck(ctx)
				j.setWaiting(ctx, "")
			}
			return false, nil
		}
		j.setWaiting(ctx, vocab.WaitingSchemeUnits)
		j.markStuck(ctx, vocab.StuckSchemeUnitsMissing, "scheme "+j.in.Scheme+" has no units of competence to assess: the coordinator adds them to the registry, then runs kompeten migrate",
			say("stuck.scheme-units-missing", "scheme", j.in.Scheme))
		if _, err := workflow.AwaitWithTimeout(ctx, j.in.Settings.AgreementPoll, func() bool { return j.withdrawal != nil }); err != nil {
			return false, err
		}
		if j.withdrawal != nil {
			return j.closeWithdrawn(ctx)
		}
	}
}
