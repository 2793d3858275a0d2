package workflows_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

const (
	otherCase = "othercase2" // the case a conflicting number belongs to
	takenKPJ  = "23000000005"
)

var operator = wf.Actor{ID: "ops-1", Role: vocab.RoleOperator}

// heldBy makes ClaimNumber answer that the listed numbers belong to otherCase.
func heldBy(numbers ...string) func(int, contract.NumberClaimInput) (contract.NumberClaimResult, error) {
	return func(_ int, in contract.NumberClaimInput) (contract.NumberClaimResult, error) {
		for _, n := range numbers {
			if in.Number == n {
				return contract.NumberClaimResult{HeldBy: otherCase}, nil
			}
		}
		return contract.NumberClaimResult{}, nil
	}
}

// requireNeverShown checks no read-model write ever showed number as the case's KPJ or certificate.
func (h *harness) requireNeverShown(number string) {
	h.t.Helper()
	for _, w := range h.writes() {
		require.NotEqual(h.t, number, w.Case.KPJ, "version %d shows a KPJ of another person", w.Case.Version)
		require.NotEqual(h.t, number, w.Case.CertificateNo, "version %d shows a certificate of another person", w.Case.Version)
	}
}

// BPJS answers with a KPJ that belongs to another case: the case is stuck kpj-conflict naming
// both cases, until the BPJS liaison has BPJS asked again (a new registration key), whose
// answer is claimed and taken.
func TestKPJConflictStuckUntilBPJSIsAskedAgain(t *testing.T) {
	h := newHarness(t)
	h.register = func(n int, _ contract.InsuranceInput) (partners.Coverage, error) {
		if n == 1 {
			return partners.Coverage{KPJ: takenKPJ}, nil
		}
		return partners.Coverage{KPJ: kpj}, nil
	}
	h.claimNum = heldBy(takenKPJ)
	stuck := h.stateAt(t0.Add(time.Hour))
	wrongRole := h.updateAt(t0.Add(time.Hour+time.Minute), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: manager})
	same := h.updateAt(t0.Add(time.Hour+2*time.Minute), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison, Number: " " + takenKPJ + " "})
	again := h.updateAt(t0.Add(2*time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison, Note: "BPJS fixed its record"})
	late := h.updateAt(t0.Add(3*time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison})
	h.standardAfterInsurance()
	s := h.run()

	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckKPJConflict, stuck.StuckCode)
	require.Equal(t, vocab.WaitingBPJS, stuck.WaitingOn)
	require.Equal(t, vocab.StageInsurance, stuck.Stage)
	require.Contains(t, stuck.StuckReason, "KPJ "+takenKPJ)
	require.Contains(t, stuck.StuckReason, "case "+caseID)
	require.Contains(t, stuck.StuckReason, "belongs to case "+otherCase)
	require.Empty(t, stuck.Insurance.KPJ, "a KPJ of another person is never the case's")
	require.Equal(t, &wf.NumberConflict{Number: takenKPJ, HeldBy: otherCase, Since: t0}, stuck.Insurance.Conflict)
	require.Equal(t, vocab.RoleInsurerLiaison, wf.WhoUnblocks(stuck.StuckCode, stuck.WaitingOn, h.in.CentreCode, h.in.LSPCode).Role)

	wrongRole.requireRejected(t, "may not")
	same.requireRejected(t, "belongs to case "+otherCase)
	again.requireAccepted(t)
	late.requireRejected(t, "nothing to resolve")

	regs := inputs[contract.InsuranceInput](h, "RegisterInsurance")
	require.Len(t, regs, 2)
	require.Equal(t, caseID+"-bpjs-0", regs[0].IdempotencyKey)
	require.Equal(t, caseID+"-bpjs-0-again-1", regs[1].IdempotencyKey, "asking again is a new registration")
	require.Equal(t, t0.Add(2*time.Hour), h.callTimes("RegisterInsurance")[1])
	claims := inputs[contract.NumberClaimInput](h, "ClaimNumber")
	require.GreaterOrEqual(t, len(claims), 3, "both KPJs and the certificate are claimed")
	require.Equal(t, contract.NumberClaimInput{Kind: contract.NumberKPJ, Number: takenKPJ, CaseID: caseID, NIKHash: h.in.NIKHash}, claims[0])
	require.Equal(t, contract.NumberClaimInput{Kind: contract.NumberKPJ, Number: kpj, CaseID: caseID, NIKHash: h.in.NIKHash}, claims[1])
	require.Equal(t, contract.NumberClaimInput{Kind: contract.NumberCertificate, Number: "CERT-0001", CaseID: caseID, NIKHash: h.in.NIKHash}, claims[2])

	require.Equal(t, kpj, s.Insurance.KPJ)
	require.Nil(t, s.Insurance.Conflict)
	require.Equal(t, 1, s.Insurance.Reregistrations)
	requireOrder(t, h.kinds(), "kpj-conflict", "stuck", "conflict-resolution", "unstuck", "insured")
	res := h.eventsOf("conflict-resolution")
	require.Len(t, res, 1)
	require.Equal(t, liaison.ID, res[0].ActorID)
	require.Contains(t, res[0].Detail, "BPJS fixed its record")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireNeverShown(takenKPJ)
	h.requireReadModelConsistent()
}

