package workflows_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// failTimes makes RegisterInsurance fail with a transient error n times, then succeed.
func failTimes(n int) func(int, contract.InsuranceInput) (partners.Coverage, error) {
	return func(call int, _ contract.InsuranceInput) (partners.Coverage, error) {
		if call <= n {
			return partners.Coverage{}, errors.New("bpjs register: 503 Service Unavailable")
		}
		return partners.Coverage{KPJ: kpj}, nil
	}
}

// backoff is the total retry delay of the partner retry policy before attempt n+1.
func backoff(n int) time.Duration {
	var d, step time.Duration = 0, 2 * time.Second
	for i := 0; i < n; i++ {
		d += min(step, 10*time.Minute)
		step *= 2
	}
	return d
}

func TestInsuranceTransientFailuresRetriedWithSameKey(t *testing.T) {
	h := newHarness(t)
	h.register = failTimes(4)
	h.standardAfterInsurance()
	s := h.run()

	regs := inputs[contract.InsuranceInput](h, "RegisterInsurance")
	require.Len(t, regs, 5)
	for _, r := range regs {
		require.Equal(t, caseID+"-bpjs-0", r.IdempotencyKey, "a retry must reuse the idempotency key")
	}
	times := h.callTimes("RegisterInsurance")
	require.Equal(t, t0.Add(backoff(4)), times[4], "retries back off 2s, 4s, 8s, 16s")
	require.Equal(t, kpj, s.Insurance.KPJ)
	require.Len(t, h.eventsOf("insured"), 1)
	require.Empty(t, h.eventsOf("stuck"), "a short outage inside the SLA does not flag the case")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

func TestInsuranceSLAPassesWhileBPJSFails(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.SLA.Insurance = 5 * time.Minute
	h.register = failTimes(9) // the unit-test environment allows 10 attempts; 9 failures last ~17 minutes
	stuck := h.stateAt(t0.Add(6 * time.Minute))
	h.standardAfterInsurance()
	s := h.run()

	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckPartnerFailing, stuck.StuckCode)
	require.Contains(t, stuck.StuckReason, "waiting on BPJS Ketenagakerjaan for more than 5m")
	require.Equal(t, vocab.WaitingBPJS, stuck.WaitingOn)
	require.Equal(t, vocab.StageInsurance, stuck.Stage)

	regs := inputs[contract.InsuranceInput](h, "RegisterInsurance")
	require.Len(t, regs, 10)
	for _, r := range regs {
		require.Equal(t, caseID+"-bpjs-0", r.IdempotencyKey)
	}
	st := h.eventsOf("stuck")
	require.Len(t, st, 1)
	require.Equal(t, t0.Add(5*time.Minute), st[0].At)
	un := h.eventsOf("unstuck")
	require.Len(t, un, 1)
	require.Equal(t, t0.Add(backoff(9)), un[0].At, "cleared when the registration succeeds")
	requireOrder(t, h.kinds(), "stage", "stuck", "unstuck", "insured", "stage")
	require.False(t, s.Stuck)
	require.False(t, s.Insurance.LateForStart)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireReadModelConsistent()
}

