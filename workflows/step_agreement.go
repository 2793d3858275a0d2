package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities"
)

// awaitAgreement finds the active agreement that lets the centre use a partner (for an LSP: for
// the package's scheme). With none, the case waits, flagged with the missing agreement, and
// checks again periodically, so it continues by itself once an agreement becomes active.
func (j *journey) awaitAgreement(ctx workflow.Context, partnerCode, scheme string) (number string, closed bool, err error) {
	var a *activities.Activities
	for {
		var res activities.AgreementResult
		err := workflow.ExecuteActivity(storeCall(ctx), a.FindAgreement, activities.AgreementQuery{
			PartnerCode: partnerCode, CentreCode: j.in.CentreCode, Scheme: scheme, On: workflow.Now(ctx),
		}).Get(ctx, &res)
		if err != nil {
			return "", false, err
		}
		if res.Found {
			if j.state.StuckCode == "no-agreement" {
				j.clearStuck(ctx)
				j.setWaiting(ctx, "")
			}
			return res.Number, false, nil
		}
		reason := "no active MoU with " + partnerCode + " for centre " + j.in.CentreCode
		if scheme != "" {
			reason += " and scheme " + scheme
		}
		j.setWaiting(ctx, WaitingAgreement)
		j.markStuck(ctx, "no-agreement", reason)
		if _, err := workflow.AwaitWithTimeout(ctx, j.in.Settings.AgreementPoll, func() bool { return j.withdrawal != nil }); err != nil {
			return "", false, err
		}
		if j.withdrawal != nil {
			closed, err := j.closeWithdrawn(ctx)
			return "", closed, err
		}
	}
}
