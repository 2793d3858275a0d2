package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// assessAndCertify runs the competency test (with re-assessment of BK units) and, for a
// competent graduate, the certification approval and issuance. A graduate who is not
// certified still goes on to placement follow-up.
func (j *journey) assessAndCertify(ctx workflow.Context) (bool, error) {
	j.enterStage(ctx, vocab.StageAssessment, "competency assessment with "+j.in.LSPCode)
	number, closed, err := j.awaitAgreement(ctx, j.in.LSPCode, j.in.Scheme)
	if err != nil || closed {
		return closed, err
	}
	as := &j.state.Assessment
	as.Agreement = number
	var units []string
	for {
		closed, err := j.assessOnce(ctx, units)
		if err != nil || closed {
			return closed, err
		}
		if as.Refused != "" {
			no := false
			as.Competent = &no
			break
		}
		if len(as.BKUnits) == 0 {
			yes := true
			as.Competent = &yes
			j.commit(ctx, ev("competent", "kompeten (K) on every unit"))
			break
		}
		if as.Attempt > j.in.Settings.ReassessAttempts {
			no := false
			as.Competent = &no
			j.commit(ctx, ev("not-competent", "belum kompeten (BK) on "+strings.Join(as.BKUnits, ", ")+"; no re-assessment left"))
			break
		}
		units = as.BKUnits
		j.commit(ctx, ev("reassessment", "re-assessment of BK units "+strings.Join(units, ", ")))
	}
	if *as.Competent {
		return j.certify(ctx)
	}
	return false, nil
}

// assessOnce schedules one assessment and waits for its result, from a person (update), a
// partner file (signal) or by polling the LSP.
func (j *journey) assessOnce(ctx workflow.Context, units []string) (bool, error) {
	as := &j.state.Assessment
	as.Attempt++
	j.result = nil
	// Forget the previous attempt's schedule: until this attempt is scheduled, no result
	// (a repeated delivery of the previous one, say) may be taken as this attempt's result.
	as.Schedule = nil
	var sched partners.Schedule
	ssla := j.in.Settings.SLA.AssessmentSchedule
	f := contract.RequestAssessment.Execute(j.partnerCall(ctx), contract.AssessmentInput{
		CaseID: j.in.CaseID, NIKHash: j.in.NIKHash, LSPCode: j.in.LSPCode, Scheme: j.in.Scheme,
		PackageCode: j.in.PackageCode, NotBefore: j.in.End, Units: units,
		IdempotencyKey: fmt.Sprintf("%s-assess-%d", j.in.CaseID, as.Attempt),
	})
	if err := j.awaitFuture(ctx, f, vocab.WaitingLSP, &sched,
		deadline{ssla, vocab.StuckPartnerFailing, "waiting on " + j.in.LSPCode + " for an assessment schedule for more than " + humanDuration(ssla)}); err != nil {
		if msg, refused := dataError(err); refused {
			// A refusal of the request itself (scheme not offered, candidate unknown) will not
			// change by retrying: the case goes on uncertified, with the reason in its log.
			as.Refused = msg
			j.commit(ctx, ev("assessment-refused", j.in.LSPCode+" refused the assessment request: "+msg))
			return false, nil
		}
		return false, err
	}
	as.Schedule = &ScheduleInfo{AssessmentID: sched.AssessmentID, Date: sched.Date, TUK: sched.TUK, Assessor: sched.Assessor, Units: units}
	j.commit(ctx, ev("assessment-scheduled", fmt.Sprintf("assessment %s on %s at %s, assessor %s", sched.AssessmentID, j.when(sched.Date), sched.TUK, sched.Assessor)))

	// Wait for the result, polling the LSP; past the SLA (counted from the assessment date)
	// the case is marked stuck but keeps polling.
	rsla := j.in.Settings.SLA.AssessmentResult
	overdue := sched.Date.Add(rsla)
	have := func() bool { return j.result != nil || j.withdrawal != nil }
	j.setWaiting(ctx, vocab.WaitingLSP)
	for !have() {
		wait := j.in.Settings.ResultPollInterval
		if d := until(ctx, sched.Date); d > wait {
			wait = d
		}
		if _, err := workflow.AwaitWithTimeout(ctx, wait, have); err != nil {
			return false, err
		}
		if have() {
			break
		}
		if !workflow.Now(ctx).Before(sched.Date) {
			if err := j.pollResult(ctx, sched.AssessmentID, have); err != nil {
				return false, err
			}
		}
		if !have() && !workflow.Now(ctx).Before(overdue) {
			j.markStuck(ctx, vocab.StuckResultOverdue, fmt.Sprintf("assessment result from %s overdue by more than %s", j.in.LSPCode, humanDuration(rsla)))
		}
	}
	j.clearStuck(ctx)
	j.setWaiting(ctx, "")
	if j.withdrawal != nil {
		return j.closeWithdrawn(ctx)
	}
	r := j.result
	as.Results = append(as.Results, AssessmentRecord{AssessmentID: sched.AssessmentID, AssessorID: r.AssessorID, Units: r.Units, RecordedBy: r.Actor, At: workflow.Now(ctx)})
	as.BKUnits = nil
	for _, u := range r.Units {
		if u.Result == "BK" {
			as.BKUnits = append(as.BKUnits, u.Unit)
		}
	}
	return false, nil
}