func TestInsuranceDataErrorWaitsForCorrection(t *testing.T) {
	h := newHarness(t)
	h.register = func(n int, in contract.InsuranceInput) (partners.Coverage, error) {
		if n == 1 {
			return partners.Coverage{}, temporal.NewNonRetryableApplicationError("NIK dan nama tidak cocok", contract.ErrTypeData, nil)
		}
		return partners.Coverage{KPJ: kpj}, nil
	}
	waiting := h.stateAt(t0.Add(time.Hour))
	noop := h.updateAt(t0.Add(time.Hour), wf.UpdateCorrectParticipant, wf.Correction{Actor: assessor})
	// The correction comes after the correction SLA (72h): the case is flagged meanwhile.
	stuck := h.stateAt(t0.Add(73 * time.Hour))
	fix := h.updateAt(t0.Add(74*time.Hour), wf.UpdateCorrectParticipant, wf.Correction{Actor: admin, Note: "name spelled as on the KTP"})
	late := h.updateAt(t0.Add(75*time.Hour), wf.UpdateCorrectParticipant, wf.Correction{Actor: admin})
	h.standardAfterInsurance()
	s := h.run()

	require.Equal(t, vocab.StageInsurance, waiting.Stage)
	require.Equal(t, vocab.WaitingCorrection, waiting.WaitingOn)
	require.Equal(t, "NIK dan nama tidak cocok", waiting.Insurance.DataError)
	require.Empty(t, waiting.Insurance.KPJ)
	noop.requireRejected(t, "may not")
	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckCorrectionOverdue, stuck.StuckCode)
	require.Contains(t, stuck.StuckReason, "NIK dan nama tidak cocok")

	fix.requireAccepted(t)
	late.requireRejected(t, "cannot correct participant data")

	regs := inputs[contract.InsuranceInput](h, "RegisterInsurance")
	require.Len(t, regs, 2, "a data error is not retried until corrected")
	require.Equal(t, caseID+"-bpjs-0", regs[0].IdempotencyKey)
	require.Equal(t, caseID+"-bpjs-1", regs[1].IdempotencyKey, "a corrected record is a new registration")
	require.Equal(t, t0.Add(74*time.Hour), h.callTimes("RegisterInsurance")[1])

	require.Equal(t, kpj, s.Insurance.KPJ)
	require.Equal(t, 1, s.Insurance.Corrections)
	require.Empty(t, s.Insurance.DataError)
	requireOrder(t, h.kinds(), "insurance-data-error", "stuck", "corrected", "unstuck", "insured")
	c := h.eventsOf("corrected")
	require.Len(t, c, 1)
	require.Equal(t, admin.ID, c[0].ActorID)
	require.Contains(t, c[0].Detail, "name spelled as on the KTP")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireReadModelConsistent()
}

func TestCorrectionRefusedWithoutDataError(t *testing.T) {
	h := newHarness(t)
	h.register = failTimes(3)
	// During the retries of a transient failure there is nothing to correct.
	u := h.updateAt(t0.Add(3*time.Second), wf.UpdateCorrectParticipant, wf.Correction{Actor: admin})
	h.updateAt(t0.Add(time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()
	u.requireRejected(t, "nothing to correct")
	require.Equal(t, vocab.OutcomeWithdrawn, s.Outcome)
	require.Empty(t, h.eventsOf("corrected"))
}

func TestInsuranceNotActiveByFirstTrainingDay(t *testing.T) {
	h := newHarness(t)
	h.in.Start = t0.Add(5 * time.Minute)
	h.in.End = h.in.Start.AddDate(0, 0, 27)
	h.register = failTimes(9) // registered after ~17 minutes, past the start
	stuck := h.stateAt(t0.Add(6 * time.Minute))
	h.updateAt(t0.Add(day), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "never showed up"})
	s := h.run()

	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckInsuranceNotActive, stuck.StuckCode)
	require.Equal(t, "insurance not active by the first training day", stuck.StuckReason)
	require.Equal(t, t0.Add(5*time.Minute), *stuck.StuckSince)

	require.True(t, s.Insurance.LateForStart)
	ins := h.eventsOf("insured")
	require.Len(t, ins, 1)
	require.Contains(t, ins[0].Detail, "after the first training day")
	requireOrder(t, h.kinds(), "stuck", "unstuck", "insured", "stage", "training-started")
	require.Equal(t, t0.Add(backoff(9)), h.eventsOf("unstuck")[0].At)
	// Training had already begun, so a withdrawal is a drop-out and ends the coverage.
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
	require.Equal(t, 1, h.count("EndCoverage"))
}

