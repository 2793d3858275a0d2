package workflows_test

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

func mixed() []wf.UnitResult {
	return []wf.UnitResult{{Unit: "LAS.01", Result: "K"}, {Unit: "LAS.02", Result: "BK"}, {Unit: "LAS.03", Result: "BK"}}
}

func record(id string, us []wf.UnitResult) wf.AssessmentResult {
	return wf.AssessmentResult{Actor: assessor, AssessmentID: id, AssessorID: "asr-007", Units: us}
}

// graduate records full attendance so the case reaches assessment at trainEnd.
func (h *harness) graduate() { h.attendance(trainStart.Add(day), 20) }

func TestReassessmentOfBKUnitsThenCompetent(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	first := h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", mixed()))
	between := h.stateAt(assessDate(1).Add(3 * time.Hour))
	second := h.updateAt(assessDate(2).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-2", allK("LAS.02", "LAS.03")))
	cert := h.updateAt(assessDate(2).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	first.requireAccepted(t)
	require.Contains(t, first.result.Message, "1 K, 2 BK")
	second.requireAccepted(t)
	cert.requireAccepted(t)

	reqs := inputs[contract.AssessmentInput](h, "RequestAssessment")
	require.Len(t, reqs, 2)
	require.Equal(t, units, reqs[0].Units, "the first assessment covers every unit of the scheme")
	require.Equal(t, caseID+"-assess-1", reqs[0].IdempotencyKey)
	require.Equal(t, []string{"LAS.02", "LAS.03"}, reqs[1].Units, "only the BK units are re-assessed")
	require.Equal(t, caseID+"-assess-2", reqs[1].IdempotencyKey, "a re-assessment is a new request")
	require.Equal(t, assessDate(1).Add(2*time.Hour), h.callTimes("RequestAssessment")[1])

	require.Equal(t, 2, between.Assessment.Attempt)
	require.Equal(t, []string{"LAS.02", "LAS.03"}, between.Assessment.BKUnits)
	require.NotNil(t, between.Assessment.Schedule)
	require.Equal(t, "AS-2", between.Assessment.Schedule.AssessmentID)
	require.Equal(t, []string{"LAS.02", "LAS.03"}, between.Assessment.Schedule.Units)

	require.Equal(t, 2, s.Assessment.Attempt)
	require.Len(t, s.Assessment.Results, 2)
	require.Equal(t, "AS-1", s.Assessment.Results[0].AssessmentID)
	require.Equal(t, "AS-2", s.Assessment.Results[1].AssessmentID)
	require.Empty(t, s.Assessment.BKUnits)
	require.True(t, *s.Assessment.Competent)
	require.Equal(t, "AS-2", inputs[contract.CertificateInput](h, "IssueCertificate")[0].AssessmentID)
	require.NotNil(t, s.Certification.Certificate)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	requireOrder(t, h.kinds(), "assessment-scheduled", "assessment-result", "reassessment", "assessment-scheduled",
		"assessment-result", "competent", "stage", "certification-approved", "certified")
	re := h.eventsOf("reassessment")
	require.Len(t, re, 1)
	require.Contains(t, re[0].Detail, "LAS.02, LAS.03")
	h.requireReadModelConsistent()
}

func TestNotCompetentWithNoAttemptLeftGoesToPlacement(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", mixed()))
	h.updateAt(assessDate(2).Add(2*time.Hour), wf.UpdateRecordAssessment,
		record("AS-2", []wf.UnitResult{{Unit: "LAS.02", Result: "K"}, {Unit: "LAS.03", Result: "BK"}}))
	certify := h.updateAt(assessDate(2).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement,
		wf.PlacementReport{Actor: admin, Category: vocab.PlacementSelfEmployed, Employer: "Las Keliling", Start: trainEnd.Add(30 * day)})
	s := h.run()

	require.Equal(t, 2, h.count("RequestAssessment"))
	require.NotNil(t, s.Assessment.Competent)
	require.False(t, *s.Assessment.Competent)
	require.Equal(t, []string{"LAS.03"}, s.Assessment.BKUnits)
	require.Zero(t, h.count("IssueCertificate"))
	require.Nil(t, s.Certification.Certificate)
	certify.requireRejected(t, "cannot decide certification")
	nc := h.eventsOf("not-competent")
	require.Len(t, nc, 1)
	require.Contains(t, nc[0].Detail, "LAS.03")
	require.Equal(t, []string{"insurance", "training", "assessment", "placement"}, h.stages(), "no certification stage")
	require.Equal(t, vocab.OutcomeSelfEmployed, s.Outcome, "a graduate without a certificate is still followed up")
	require.Empty(t, h.lastRow().CertificateNo)
}

func TestNoReassessmentConfigured(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.ReassessAttempts = 0
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", mixed()))
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()
	require.Equal(t, 1, h.count("RequestAssessment"))
	require.False(t, *s.Assessment.Competent)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

func TestAssessmentResultViaSignal(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	// A partner file with a bad result code, then one for another assessment, then the real one.
	h.signalAt(assessDate(1).Add(time.Hour), wf.SignalAssessmentResult,
		wf.AssessmentResult{Actor: lspSystem, AssessmentID: "AS-1", AssessorID: "asr-007", Units: []wf.UnitResult{{Unit: "LAS.01", Result: "L"}}})
	h.signalAt(assessDate(1).Add(2*time.Hour), wf.SignalAssessmentResult,
		wf.AssessmentResult{Actor: lspSystem, AssessmentID: "AS-999", AssessorID: "asr-007", Units: allK(units...)})
	h.signalAt(assessDate(1).Add(3*time.Hour), wf.SignalAssessmentResult,
		wf.AssessmentResult{Actor: lspSystem, AssessmentID: "AS-1", AssessorID: "asr-007", Units: allK(units...)})
	// A repeated delivery is refused, not applied twice.
	h.signalAt(assessDate(1).Add(3*time.Hour+time.Minute), wf.SignalAssessmentResult,
		wf.AssessmentResult{Actor: lspSystem, AssessmentID: "AS-1", AssessorID: "asr-007", Units: allK(units...)})
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	refused := h.eventsOf("refused")
	require.Len(t, refused, 3)
	require.Contains(t, refused[0].Detail, "assessment-result refused")
	require.Contains(t, refused[0].Detail, `result must be K or BK, got "L"`)
	require.Equal(t, lspSystem.ID, refused[0].ActorID)
	require.Contains(t, refused[1].Detail, "AS-999 is not the current one")
	require.Contains(t, refused[2].Detail, "cannot record an assessment result")
	res := h.eventsOf("assessment-result")
	require.Len(t, res, 1)
	require.Equal(t, lspSystem.ID, res[0].ActorID)
	require.Equal(t, vocab.RoleSystem, res[0].ActorRole)
	require.Equal(t, assessDate(1).Add(3*time.Hour), res[0].At)
	require.Len(t, s.Assessment.Results, 1)
	require.Equal(t, lspSystem, s.Assessment.Results[0].RecordedBy)
	require.True(t, *s.Assessment.Competent)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

func TestAssessmentResultByPolling(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.fetch = func(n int, in contract.ResultInput) (contract.ResultOutput, error) {
		if n < 3 {
			return contract.ResultOutput{Ready: false}, nil
		}
		us := []partners.UnitResult{{Unit: "LAS.01", Result: "K"}, {Unit: "LAS.02", Result: "K"}, {Unit: "LAS.03", Result: "K"}}
		return contract.ResultOutput{Ready: true, Result: partners.AssessmentResult{AssessmentID: in.AssessmentID, Assessor: "asr-007", Units: us}}, nil
	}
	h.updateAt(assessDate(1).Add(2*day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	d := assessDate(1)
	require.Equal(t, []time.Time{d, d.Add(6 * time.Hour), d.Add(12 * time.Hour)}, h.callTimes("FetchAssessmentResult"),
		"the LSP is polled from the assessment date, every poll interval, until it has a result")
	for _, in := range inputs[contract.ResultInput](h, "FetchAssessmentResult") {
		require.Equal(t, contract.ResultInput{CaseID: caseID, LSPCode: "LSP-LOGAM", AssessmentID: "AS-1"}, in)
	}
	res := h.eventsOf("assessment-result")
	require.Len(t, res, 1)
	require.Equal(t, "lsp-api", res[0].ActorID)
	require.Equal(t, vocab.RoleSystem, res[0].ActorRole)
	require.Equal(t, d.Add(12*time.Hour), res[0].At)
	require.Equal(t, "asr-007", s.Assessment.Results[0].AssessorID)
	require.Equal(t, &contract.EventEvidence{Assessor: "asr-007", Units: []contract.UnitResult{{Unit: "LAS.01", Result: "K"},
		{Unit: "LAS.02", Result: "K"}, {Unit: "LAS.03", Result: "K"}}}, res[0].Evidence, "the result per unit goes to the read model, for the inbox")
	require.True(t, *s.Assessment.Competent)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

func TestPolledResultFailingValidationIsRefused(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.fetch = func(n int, in contract.ResultInput) (contract.ResultOutput, error) {
		if n == 1 {
			return contract.ResultOutput{Ready: true, Result: partners.AssessmentResult{AssessmentID: in.AssessmentID, Assessor: "", Units: nil}}, nil
		}
		return contract.ResultOutput{}, nil
	}
	h.updateAt(assessDate(1).Add(time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()
	refused := h.eventsOf("refused")
	require.Len(t, refused, 1)
	require.Contains(t, refused[0].Detail, "LSP result refused: assessor id is required")
	require.Len(t, h.eventsOf("assessment-result"), 1)
	require.Equal(t, assessor, s.Assessment.Results[0].RecordedBy)
}

func TestAssessmentResultOverdueMarksStuck(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	stuck := h.stateAt(assessDate(1).Add(7*day + 7*time.Hour))
	u := h.updateAt(assessDate(1).Add(8*day-time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(9*day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	u.requireAccepted(t)
	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckResultOverdue, stuck.StuckCode)
	require.Contains(t, stuck.StuckReason, "assessment result from LSP-LOGAM overdue by more than 7 days")
	require.Equal(t, vocab.WaitingLSP, stuck.WaitingOn)
	st := h.eventsOf("stuck")
	require.Len(t, st, 1, "flagged once, not at every poll")
	require.Equal(t, assessDate(1).Add(7*day), st[0].At)
	un := h.eventsOf("unstuck")
	require.Len(t, un, 1)
	require.Equal(t, assessDate(1).Add(8*day-time.Hour), un[0].At)
	require.Equal(t, 32, h.count("FetchAssessmentResult"), "one poll every 6h until the result came")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

func TestAssessmentUpdateValidation(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	early := h.updateAt(trainStart.Add(2*day), wf.UpdateRecordAssessment, record("", allK(units...)))
	at := assessDate(1).Add(time.Hour)
	before := h.stateAt(at.Add(-time.Minute))
	wrongRole := h.updateAt(at, wf.UpdateRecordAssessment, wf.AssessmentResult{Actor: admin, AssessorID: "asr-007", Units: allK(units...)})
	wrongID := h.updateAt(at, wf.UpdateRecordAssessment, record("AS-0", allK(units...)))
	noAssessor := h.updateAt(at, wf.UpdateRecordAssessment, wf.AssessmentResult{Actor: assessor, Units: allK(units...)})
	noUnits := h.updateAt(at, wf.UpdateRecordAssessment, record("AS-1", nil))
	noUnitCode := h.updateAt(at, wf.UpdateRecordAssessment, record("AS-1", []wf.UnitResult{{Result: "K"}}))
	after := h.stateAt(at.Add(time.Minute))
	ok := h.updateAt(at.Add(time.Hour), wf.UpdateRecordAssessment, wf.AssessmentResult{Actor: manager, AssessorID: "asr-007", Units: allK(units...)})
	h.updateAt(at.Add(2*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()

	early.requireRejected(t, "cannot record an assessment result")
	wrongRole.requireRejected(t, `role "centre-admin" may not`)
	wrongID.requireRejected(t, "AS-0 is not the current one (AS-1)")
	noAssessor.requireRejected(t, "assessor id is required")
	noUnits.requireRejected(t, "at least one unit result")
	noUnitCode.requireRejected(t, "needs a unit code")
	require.Equal(t, before.Version, after.Version)
	ok.requireAccepted(t)
	require.Len(t, s.Assessment.Results, 1)
	require.Equal(t, manager, s.Assessment.Results[0].RecordedBy)
	require.Empty(t, h.eventsOf("refused"), "refused updates are answered to the caller, not logged")
	// Withdrawn while waiting for the certification decision.
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
	require.Zero(t, h.count("IssueCertificate"))
}

// A result delivered again for the first assessment while the re-assessment is being
// scheduled must not be taken as the re-assessment's result.
func TestStaleResultNotTakenForReassessment(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.schedule = func(n int, in contract.AssessmentInput) (partners.Schedule, error) {
		if n >= 2 && n <= 5 { // attempt 2 is retried for 2+4+8+16 = 30s
			return partners.Schedule{}, errors.New("lsp schedule: 502 Bad Gateway")
		}
		return partners.Schedule{AssessmentID: fmt.Sprintf("AS-%d", min(n, 2)), Date: assessDate(min(n, 2)), TUK: "TUK", Assessor: "asr-008"}, nil
	}
	firstAt := assessDate(1).Add(2 * time.Hour)
	h.updateAt(firstAt, wf.UpdateRecordAssessment, record("AS-1", mixed()))
	// The LSP's file of the first assessment arrives again while attempt 2 is being scheduled
	// (the schedule request is retrying).
	h.signalAt(firstAt.Add(5*time.Second), wf.SignalAssessmentResult,
		wf.AssessmentResult{Actor: lspSystem, AssessmentID: "AS-1", AssessorID: "asr-007", Units: mixed()})
	stale := h.updateAt(firstAt.Add(6*time.Second), wf.UpdateRecordAssessment,
		wf.AssessmentResult{Actor: assessor, AssessorID: "asr-007", Units: mixed()})
	h.updateAt(assessDate(2).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-2", allK("LAS.02", "LAS.03")))
	h.updateAt(assessDate(2).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	stale.requireRejected(t, "no assessment is scheduled")
	refused := h.eventsOf("refused")
	require.Len(t, refused, 1)
	require.Contains(t, refused[0].Detail, "no assessment is scheduled")
	require.Len(t, s.Assessment.Results, 2)
	require.Equal(t, "AS-2", s.Assessment.Results[1].AssessmentID)
	require.True(t, *s.Assessment.Competent)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

func TestAssessmentScheduleFailingMarksStuck(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.SLA.AssessmentSchedule = 5 * time.Minute
	h.graduate()
	h.schedule = func(n int, in contract.AssessmentInput) (partners.Schedule, error) {
		if n <= 8 {
			return partners.Schedule{}, errors.New("lsp schedule: connection refused")
		}
		return partners.Schedule{AssessmentID: "AS-1", Date: assessDate(1), TUK: "TUK", Assessor: "asr-007"}, nil
	}
	stuck := h.stateAt(trainEnd.Add(6 * time.Minute))
	h.updateAt(assessDate(1).Add(time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	h.run()

	require.Equal(t, vocab.StuckPartnerFailing, stuck.StuckCode)
	require.Contains(t, stuck.StuckReason, "waiting on LSP-LOGAM for an assessment schedule for more than 5m")
	keys := map[string]bool{}
	for _, in := range inputs[contract.AssessmentInput](h, "RequestAssessment") {
		keys[in.IdempotencyKey] = true
	}
	require.Equal(t, map[string]bool{caseID + "-assess-1": true}, keys)
	requireOrder(t, h.kinds(), "stuck", "unstuck", "assessment-scheduled")
}

func TestCertificationRejectedGoesToPlacementWithoutCertificate(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	at := assessDate(1).Add(day)
	wrongRole := h.updateAt(at, wf.UpdateDecideCertification, wf.CertificationDecision{Actor: assessor, Approve: true})
	noReason := h.updateAt(at, wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager})
	reject := h.updateAt(at.Add(time.Hour), wf.UpdateDecideCertification,
		wf.CertificationDecision{Actor: manager, Reason: "portfolio evidence incomplete"})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	wrongRole.requireRejected(t, `role "assessor" may not`)
	noReason.requireRejected(t, "a rejection needs a reason")
	reject.requireAccepted(t)
	require.Zero(t, h.count("IssueCertificate"))
	require.Nil(t, s.Certification.Certificate)
	require.False(t, s.Certification.Decision.Approve)
	require.Equal(t, "portfolio evidence incomplete", s.Certification.Decision.Reason)
	rej := h.eventsOf("certification-rejected")
	require.Len(t, rej, 1)
	require.Equal(t, manager.ID, rej[0].ActorID)
	require.Contains(t, rej[0].Detail, "portfolio evidence incomplete")
	require.Equal(t, []string{"insurance", "training", "assessment", "certification", "placement"}, h.stages())
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.Empty(t, h.lastRow().CertificateNo)
}

func TestCertificationApprovalSLA(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	stuck := h.stateAt(assessDate(1).Add(2*time.Hour + 73*time.Hour))
	second := new(*updateOutcome)
	h.at(assessDate(1).Add(5*day), func() {
		h.update(wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
		*second = h.update(wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.Equal(t, vocab.StuckApprovalOverdue, stuck.StuckCode)
	require.Contains(t, stuck.StuckReason, "certificate approval pending for more than 3 days")
	require.Equal(t, vocab.WaitingLSPManager, stuck.WaitingOn)
	(*second).requireRejected(t, "already decided")
	require.Equal(t, 1, h.count("IssueCertificate"))
	require.Equal(t, assessDate(1).Add(5*day), s.Certification.Certificate.IssueDate)
	requireOrder(t, h.kinds(), "stage", "stuck", "certification-approved", "unstuck", "certified")
	require.Equal(t, vocab.StageCertification, h.eventsOf("stuck")[0].Stage)
}

func TestCertificateExpiryFromLSPIsKept(t *testing.T) {
	h := newHarness(t)
	h.issue = func(_ int, in contract.CertificateInput) (partners.Certificate, error) {
		return partners.Certificate{Number: "No. 61020 2222 3 0000123 2025", IssueDate: in.IssueDate, ExpiryDate: in.IssueDate.AddDate(5, 0, 0)}, nil
	}
	h.standardAfterInsurance()
	s := h.run()
	c := s.Certification.Certificate
	require.Equal(t, c.IssueDate.AddDate(5, 0, 0), c.ExpiryDate)
	require.Equal(t, "No. 61020 2222 3 0000123 2025", h.lastRow().CertificateNo)
}

func TestNoLSPAgreementWaitsThenContinues(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.agreement = func(_ int, q contract.AgreementQuery) (contract.AgreementResult, error) {
		if q.PartnerCode == "LSP-LOGAM" && q.On.Before(trainEnd.Add(3*time.Hour)) {
			return contract.AgreementResult{}, nil
		}
		return contract.AgreementResult{Found: true, Number: "MOU-" + q.PartnerCode}, nil
	}
	stuck := h.stateAt(trainEnd.Add(90 * time.Minute))
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckNoAgreement, stuck.StuckCode)
	require.Equal(t, "no active MoU with LSP-LOGAM for centre BLK-SDA and scheme SKM-LAS-SMAW", stuck.StuckReason)
	require.Equal(t, vocab.WaitingAgreement, stuck.WaitingOn)
	require.Equal(t, vocab.StageAssessment, stuck.Stage)

	var lspTimes []time.Time
	for _, q := range inputs[contract.AgreementQuery](h, "FindAgreement") {
		if q.PartnerCode == "LSP-LOGAM" {
			lspTimes = append(lspTimes, q.On)
		}
	}
	require.Equal(t, []time.Time{trainEnd, trainEnd, trainEnd.Add(time.Hour), trainEnd.Add(2 * time.Hour), trainEnd.Add(3 * time.Hour)}, lspTimes,
		"checked again once marked as waiting, then every agreement poll interval")
	require.Equal(t, trainEnd.Add(3*time.Hour), h.callTimes("RequestAssessment")[0])
	st := h.eventsOf("stuck")
	require.Len(t, st, 1)
	require.Equal(t, trainEnd, st[0].At)
	un := h.eventsOf("unstuck")
	require.Len(t, un, 1)
	require.Equal(t, trainEnd.Add(3*time.Hour), un[0].At)
	require.Equal(t, "MOU-LSP-LOGAM", s.Assessment.Agreement)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireReadModelConsistent()
}

func TestWithdrawWhileWaitingForLSPAgreement(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.agreement = func(_ int, q contract.AgreementQuery) (contract.AgreementResult, error) {
		return contract.AgreementResult{Found: q.PartnerCode != "LSP-LOGAM", Number: "MOU-1"}, nil
	}
	h.updateAt(trainEnd.Add(30*time.Minute), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "no LSP"})
	s := h.run()
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
	require.Equal(t, trainEnd.Add(30*time.Minute), h.eventsOf("closed")[0].At, "the withdrawal does not wait for the next poll")
	require.False(t, s.Stuck)
	require.False(t, h.lastRow().Stuck)
}

// A failing LSP API must not hold up a result recorded by the assessor, nor fail the case.
func TestFailingResultPollDoesNotBlockRecordedResult(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.fetch = func(int, contract.ResultInput) (contract.ResultOutput, error) {
		return contract.ResultOutput{}, errors.New("lsp result: 504 Gateway Timeout")
	}
	u := h.updateAt(assessDate(1).Add(time.Minute), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	certifying := h.stateAt(assessDate(1).Add(2 * time.Minute))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	u.requireAccepted(t)
	require.Equal(t, vocab.StageCertification, certifying.Stage, "the recorded result moves the case on at once")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

// Polls that keep failing are retried at the next poll; past the result SLA the case is
// flagged, and a later successful poll delivers the result.
func TestFailingResultPollKeepsPolling(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.SLA.AssessmentResult = 12 * time.Hour
	h.graduate()
	var lspBack atomic.Bool
	h.at(assessDate(1).Add(20*time.Hour), func() { lspBack.Store(true) })
	h.fetch = func(_ int, in contract.ResultInput) (contract.ResultOutput, error) {
		if !lspBack.Load() {
			return contract.ResultOutput{}, errors.New("lsp result: 504 Gateway Timeout")
		}
		return contract.ResultOutput{Ready: true, Result: partners.AssessmentResult{AssessmentID: in.AssessmentID, Assessor: "asr-007",
			Units: []partners.UnitResult{{Unit: "LAS.01", Result: "K"}, {Unit: "LAS.02", Result: "K"}, {Unit: "LAS.03", Result: "K"}}}}, nil
	}
	stuck := h.stateAt(assessDate(1).Add(19 * time.Hour))
	h.updateAt(assessDate(1).Add(2*day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.Equal(t, vocab.StuckResultOverdue, stuck.StuckCode)
	require.True(t, *s.Assessment.Competent)
	require.Equal(t, "lsp-api", s.Assessment.Results[0].RecordedBy.ID)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}