// pollResult asks the LSP once for the result. A poll is only one of three ways a result
// arrives: it is abandoned as soon as a result is recorded otherwise (or the case is withdrawn),
// it retries for at most one poll interval, and a failed poll is left to the next one, so a
// failing LSP API neither holds up the case nor fails it (the result SLA flags it instead).
func (j *journey) pollResult(ctx workflow.Context, assessmentID string, have func() bool) error {
	pctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	pctx = j.partnerCall(pctx)
	if iv := j.in.Settings.ResultPollInterval; iv > 0 {
		opts := workflow.GetActivityOptions(pctx)
		opts.ScheduleToCloseTimeout = iv
		pctx = workflow.WithActivityOptions(pctx, opts)
	}
	f := contract.FetchAssessmentResult.Execute(pctx, contract.ResultInput{
		CaseID: j.in.CaseID, LSPCode: j.in.LSPCode, AssessmentID: assessmentID,
	})
	if err := workflow.Await(ctx, func() bool { return f.IsReady() || have() }); err != nil {
		return err
	}
	if !f.IsReady() {
		return nil // the deferred cancel stops the call
	}
	var out contract.ResultOutput
	if err := f.Get(ctx, &out); err != nil {
		workflow.GetLogger(ctx).Warn("assessment result poll failed", "case", j.in.CaseID, "error", err)
		return nil
	}
	if out.Ready && j.result == nil && j.withdrawal == nil {
		r := fromPartnerResult(out.Result)
		if verr := j.validateAssessment(r); verr != nil {
			j.refuse(ctx, "LSP result", r.Actor, verr)
		} else {
			_, _ = j.onAssessment(ctx, r)
		}
	}
	return nil
}

func fromPartnerResult(p partners.AssessmentResult) AssessmentResult {
	r := AssessmentResult{Actor: Actor{ID: "lsp-api", Role: vocab.RoleSystem}, AssessmentID: p.AssessmentID, AssessorID: p.Assessor}
	for _, u := range p.Units {
		r.Units = append(r.Units, UnitResult{Unit: u.Unit, Result: u.Result})
	}
	return r
}

// certify waits for the LSP certification manager and issues the certificate on approval.
func (j *journey) certify(ctx workflow.Context) (bool, error) {
	j.enterStage(ctx, vocab.StageCertification, "waiting for the LSP certification manager")
	csla := j.in.Settings.SLA.CertificationApproval
	if err := j.await(ctx, vocab.WaitingLSPManager, func() bool { return j.certDecision != nil || j.withdrawal != nil },
		deadline{csla, vocab.StuckApprovalOverdue, "certificate approval pending for more than " + humanDuration(csla) + " (LSP certification manager)"}); err != nil {
		return false, err
	}
	if j.withdrawal != nil {
		return j.closeWithdrawn(ctx)
	}
	if !j.certDecision.Approve {
		return false, nil
	}
	var cert partners.Certificate
	isla := j.in.Settings.SLA.CertificateIssue
	sched := j.state.Assessment.Schedule
	f := contract.IssueCertificate.Execute(j.partnerCall(ctx), contract.CertificateInput{
		CaseID: j.in.CaseID, NIKHash: j.in.NIKHash, LSPCode: j.in.LSPCode, Scheme: j.in.Scheme,
		AssessmentID: sched.AssessmentID, IssueDate: workflow.Now(ctx),
		IdempotencyKey: j.in.CaseID + "-cert",
	})
	if err := j.awaitFuture(ctx, f, vocab.WaitingLSP, &cert,
		deadline{isla, vocab.StuckPartnerFailing, "waiting on " + j.in.LSPCode + " to issue the certificate for more than " + humanDuration(isla)}); err != nil {
		if msg, refused := dataError(err); refused {
			// E.g. the LSP's own record says BK: no certificate, but the graduate's follow-up
			// goes on, and the refusal is in the log for the certification manager.
			j.state.Certification.Refused = msg
			j.commit(ctx, ev("certificate-refused", j.in.LSPCode+" refused to issue the certificate: "+msg))
			return false, nil
		}
		return false, err
	}
	if cert.ExpiryDate.IsZero() {
		cert.ExpiryDate = cert.IssueDate.AddDate(j.in.Settings.CertificateYears, 0, 0)
	}
	j.state.Certification.Certificate = &Certificate{Number: cert.Number, IssueDate: cert.IssueDate, ExpiryDate: cert.ExpiryDate}
	j.commit(ctx, ev("certified", "certificate "+cert.Number+" issued, valid until "+j.day(cert.ExpiryDate)))
	return false, nil
}