func TestInsuranceAlreadyLateWhenApprovedAfterStart(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	h.in.Start = t0.Add(time.Hour)
	h.in.End = h.in.Start.AddDate(0, 0, 27)
	h.in.Settings.SLA.EnrolmentApproval = 5 * day
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	h.updateAt(t0.Add(3*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()
	// The registration answered at once, so the start-date flag never showed, but the case
	// records that coverage began after the first training day.
	require.True(t, s.Insurance.LateForStart)
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
}

func TestBatchAdapterWaitsForKPJSignal(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.InsuranceAdapter = "batch"
	waiting := h.stateAt(t0.Add(30 * time.Minute))
	h.signalAt(t0.Add(time.Hour), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: assessor, KPJ: "99999999999"})
	h.signalAt(t0.Add(90*time.Minute), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: liaison, KPJ: "   "})
	still := h.stateAt(t0.Add(2 * time.Hour))
	h.signalAt(t0.Add(3*time.Hour), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: liaison, KPJ: " 98765432100 "})
	h.signalAt(t0.Add(4*time.Hour), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: liaison, KPJ: "11111111111"})
	h.standardAfterInsurance()
	s := h.run()

	queued := inputs[contract.InsuranceInput](h, "QueueBatchRegistration")
	require.Len(t, queued, 1)
	require.Equal(t, caseID+"-bpjs-0", queued[0].IdempotencyKey)
	require.Equal(t, wf.WorkflowIDFor(h.in.PackageCode, h.in.NIKHash), queued[0].WorkflowID)
	require.Zero(t, h.count("RegisterInsurance"))

	require.Equal(t, vocab.StageInsurance, waiting.Stage)
	require.Equal(t, vocab.WaitingBatchFile, waiting.WaitingOn, "waiting for the liaison's file, not on a BPJS call")
	require.True(t, waiting.Insurance.Queued)
	require.Equal(t, vocab.StageInsurance, still.Stage)
	require.Empty(t, still.Insurance.KPJ)

	refused := h.eventsOf("refused")
	require.Len(t, refused, 3, "bad role, empty KPJ, and a second KPJ after the case moved on")
	require.Equal(t, assessor.ID, refused[0].ActorID)
	require.Equal(t, assessor.Role, refused[0].ActorRole)
	require.Contains(t, refused[0].Detail, "kpj-delivered refused")
	require.Contains(t, refused[0].Detail, `role "assessor" may not`)
	require.Contains(t, refused[1].Detail, "kpj is required")
	require.Contains(t, refused[2].Detail, "cannot deliver a KPJ")
	requireRefusedWords(t, refused[0], "refusal.role", "may not")
	require.Equal(t, "assessor", refused[0].Params["why.role"])
	requireRefusedWords(t, refused[1], "refusal.kpj-required", "is required")
	requireRefusedWords(t, refused[2], "refusal.stage", "cannot deliver")

	got := h.eventsOf("kpj-delivered")
	require.Len(t, got, 1)
	require.Equal(t, liaison.ID, got[0].ActorID)
	require.Equal(t, t0.Add(3*time.Hour), got[0].At)
	require.Equal(t, "98765432100", s.Insurance.KPJ)
	require.False(t, s.Insurance.Queued)
	requireOrder(t, h.kinds(), "insurance-queued", "refused", "refused", "kpj-delivered", "insured", "stage")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireReadModelConsistent()
}