// A corrected KPJ given by a person is claimed like BPJS's answer: one that belongs to another
// person too keeps the case stuck; a free one is taken without registering again.
func TestKPJConflictResolvedWithACorrectedNumber(t *testing.T) {
	h := newHarness(t)
	h.register = func(int, contract.InsuranceInput) (partners.Coverage, error) {
		return partners.Coverage{KPJ: takenKPJ}, nil
	}
	h.claimNum = heldBy(takenKPJ, "23000000006")
	first := h.updateAt(t0.Add(time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: operator, Number: "23000000006"})
	still := h.stateAt(t0.Add(2 * time.Hour))
	spaces := h.updateAt(t0.Add(3*time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison, Number: "2300 0000 007"})
	second := h.updateAt(t0.Add(4*time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison, Number: "23000000007"})
	h.standardAfterInsurance()
	s := h.run()

	first.requireAccepted(t)
	require.True(t, still.Stuck)
	require.Equal(t, vocab.StuckKPJConflict, still.StuckCode)
	require.Contains(t, still.StuckReason, "KPJ 23000000006")
	require.Equal(t, "23000000006", still.Insurance.Conflict.Number)
	spaces.requireRejected(t, "without spaces")
	second.requireAccepted(t)

	require.Equal(t, 1, h.count("RegisterInsurance"), "a number given by a person needs no new registration")
	require.Equal(t, "23000000007", s.Insurance.KPJ)
	require.Len(t, h.eventsOf("kpj-conflict"), 2)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireNeverShown(takenKPJ)
	h.requireNeverShown("23000000006")
	h.requireReadModelConsistent()
}

// In the batch exchange the same KPJ delivered for a second person is claimed with Batch set
// (the registration goes back into the next file); the conflicting KPJ sent again is refused,
// asking BPJS again is refused (the file does that), and a corrected KPJ from a later file is
// taken.
func TestBatchKPJConflictWaitsForACorrectedFile(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.InsuranceAdapter = "batch"
	h.claimNum = heldBy(takenKPJ)
	h.signalAt(t0.Add(time.Hour), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: liaison, KPJ: takenKPJ})
	stuck := h.stateAt(t0.Add(2 * time.Hour))
	h.signalAt(t0.Add(3*time.Hour), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: liaison, KPJ: takenKPJ})
	ask := h.updateAt(t0.Add(4*time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison})
	h.signalAt(t0.Add(5*time.Hour), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: liaison, KPJ: kpj})
	h.standardAfterInsurance()
	s := h.run()

	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckKPJConflict, stuck.StuckCode)
	require.Contains(t, stuck.StuckReason, "belongs to case "+otherCase)
	require.Contains(t, stuck.StuckReason, "next batch file")
	ask.requireRejected(t, "batch exchange")
	refused := h.eventsOf("refused")
	require.Len(t, refused, 1)
	require.Contains(t, refused[0].Detail, "KPJ "+takenKPJ+" belongs to case "+otherCase)

	claims := inputs[contract.NumberClaimInput](h, "ClaimNumber")
	require.True(t, claims[0].Batch, "a batch KPJ is claimed as one")
	require.Equal(t, takenKPJ, claims[0].Number)
	require.Equal(t, kpj, claims[1].Number)
	require.Equal(t, 1, h.count("QueueBatchRegistration"))
	require.Equal(t, kpj, s.Insurance.KPJ)
	require.Equal(t, t0.Add(5*time.Hour), h.eventsOf("insured")[0].At)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireNeverShown(takenKPJ)
	h.requireReadModelConsistent()
}

