package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// lspRefusal is the LSP's data error as the activity reports it.
func lspRefusal(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, contract.ErrTypeData, nil)
}

// refusesCertificateUntil makes the LSP refuse the certificate for calls before the nth.
func (h *harness) refusesCertificateUntil(n int) {
	h.issue = func(i int, in contract.CertificateInput) (partners.Certificate, error) {
		if i < n {
			return partners.Certificate{}, lspRefusal("no assessment with this id")
		}
		return partners.Certificate{Number: "CERT-0001", IssueDate: in.IssueDate}, nil
	}
}

// approvedForCertificate drives a graduate to the certificate request: all K at assessDate(1)+2h,
// approved a day after the assessment.
func (h *harness) approvedForCertificate() time.Time {
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	return assessDate(1).Add(day)
}

// An LSP refusal stops the case: stuck certificate-refused with the LSP's words, waiting on
// the LSP certification manager (the inbox), until the manager retries once the LSP has fixed
// its record; the retry keeps the idempotency key, so the certificate is issued once.
func TestCertificateRefusedWaitsThenRetryIssuesOnce(t *testing.T) {
	h := newHarness(t)
	h.refusesCertificateUntil(2)
	refusedAt := h.approvedForCertificate()
	stuck := h.stateAt(refusedAt.Add(time.Hour))
	early := h.updateAt(refusedAt.Add(-time.Hour), wf.UpdateRetryRefused, wf.RefusalDecision{Actor: manager})
	assessorRetry := h.updateAt(refusedAt.Add(2*time.Hour), wf.UpdateRetryRefused, wf.RefusalDecision{Actor: assessor})
	retry := h.updateAt(refusedAt.Add(3*time.Hour), wf.UpdateRetryRefused, wf.RefusalDecision{Actor: manager, Reason: "assessment record restored"})
	second := h.updateAt(refusedAt.Add(3*time.Hour+time.Minute), wf.UpdateRetryRefused, wf.RefusalDecision{Actor: manager})
	h.updateAt(trainEnd.Add(60*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.Equal(t, vocab.StageCertification, stuck.Stage, "the case stops where it is")
	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckCertificateRefused, stuck.StuckCode)
	require.Equal(t, vocab.WaitingLSPManager, stuck.WaitingOn)
	require.Contains(t, stuck.StuckReason, `LSP-LOGAM refused to issue the certificate ("no assessment with this id")`)
	require.Contains(t, stuck.StuckReason, "LSP certification manager retries the issuance")
	require.Equal(t, "no assessment with this id", stuck.Certification.Refused)
	require.Nil(t, stuck.Certification.Certificate)
	row := h.rowsWithStuck(vocab.StuckCertificateRefused)
	require.NotEmpty(t, row, "the read model (stuck list, inbox) says so")
	require.Equal(t, vocab.WaitingLSPManager, row[len(row)-1].WaitingOn)
	require.Equal(t, vocab.StageCertification, row[len(row)-1].Stage)

	early.requireRejected(t, "not waiting on a refusal by its LSP")
	assessorRetry.requireRejected(t, `role "assessor" may not`)
	retry.requireAccepted(t)
	second.requireRejected(t, "not waiting on a refusal")

	certs := inputs[contract.CertificateInput](h, "IssueCertificate")
	require.Len(t, certs, 2, "refused once, retried once")
	require.Equal(t, caseID+"-cert", certs[0].IdempotencyKey)
	require.Equal(t, certs[0].IdempotencyKey, certs[1].IdempotencyKey, "the retry keeps the key")
	require.Equal(t, refusedAt.Add(3*time.Hour), h.callTimes("IssueCertificate")[1])
	require.NotNil(t, s.Certification.Certificate)
	require.Empty(t, s.Certification.Refused)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	requireOrder(t, h.kinds(), "certification-approved", "certificate-refused", "stuck", "refusal-retried", "unstuck", "certified", "stage")
	rt := h.eventsOf("refusal-retried")
	require.Equal(t, manager.ID, rt[0].ActorID)
	require.Contains(t, rt[0].Detail, "retry of the certificate issuance asked: assessment record restored")
	require.Equal(t, "CERT-0001", h.lastRow().CertificateNo)
	h.requireReadModelConsistent()
}

// Past sla.certificate_issue the refusal is still stuck, and its reason says it is overdue.
func TestCertificateRefusalPastSLA(t *testing.T) {
	h := newHarness(t)
	h.refusesCertificateUntil(2)
	refusedAt := h.approvedForCertificate()
	before := h.stateAt(refusedAt.Add(47 * time.Hour))
	after := h.stateAt(refusedAt.Add(49 * time.Hour))
	h.updateAt(refusedAt.Add(3*day), wf.UpdateRetryRefused, wf.RefusalDecision{Actor: coordinator})
	h.updateAt(trainEnd.Add(60*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.NotContains(t, before.StuckReason, "unresolved")
	require.Equal(t, vocab.StuckCertificateRefused, after.StuckCode)
	require.Contains(t, after.StuckReason, "unresolved for more than 48h")
	require.Equal(t, *before.StuckSince, *after.StuckSince, "stuck since the refusal")
	require.Len(t, h.eventsOf("stuck"), 2)
	require.NotNil(t, s.Certification.Certificate, "a coordinator may retry too")
}

// The manager may order a re-assessment instead (of the units in question): the case goes back
// to assessment of those units, the re-assessment does not use up journey.reassess_attempts, a
// new approval follows, and the certificate asked for it has a key of its own.
func TestCertificateRefusedThenReassessment(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.ReassessAttempts = 0
	h.issue = func(i int, in contract.CertificateInput) (partners.Certificate, error) {
		if i == 1 {
			return partners.Certificate{}, lspRefusal("unit LAS.02 is BK: no certificate")
		}
		return partners.Certificate{Number: "CERT-0002", IssueDate: in.IssueDate}, nil
	}
	refusedAt := h.approvedForCertificate()
	at := refusedAt.Add(time.Hour)
	byCoordinator := h.updateAt(at, wf.UpdateOrderReassessment, wf.RefusalDecision{Actor: coordinator, Reason: "x"})
	noReason := h.updateAt(at, wf.UpdateOrderReassessment, wf.RefusalDecision{Actor: manager, Units: []string{"LAS.02"}})
	badUnit := h.updateAt(at, wf.UpdateOrderReassessment, wf.RefusalDecision{Actor: manager, Reason: "x", Units: []string{"LAS.09"}})
	order := h.updateAt(at.Add(time.Minute), wf.UpdateOrderReassessment,
		wf.RefusalDecision{Actor: manager, Reason: "our record says BK on LAS.02", Units: []string{"LAS.02"}})
	between := h.stateAt(at.Add(2 * time.Minute))
	// The LSP schedules the re-assessment as its second assessment (AS-2 on assessDate(2)).
	h.updateAt(assessDate(2).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-2", allK("LAS.02")))
	approve := h.updateAt(assessDate(2).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(80*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	byCoordinator.requireRejected(t, `role "coordinator" may not`)
	noReason.requireRejected(t, "needs a reason")
	badUnit.requireRejected(t, `unit "LAS.09" is not a unit of scheme SKM-LAS-SMAW`)
	order.requireAccepted(t)
	approve.requireAccepted(t)
	require.Equal(t, vocab.StageAssessment, between.Stage)
	require.False(t, between.Stuck)
	require.Nil(t, between.Assessment.Competent, "in question until the re-assessment's result")

	reqs := inputs[contract.AssessmentInput](h, "RequestAssessment")
	require.Len(t, reqs, 2)
	require.Equal(t, []string{"LAS.02"}, reqs[1].Units)
	require.Equal(t, caseID+"-assess-2", reqs[1].IdempotencyKey)
	certs := inputs[contract.CertificateInput](h, "IssueCertificate")
	require.Len(t, certs, 2)
	require.Equal(t, caseID+"-cert", certs[0].IdempotencyKey)
	require.Equal(t, caseID+"-cert-r1", certs[1].IdempotencyKey)
	require.Equal(t, "AS-2", certs[1].AssessmentID)
	require.Equal(t, 1, s.Assessment.Ordered)
	require.True(t, *s.Assessment.Competent)
	require.Equal(t, "CERT-0002", s.Certification.Certificate.Number)
	require.Equal(t, []string{"insurance", "training", "assessment", "certification", "assessment", "certification", "placement"}, h.stages())
	ro := h.eventsOf("reassessment-ordered")
	require.Len(t, ro, 1)
	require.Contains(t, ro[0].Detail, "re-assessment of LAS.02 ordered: our record says BK on LAS.02")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireReadModelConsistent()
}

// Or the coordinator decides, with a reason, to go on without a certificate: the decision is
// recorded, and the graduate's placement follow-up goes on as for anyone uncertified.
func TestCertificateRefusedClosedWithoutCertificate(t *testing.T) {
	h := newHarness(t)
	h.refusesCertificateUntil(99)
	refusedAt := h.approvedForCertificate()
	at := refusedAt.Add(time.Hour)
	byManager := h.updateAt(at, wf.UpdateCloseUncertified, wf.RefusalDecision{Actor: manager, Reason: "x"})
	noReason := h.updateAt(at, wf.UpdateCloseUncertified, wf.RefusalDecision{Actor: coordinator, Reason: "  "})
	closeIt := h.updateAt(at.Add(time.Minute), wf.UpdateCloseUncertified,
		wf.RefusalDecision{Actor: coordinator, Reason: "LSP lost the portfolio; trainee declined a new test"})
	placement := h.stateAt(at.Add(2 * time.Minute))
	h.updateAt(trainEnd.Add(60*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	byManager.requireRejected(t, `role "lsp-manager" may not`)
	noReason.requireRejected(t, "needs a reason")
	closeIt.requireAccepted(t)
	require.Equal(t, vocab.StagePlacement, placement.Stage)
	require.False(t, placement.Stuck)
	require.Equal(t, 1, h.count("IssueCertificate"))
	require.Nil(t, s.Certification.Certificate)
	require.NotNil(t, s.Certification.Uncertified)
	require.Equal(t, coordinator, s.Certification.Uncertified.Actor)
	require.Equal(t, "LSP lost the portfolio; trainee declined a new test", s.Certification.Uncertified.Reason)
	cl := h.eventsOf("closed-uncertified")
	require.Len(t, cl, 1)
	require.Equal(t, coordinator.ID, cl[0].ActorID)
	require.Contains(t, cl[0].Detail, "without a certificate: LSP lost the portfolio")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.Empty(t, h.lastRow().CertificateNo)
}

// A refusal of the assessment request itself stops the case too, with the retry and the
// closing without a certificate as ways out (a re-assessment has nothing to re-assess).
func TestAssessmentRefusedWaitsThenRetry(t *testing.T) {
	h := newHarness(t)
	h.schedule = func(n int, in contract.AssessmentInput) (partners.Schedule, error) {
		if n == 1 {
			return partners.Schedule{}, lspRefusal("candidate data incomplete")
		}
		return partners.Schedule{AssessmentID: "AS-1", Date: assessDate(1), TUK: "TUK", Assessor: "asr-007"}, nil
	}
	h.graduate()
	stuck := h.stateAt(trainEnd.Add(time.Hour))
	reassess := h.updateAt(trainEnd.Add(2*time.Hour), wf.UpdateOrderReassessment, wf.RefusalDecision{Actor: manager, Reason: "x"})
	h.updateAt(trainEnd.Add(3*time.Hour), wf.UpdateRetryRefused, wf.RefusalDecision{Actor: manager})
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.Equal(t, vocab.StageAssessment, stuck.Stage)
	require.Equal(t, vocab.StuckAssessmentRefused, stuck.StuckCode)
	require.Equal(t, vocab.WaitingLSPManager, stuck.WaitingOn)
	require.Contains(t, stuck.StuckReason, `refused the assessment request ("candidate data incomplete")`)
	reassess.requireRejected(t, "refused the assessment request itself")
	reqs := inputs[contract.AssessmentInput](h, "RequestAssessment")
	require.Len(t, reqs, 2)
	require.Equal(t, reqs[0].IdempotencyKey, reqs[1].IdempotencyKey, "the retry keeps the key")
	require.Equal(t, 1, s.Assessment.Attempt, "a retried request is the same attempt")
	require.Empty(t, s.Assessment.Refused)
	require.NotNil(t, s.Certification.Certificate)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

func TestAssessmentRefusedClosedWithoutCertificate(t *testing.T) {
	h := newHarness(t)
	h.schedule = func(int, contract.AssessmentInput) (partners.Schedule, error) {
		return partners.Schedule{}, lspRefusal("scheme SKM-X is not offered")
	}
	h.graduate()
	h.updateAt(trainEnd.Add(3*day), wf.UpdateCloseUncertified, wf.RefusalDecision{Actor: coordinator, Reason: "no LSP offers the scheme this year"})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.Equal(t, 1, h.count("RequestAssessment"))
	require.False(t, *s.Assessment.Competent)
	require.Contains(t, s.Assessment.Refused, "not offered")
	require.Equal(t, "no LSP offers the scheme this year", s.Certification.Uncertified.Reason)
	require.Zero(t, h.count("IssueCertificate"))
	require.Equal(t, []string{"insurance", "training", "assessment", "placement"}, h.stages())
	requireOrder(t, h.kinds(), "assessment-refused", "stuck", "stuck", "closed-uncertified", "unstuck")
	require.Contains(t, h.eventsOf("stuck")[1].Detail, "unresolved for more than 48h", "sla.assessment_schedule")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

// A trainee who withdraws while the case waits on a refusal closes as dropped out.
func TestWithdrawWhileRefused(t *testing.T) {
	h := newHarness(t)
	h.refusesCertificateUntil(99)
	refusedAt := h.approvedForCertificate()
	h.updateAt(refusedAt.Add(time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "moved away"})
	s := h.run()
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
	require.False(t, s.Stuck)
	require.False(t, h.lastRow().Stuck)
}