// A registration waiting for the batch file past the SLA is stuck waiting for the file, with
// who sends it and how, not "partner failing" (which sent people to retry a call that does not
// exist); journeys of earlier revisions keep their old marking.
func TestBatchAdapterKPJLateMarksStuck(t *testing.T) {
	for _, tc := range []struct {
		revision int
		code     vocab.Reason
		waiting  vocab.Party
		says     string
	}{
		{wf.RevisionAudited, vocab.StuckBatchFileOverdue, vocab.WaitingBatchFile,
			"waiting for the BPJS batch file for more than 24h: the BPJS liaison should send the pending registrations to the BPJS branch office (kompeten insurance export)"},
		{wf.RevisionLean, vocab.StuckPartnerFailing, vocab.WaitingBPJS, "waiting on BPJS Ketenagakerjaan for more than 24h"},
	} {
		t.Run(fmt.Sprintf("revision %d", tc.revision), func(t *testing.T) {
			h := newHarness(t)
			h.in.Revision = tc.revision
			h.in.Settings.InsuranceAdapter = "batch"
			stuckSLA := h.stateAt(t0.Add(25 * time.Hour))
			stuckStart := h.stateAt(trainStart.Add(time.Hour))
			h.signalAt(trainStart.Add(2*time.Hour), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: wf.Actor{ID: "bpjs-file", Role: vocab.RoleSystem}, KPJ: kpj})
			h.updateAt(trainStart.Add(3*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
			s := h.run()

			require.Equal(t, tc.code, stuckSLA.StuckCode)
			require.Equal(t, tc.waiting, stuckSLA.WaitingOn)
			require.Contains(t, stuckSLA.StuckReason, tc.says)
			require.Equal(t, vocab.StuckInsuranceNotActive, stuckStart.StuckCode, "a later deadline replaces the reason")
			require.Equal(t, t0.Add(24*time.Hour), *stuckStart.StuckSince, "stuck since the first deadline")
			require.Len(t, h.eventsOf("stuck"), 2)
			require.Len(t, h.eventsOf("unstuck"), 1)
			require.True(t, s.Insurance.LateForStart)
			require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
		})
	}
}

func TestWithdrawWhileWaitingForBatchKPJ(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.InsuranceAdapter = "batch"
	h.updateAt(t0.Add(time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "moved away"})
	s := h.run()
	require.Equal(t, vocab.OutcomeWithdrawn, s.Outcome)
	require.Zero(t, h.count("EndCoverage"), "no KPJ, nothing to end")
}

func TestNoInsuranceAgreementWaitsAndFlags(t *testing.T) {
	h := newHarness(t)
	h.agreement = func(n int, q contract.AgreementQuery) (contract.AgreementResult, error) {
		// Missing for the first check, the re-check once marked as waiting, and the first poll.
		if q.PartnerCode == "BPJSTK" && n <= 3 {
			return contract.AgreementResult{}, nil
		}
		return contract.AgreementResult{Found: true, Number: "MOU-" + q.PartnerCode}, nil
	}
	stuck := h.stateAt(t0.Add(30 * time.Minute))
	h.standardAfterInsurance()
	s := h.run()

	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckNoAgreement, stuck.StuckCode)
	require.Equal(t, "no active MoU with BPJSTK for centre BLK-SDA", stuck.StuckReason)
	require.Equal(t, vocab.WaitingAgreement, stuck.WaitingOn)
	require.Equal(t, t0.Add(2*time.Hour), h.callTimes("RegisterInsurance")[0])
	require.Equal(t, "MOU-BPJSTK", s.Insurance.Agreement)
	require.Len(t, h.eventsOf("stuck"), 1)
	require.Len(t, h.eventsOf("unstuck"), 1)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

// A withdrawal while the registration is still being retried waits for the registration to
// settle, then ends the coverage at once: no registration is left behind at BPJS.
func TestWithdrawWhileRegistrationRetries(t *testing.T) {
	h := newHarness(t)
	h.register = failTimes(6)
	u := h.updateAt(t0.Add(10*time.Second), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "moved away"})
	s := h.run()
	u.requireAccepted(t)
	require.Equal(t, vocab.OutcomeWithdrawn, s.Outcome)
	ends := inputs[contract.EndCoverageInput](h, "EndCoverage")
	require.Len(t, ends, 1)
	require.Equal(t, kpj, ends[0].KPJ)
	requireOrder(t, h.kinds(), "withdrawal", "insured", "coverage-ended", "closed")
	require.NotContains(t, h.kinds(), "training-started")
}

func TestSignalsInTheWrongStageAreRefused(t *testing.T) {
	h := newHarness(t)
	h.signalAt(t0.Add(time.Hour), wf.SignalAssessmentResult, record("AS-1", allK(units...)))
	h.signalAt(t0.Add(time.Hour), wf.SignalKPJDelivered, wf.KPJDelivery{Actor: liaison, KPJ: "22222222222"})
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()
	refused := h.eventsOf("refused")
	require.Len(t, refused, 2)
	require.Contains(t, refused[0].Detail, "assessment-result refused: cannot record an assessment result")
	require.Contains(t, refused[1].Detail, "kpj-delivered refused: cannot deliver a KPJ")
	require.Equal(t, kpj, s.Insurance.KPJ, "the KPJ from the API stands")
}