// The LSP issues a certificate whose number belongs to another case: stuck
// certificate-conflict on the LSP certification manager. Asking the LSP again is a new issuance
// key; its refusal is logged and the case keeps waiting; a corrected number given by the
// manager is claimed and becomes the certificate's.
func TestCertificateConflictStuckUntilResolved(t *testing.T) {
	h := newHarness(t)
	h.claimNum = heldBy("CERT-0001")
	h.issue = func(n int, in contract.CertificateInput) (partners.Certificate, error) {
		if n == 2 {
			return partners.Certificate{}, temporal.NewNonRetryableApplicationError("record under review", contract.ErrTypeData, nil)
		}
		return partners.Certificate{Number: "CERT-0001", IssueDate: in.IssueDate}, nil
	}
	decided := assessDate(1).Add(day)
	h.standardAfterInsurance()
	stuck := h.stateAt(decided.Add(time.Hour))
	liaisonTry := h.updateAt(decided.Add(2*time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison})
	again := h.updateAt(decided.Add(3*time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: manager})
	afterRefusal := h.stateAt(decided.Add(4 * time.Hour))
	fixed := h.updateAt(decided.Add(5*time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: manager, Number: "LSP-LOGAM/2025/000042"})
	s := h.run()

	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckCertificateConflict, stuck.StuckCode)
	require.Equal(t, vocab.WaitingLSPManager, stuck.WaitingOn)
	require.Equal(t, vocab.StageCertification, stuck.Stage)
	require.Contains(t, stuck.StuckReason, "certificate CERT-0001 for case "+caseID)
	require.Contains(t, stuck.StuckReason, "belongs to case "+otherCase)
	require.Nil(t, stuck.Certification.Certificate)
	u := wf.WhoUnblocks(stuck.StuckCode, stuck.WaitingOn, h.in.CentreCode, h.in.LSPCode)
	require.Equal(t, vocab.RoleLSPManager, u.Role)
	require.Equal(t, h.in.LSPCode, u.Scope)

	liaisonTry.requireRejected(t, "may not")
	again.requireAccepted(t)
	require.True(t, afterRefusal.Stuck, "a refused re-issue leaves the conflict open")
	require.Equal(t, vocab.StuckCertificateConflict, afterRefusal.StuckCode)
	fixed.requireAccepted(t)

	issues := inputs[contract.CertificateInput](h, "IssueCertificate")
	require.Len(t, issues, 2)
	require.Equal(t, caseID+"-cert", issues[0].IdempotencyKey)
	require.Equal(t, caseID+"-cert-again-1", issues[1].IdempotencyKey)
	require.NotNil(t, s.Certification.Certificate)
	require.Equal(t, "LSP-LOGAM/2025/000042", s.Certification.Certificate.Number)
	require.Nil(t, s.Certification.Conflict)
	requireOrder(t, h.kinds(), "certification-approved", "certificate-conflict", "stuck", "conflict-resolution",
		"certificate-reissue-refused", "conflict-resolution", "unstuck", "certified")
	require.Contains(t, h.eventsOf("certificate-reissue-refused")[0].Detail, "record under review")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireNeverShown("CERT-0001")
	h.requireReadModelConsistent()
}

// A withdrawal while a KPJ conflict is open closes the case; there is no coverage of the case's
// own to end.
func TestWithdrawalDuringKPJConflict(t *testing.T) {
	h := newHarness(t)
	h.claimNum = heldBy(kpj)
	h.updateAt(t0.Add(time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "moved away"})
	s := h.run()
	require.Equal(t, vocab.OutcomeWithdrawn, s.Outcome)
	require.Empty(t, s.Insurance.KPJ)
	require.Zero(t, h.count("EndCoverage"))
	require.False(t, s.Stuck)
}

// Journeys of the revisions before RevisionAudited keep their path: they claim nothing, and
// there is never a conflict to resolve.
func TestOlderRevisionClaimsNoNumbers(t *testing.T) {
	h := newHarness(t)
	h.in.Revision = wf.RevisionAudited - 1
	h.claimNum = heldBy(kpj, "CERT-0001")
	u := h.updateAt(t0.Add(time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison, Number: "1"})
	h.standardAfterInsurance()
	s := h.run()
	u.requireRejected(t, "nothing to resolve")
	require.Zero(t, h.count("ClaimNumber"))
	require.Equal(t, kpj, s.Insurance.KPJ)
	require.Equal(t, "CERT-0001", s.Certification.Certificate.Number)
}

// While a resolution is being applied (BPJS asked again and still failing), a second one is
// refused; the case takes the KPJ of the registration asked again.
func TestSecondResolutionRefusedWhileTheFirstIsApplied(t *testing.T) {
	h := newHarness(t)
	h.register = func(n int, _ contract.InsuranceInput) (partners.Coverage, error) {
		switch n {
		case 1:
			return partners.Coverage{KPJ: takenKPJ}, nil
		case 2, 3:
			return partners.Coverage{}, errors.New("bpjs register: 503 Service Unavailable")
		}
		return partners.Coverage{KPJ: kpj}, nil
	}
	h.claimNum = heldBy(takenKPJ)
	first := h.updateAt(t0.Add(time.Hour), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison})
	second := h.updateAt(t0.Add(time.Hour+time.Second), wf.UpdateResolveNumberConflict, wf.NumberResolution{Actor: liaison, Number: "23000000009"})
	h.standardAfterInsurance()
	s := h.run()

	first.requireAccepted(t)
	second.requireRejected(t, "being applied")
	require.Equal(t, 4, h.count("RegisterInsurance"))
	require.Equal(t, kpj, s.Insurance.KPJ)
	require.Len(t, h.eventsOf("conflict-resolution"), 1)
}
