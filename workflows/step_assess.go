package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// assessAndCertify runs the competency test (with re-assessment of BK units) and, for a
// competent graduate, the certification approval and issuance. A graduate who is not
// certified still goes on to placement follow-up.
//
// From RevisionAudited the test covers the scheme's units of competence (read once, here), a
// result must give K or BK for every unit assessed, and an LSP's refusal (of the assessment
// request or of the certificate) stops the case until a person chooses a way out; an ordered
// re-assessment after a refused certificate comes back here, through certification again.
func (j *journey) assessAndCertify(ctx workflow.Context) (bool, error) {
	j.enterStage(ctx, vocab.StageAssessment, "competency assessment with "+j.in.LSPCode, say("event.stage.assessment", "lsp", j.in.LSPCode))
	number, closed, err := j.awaitAgreement(ctx, j.in.LSPCode, j.in.Scheme)
	if err != nil || closed {
		return closed, err
	}
	as := &j.state.Assessment
	as.Agreement = number
	var units []string // before RevisionAudited: none, meaning every unit the LSP has
	if j.audited() {
		if closed, err := j.loadUnits(ctx); err != nil || closed {
			return closed, err
		}
		units = as.Units
	}
	for {
		competent, closed, err := j.assess(ctx, units)
		if err != nil || closed || !competent {
			return closed, err
		}
		reassess, closed, err := j.certify(ctx)
		if err != nil || closed || reassess == nil {
			return closed, err
		}
		units = reassess
		j.enterStage(ctx, vocab.StageAssessment, "re-assessment of "+strings.Join(units, ", ")+" after "+j.in.LSPCode+" refused the certificate", say("event.stage.reassessment", "units", strings.Join(units, ", "), "lsp", j.in.LSPCode))
	}
}

// assess runs assessments, from units on, until the trainee is competent or has no
// re-assessment of the BK units left.
func (j *journey) assess(ctx workflow.Context, units []string) (competent, closed bool, err error) {
	as := &j.state.Assessment
	for {
		closed, err := j.assessOnce(ctx, units)
		if err != nil || closed {
			return false, closed, err
		}
		if as.Refused != "" {
			no := false
			as.Competent = &no
			return false, false, nil
		}
		if j.audited() {
			as.BKUnits = j.bkUnits()
		}
		if len(as.BKUnits) == 0 {
			yes := true
			as.Competent = &yes
			detail := "kompeten (K) on every unit"
			if j.audited() {
				detail = fmt.Sprintf("kompeten (K) on every unit of %s (%d units)", j.in.Scheme, len(as.Units))
			}
			j.commit(ctx, ev("competent", detail).say("event.competent", "scheme", j.in.Scheme, "units", strconv.Itoa(len(as.Units))))
			return true, false, nil
		}
		// Re-assessments the LSP certification manager ordered after a refused certificate do
		// not use up the trainee's own (none before RevisionAudited).
		if as.Attempt-as.Ordered > j.in.Settings.ReassessAttempts {
			no := false
			as.Competent = &no
			j.commit(ctx, ev("not-competent", "belum kompeten (BK) on "+strings.Join(as.BKUnits, ", ")+"; no re-assessment left").say("event.not-competent", "units", strings.Join(as.BKUnits, ", ")))
			return false, false, nil
		}
		units = as.BKUnits
		j.commit(ctx, ev("reassessment", "re-assessment of BK units "+strings.Join(units, ", ")).say("event.reassessment", "units", strings.Join(units, ", ")))
	}
}

// bkUnits are the scheme's units without K in their latest result, across every attempt: K on
// every unit of the scheme is what competent means.
func (j *journey) bkUnits() []string {
	latest := map[string]string{}
	for _, r := range j.state.Assessment.Results {
		for _, u := range r.Units {
			latest[u.Unit] = u.Result
		}
	}
	var out []string
	for _, u := range j.state.Assessment.Units {
		if latest[u] != "K" {
			out = append(out, u)
		}
	}
	return out
}

