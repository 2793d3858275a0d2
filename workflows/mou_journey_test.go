package workflows_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

func lspChecks(h *harness) []time.Time {
	var out []time.Time
	for _, q := range inputs[contract.AgreementQuery](h, "FindAgreement") {
		if q.PartnerCode == "LSP-LOGAM" {
			out = append(out, q.On)
		}
	}
	return out
}

// A journey waiting for a missing LSP agreement continues as soon as an agreement workflow tells
// it one became active, not at its next (slow) poll; a nudge while the agreement is still
// missing costs one check and leaves the case waiting with its reason.
func TestJourneyResumesWhenAgreementSignalled(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.AgreementPoll = 24 * time.Hour
	h.graduate()
	signed := trainEnd.Add(5 * time.Hour)
	var active atomic.Bool
	h.agreement = func(_ int, q contract.AgreementQuery) (contract.AgreementResult, error) {
		if q.PartnerCode == "LSP-LOGAM" && !active.Load() {
			return contract.AgreementResult{}, nil
		}
		return contract.AgreementResult{Found: true, Number: "MOU/LSP-LOGAM/2025"}, nil
	}
	notice := wf.AgreementNotice{Number: "MOU/LSP-LOGAM/2025", PartnerCode: "LSP-LOGAM"}
	h.signalAt(trainEnd.Add(2*time.Hour), wf.SignalAgreementChanged, wf.AgreementNotice{Number: "PKS/OTHER", PartnerCode: "LSP-LOGAM"})
	stillStuck := h.stateAt(trainEnd.Add(3 * time.Hour))
	h.at(signed, func() {
		active.Store(true)
		h.env.SignalWorkflow(wf.SignalAgreementChanged, notice)
	})
	released := h.stateAt(signed.Add(time.Minute))
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.True(t, stillStuck.Stuck, "a nudge while nothing covers the case leaves it waiting")
	require.Equal(t, vocab.StuckNoAgreement, stillStuck.StuckCode)
	require.Equal(t, "no active MoU with LSP-LOGAM for centre BLK-SDA and scheme SKM-LAS-SMAW", stillStuck.StuckReason)
	require.Equal(t, vocab.WaitingAgreement, stillStuck.WaitingOn)

	require.Equal(t, []time.Time{trainEnd, trainEnd, trainEnd.Add(2 * time.Hour), signed}, lspChecks(h),
		"checked at the start, once more when marked waiting, and at each nudge; never by the 24h poll")
	require.Equal(t, signed, h.callTimes("RequestAssessment")[0], "released the moment the agreement was signalled")
	require.False(t, released.Stuck)
	require.NotEqual(t, vocab.WaitingAgreement, released.WaitingOn)
	un := h.eventsOf("unstuck")
	require.Len(t, un, 1)
	require.Equal(t, signed, un[0].At)
	require.Equal(t, "MOU/LSP-LOGAM/2025", s.Assessment.Agreement)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireReadModelConsistent()
}

// An agreement made active between the first check and the read model saying the case waits
// told nobody: the immediate re-check finds it, without a nudge or a poll.
func TestJourneyRechecksOnceMarkedWaiting(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.AgreementPoll = 24 * time.Hour
	h.graduate()
	h.agreement = func(n int, q contract.AgreementQuery) (contract.AgreementResult, error) {
		if q.PartnerCode == "LSP-LOGAM" && len(lspChecks(h)) == 1 {
			return contract.AgreementResult{}, nil // only the first LSP check misses
		}
		return contract.AgreementResult{Found: true, Number: "MOU-" + q.PartnerCode}, nil
	}
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()
	require.Equal(t, []time.Time{trainEnd, trainEnd}, lspChecks(h))
	require.Equal(t, trainEnd, h.callTimes("RequestAssessment")[0])
	require.Len(t, h.eventsOf("stuck"), 1)
	require.Len(t, h.eventsOf("unstuck"), 1)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

// A nudge that reaches a journey not waiting for an agreement changes nothing: no check, no
// event, the same path.
func TestAgreementNudgeOutsideTheWaitChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.signalAt(trainStart.Add(2*day), wf.SignalAgreementChanged, wf.AgreementNotice{Number: "MOU-X", PartnerCode: "LSP-LOGAM"})
	h.standardAfterInsurance()
	s := h.run()
	require.Equal(t, 2, h.count("FindAgreement"), "one check for the insurer, one for the LSP")
	require.Empty(t, h.eventsOf("stuck"))
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	h.requireReadModelConsistent()
}
