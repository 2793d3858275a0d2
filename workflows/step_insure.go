package workflows

import (
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// insure registers JKK + JKM coverage from the first training day to the last (plus a tail),
// through the BPJS API or the batch exchange, retrying transient failures and waiting for a
// corrected record after a data error. Coverage not active by the start date flags the case.
func (j *journey) insure(ctx workflow.Context) (bool, error) {
	j.enterStage(ctx, vocab.StageInsurance, "registering insurance (JKK + JKM)", say("event.stage.insurance"))
	ins := &j.state.Insurance
	ins.CoverageStart = j.in.Start
	ins.CoverageEnd = j.in.End.AddDate(0, 0, j.in.Settings.InsuranceTailDays)

	number, closed, err := j.awaitAgreement(ctx, j.in.InsurerCode, "")
	if err != nil || closed {
		return closed, err
	}
	ins.Agreement = number

	sla := j.in.Settings.SLA.Insurance
	waits := func() []deadline {
		ds := []deadline{{sla, vocab.StuckPartnerFailing, "waiting on BPJS Ketenagakerjaan for more than " + humanDuration(sla),
			say("stuck.partner-failing.bpjs", "sla", sla.String())}}
		if d := until(ctx, j.in.Start); d > 0 {
			ds = append(ds, deadline{d, vocab.StuckInsuranceNotActive, "insurance not active by the first training day", say("stuck.insurance-not-active")})
		} else {
			ds = append(ds, deadline{0, vocab.StuckInsuranceNotActive, "insurance not active by the first training day", say("stuck.insurance-not-active")})
		}
		return ds
	}
	for {
		input := contract.InsuranceInput{
			CaseID: j.in.CaseID, WorkflowID: workflowIDOf(j.in), NIKHash: j.in.NIKHash, CentreCode: j.in.CentreCode,
			IdempotencyKey: j.bpjsKey(),
			CoverageStart:  ins.CoverageStart, CoverageEnd: ins.CoverageEnd,
		}
		if j.in.Settings.InsuranceAdapter == "batch" {
			if err := contract.QueueBatchRegistration.Execute(storeCall(ctx), input).Get(ctx, nil); err != nil {
				return false, err
			}
			ins.Queued = true
			j.commit(ctx, ev("insurance-queued", "registration queued for the BPJS batch exchange").say("event.insurance-queued"))
			waitingOn, ds := vocab.WaitingBPJS, waits()
			if j.in.Revision >= RevisionAudited {
				// Nothing is calling BPJS: the case waits for the file the BPJS liaison exchanges
				// with the branch office, and says so (before, it read "partner failing: retry
				// the call", and a retry found nothing to retry).
				waitingOn, ds[0] = vocab.WaitingBatchFile, deadline{sla, vocab.StuckBatchFileOverdue,
					"waiting for the BPJS batch file for more than " + humanDuration(sla) + ": the BPJS liaison should " + BatchFileAction,
					say("stuck.batch-file-overdue", "sla", sla.String())}
			}
			if err := j.await(ctx, waitingOn, func() bool { return j.kpj != "" || j.withdrawal != nil }, ds...); err != nil {
				return false, err
			}
			if j.withdrawal != nil {
				return j.closeWithdrawn(ctx)
			}
			if ok, again, closed, err := j.takeKPJ(ctx, j.kpj); !ok {
				if again {
					continue
				}
				return closed, err
			}
			break
		}
		var cov partners.Coverage
		f := contract.RegisterInsurance.Execute(j.partnerCall(ctx), input)
		err := j.awaitFuture(ctx, f, vocab.WaitingBPJS, &cov, waits()...)
		if err == nil {
			if ok, again, closed, err := j.takeKPJ(ctx, cov.KPJ); !ok {
				if again {
					continue
				}
				return closed, err
			}
			break
		}
		var appErr *temporal.ApplicationError
		if !asApplicationError(err, &appErr) || appErr.Type() != contract.ErrTypeData {
			return false, err
		}
		ins.DataError = appErr.Message()
		j.corrected = false
		j.commit(ctx, ev("insurance-data-error", "BPJS refused the data: "+ins.DataError+"; waiting for a corrected record").say("event.insurance-data-error", "message", ins.DataError))
		csla := j.in.Settings.SLA.Correction
		if err := j.await(ctx, vocab.WaitingCorrection, func() bool { return j.corrected || j.withdrawal != nil },
			deadline{csla, vocab.StuckCorrectionOverdue, "BPJS refused the participant's data " + humanDuration(csla) + " ago and no correction was made: " + ins.DataError,
				say("stuck.correction-overdue", "sla", csla.String(), "message", ins.DataError)}); err != nil {
			return false, err
		}
		if j.withdrawal != nil {
			return j.closeWithdrawn(ctx)
		}
		ins.Corrections++
		ins.DataError = ""
	}
	ins.Queued = false
	ins.LateForStart = workflow.Now(ctx).After(j.in.Start)
	detail := "insured, KPJ " + ins.KPJ
	if ins.LateForStart {
		detail += " (after the first training day)"
	}
	code := "event.insured"
	if ins.LateForStart {
		code = "event.insured.late"
	}
	j.commit(ctx, ev("insured", detail).say(code, "kpj", ins.KPJ))
	if j.withdrawal != nil {
		return j.closeWithdrawn(ctx)
	}
	j.tell(ctx, contract.MessageInput{Milestone: string(messaging.MilestoneInsurance), KPJ: ins.KPJ})
	return false, nil
}

// takeKPJ makes kpj the case's KPJ (ok), once it is claimed for the case's person
// (RevisionAudited; claimKPJ). Otherwise again asks for a registration under a new key, or the
// case closed or failed.
func (j *journey) takeKPJ(ctx workflow.Context, kpj string) (ok, again, closed bool, err error) {
	if j.audited() {
		if kpj, again, closed, err = j.claimKPJ(ctx, kpj); again || closed || err != nil {
			return false, again, closed, err
		}
	}
	j.state.Insurance.KPJ = kpj
	return true, false, false, nil
}

// closeWithdrawn ends a case on a withdrawal: before training it is "withdrawn", from the first
// training day on a "dropped-out"; coverage already registered ends on the withdrawal day.
func (j *journey) closeWithdrawn(ctx workflow.Context) (bool, error) {
	now := workflow.Now(ctx)
	ins := &j.state.Insurance
	if ins.KPJ != "" && ins.EndedEarly == nil && now.Before(ins.CoverageEnd) {
		err := contract.EndCoverage.Execute(j.partnerCall(ctx), contract.EndCoverageInput{
			CaseID: j.in.CaseID, KPJ: ins.KPJ, End: now,
		}).Get(ctx, nil)
		if err != nil {
			return false, err
		}
		ins.EndedEarly = &now
		j.commit(ctx, ev("coverage-ended", "insurance coverage ended early on "+j.day(now)).say("event.coverage-ended", "on", j.day(now)))
	}
	outcome := vocab.OutcomeWithdrawn
	if !now.Before(j.in.Start) && vocab.StageEnrolment.Before(j.state.Stage) && j.state.Stage.Before(vocab.StagePlacement) {
		outcome = vocab.OutcomeDroppedOut
	}
	return j.close(ctx, outcome, j.withdrawal.Reason, say("event.closed", "outcome", string(outcome), "reason", j.withdrawal.Reason))
}