// assessOnce schedules one assessment of units and waits for its result, from a person
// (update), a partner file (signal) or by polling the LSP.
func (j *journey) assessOnce(ctx workflow.Context, units []string) (bool, error) {
	as := &j.state.Assessment
	as.Attempt++
	j.result = nil
	j.lastPollRefusal = ""
	// Forget the previous attempt's schedule: until this attempt is scheduled, no result
	// (a repeated delivery of the previous one, say) may be taken as this attempt's result.
	as.Schedule = nil
	sched, closed, err := j.requestAssessment(ctx, units)
	if err != nil || closed || sched == nil {
		return closed, err
	}
	as.Schedule = &ScheduleInfo{AssessmentID: sched.AssessmentID, Date: sched.Date, TUK: sched.TUK, Assessor: sched.Assessor, Units: units}
	j.commit(ctx, ev("assessment-scheduled", fmt.Sprintf("assessment %s on %s at %s, assessor %s", sched.AssessmentID, j.when(sched.Date), sched.TUK, sched.Assessor)).say("event.assessment-scheduled", "id", sched.AssessmentID, "at", sched.Date.UTC().Format(time.RFC3339), "tuk", sched.TUK, "assessor", sched.Assessor))
	j.tell(ctx, contract.MessageInput{Milestone: string(messaging.Assessment(as.Attempt - 1)), When: sched.Date, Place: sched.TUK})

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
			j.markStuck(ctx, vocab.StuckResultOverdue, fmt.Sprintf("assessment result from %s overdue by more than %s", j.in.LSPCode, humanDuration(rsla)), say("stuck.result-overdue", "lsp", j.in.LSPCode, "sla", rsla.String()))
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

// requestAssessment asks the LSP to schedule an assessment of units. A refusal of the request
// itself (scheme not offered, candidate unknown) will not change by retrying: before
// RevisionAudited the case went on uncertified, with the reason in its log; since, the case
// waits for a person (awaitWayOut), and a nil schedule with Assessment.Refused set means one
// decided to go on without a certificate.
func (j *journey) requestAssessment(ctx workflow.Context, units []string) (*partners.Schedule, bool, error) {
	as := &j.state.Assessment
	ssla := j.in.Settings.SLA.AssessmentSchedule
	for {
		var sched partners.Schedule
		f := contract.RequestAssessment.Execute(j.partnerCall(ctx), contract.AssessmentInput{
			CaseID: j.in.CaseID, NIKHash: j.in.NIKHash, LSPCode: j.in.LSPCode, Scheme: j.in.Scheme,
			PackageCode: j.in.PackageCode, NotBefore: j.in.End, Units: units,
			// A retry after a refusal keeps the key: the refused request created nothing.
			IdempotencyKey: fmt.Sprintf("%s-assess-%d", j.in.CaseID, as.Attempt),
		})
		err := j.awaitFuture(ctx, f, vocab.WaitingLSP, &sched,
			deadline{ssla, vocab.StuckPartnerFailing, "waiting on " + j.in.LSPCode + " for an assessment schedule for more than " + humanDuration(ssla),
				say("stuck.partner-failing.schedule", "lsp", j.in.LSPCode, "sla", ssla.String())})
		if err == nil {
			return &sched, false, nil
		}
		msg, refused := dataError(err)
		if !refused {
			return nil, false, err
		}
		if !j.audited() {
			as.Refused = msg
			j.commit(ctx, ev("assessment-refused", j.in.LSPCode+" refused the assessment request: "+msg).say("event.assessment-refused", "lsp", j.in.LSPCode, "message", msg))
			return nil, false, nil
		}
		j.commit(ctx, ev("assessment-refused", j.in.LSPCode+" refused the assessment request: "+msg).say("event.assessment-refused", "lsp", j.in.LSPCode, "message", msg))
		way, closed, err := j.awaitWayOut(ctx, vocab.StuckAssessmentRefused, msg, ssla)
		if err != nil || closed {
			return nil, closed, err
		}
		if way.update == UpdateCloseUncertified {
			as.Refused = msg
			return nil, false, nil
		}
	}
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
			// The LSP answers every poll with the same result: log its refusal once, not at
			// every poll (RevisionAudited; earlier journeys logged each).
			if !j.audited() || verr.Error() != j.lastPollRefusal {
				j.lastPollRefusal = verr.Error()
				j.refuse(ctx, "LSP result", r.Actor, verr)
			}
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
