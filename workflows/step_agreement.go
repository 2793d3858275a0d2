package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// agreementRecheck versions the immediate second check after a case is first marked as
// waiting for an agreement (journeys started before it never make that check).
const agreementRecheck = "agreement-recheck"

// awaitAgreement finds the active agreement that lets the centre use a partner (for an LSP: for
// the package's scheme). With none, the case waits, flagged with the missing agreement. It
// checks again as soon as an agreement workflow tells it one became active (the
// SignalAgreementChanged signal), and every AgreementPoll as a safety net, so it continues by
// itself once an agreement becomes active.
func (j *journey) awaitAgreement(ctx workflow.Context, partnerCode, scheme string) (number string, closed bool, err error) {
	rechecked := false
	for {
		// A nudge arriving from here on, even during the check, makes the wait below end at once.
		seen := j.agreementNudges
		var res contract.AgreementResult
		err := contract.FindAgreement.Execute(storeCall(ctx), contract.AgreementQuery{
			PartnerCode: partnerCode, CentreCode: j.in.CentreCode, Scheme: scheme, On: workflow.Now(ctx),
		}).Get(ctx, &res)
		if err != nil {
			return "", false, err
		}
		if res.Found {
			if j.state.StuckCode == vocab.StuckNoAgreement {
				j.clearStuck(ctx)
				j.setWaiting(ctx, "")
			}
			return res.Number, false, nil
		}
		reason := "no active MoU with " + partnerCode + " for centre " + j.in.CentreCode
		if scheme != "" {
			reason += " and scheme " + scheme
		}
		j.setWaiting(ctx, vocab.WaitingAgreement)
		j.markStuck(ctx, vocab.StuckNoAgreement, reason, say("stuck.no-agreement", "partner", partnerCode, "centre", j.in.CentreCode, "scheme", scheme))
		if !rechecked {
			rechecked = true
			// Agreement workflows find the journeys to tell in the read model, which says this
			// case waits only from now on: an agreement made active since the check above told
			// nobody, so check once more.
			if j.since(ctx, agreementRecheck) >= 1 {
				continue
			}
		}
		if _, err := workflow.AwaitWithTimeout(ctx, j.in.Settings.AgreementPoll, func() bool {
			return j.withdrawal != nil || j.agreementNudges > seen
		}); err != nil {
			return "", false, err
		}
		if j.withdrawal != nil {
			closed, err := j.closeWithdrawn(ctx)
			return "", closed, err
		}
	}
}
