package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// A result must give K or BK for every unit of the scheme, once each: a partial one is refused
// naming the missing units, whether a person sends it (update) or a partner file (signal), and
// so are unknown and repeated units. Nothing changes until a complete result comes.
func TestPartialResultRefusedNamingTheMissingUnits(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	at := assessDate(1).Add(time.Hour)
	before := h.stateAt(at.Add(-time.Minute))
	partial := h.updateAt(at, wf.UpdateRecordAssessment, record("AS-1", allK("LAS.01", "LAS.02")))
	unknown := h.updateAt(at, wf.UpdateRecordAssessment, record("AS-1", allK("LAS.01", "LAS.02", "LAS.03", "LAS.99")))
	twice := h.updateAt(at, wf.UpdateRecordAssessment, record("AS-1", allK("LAS.01", "LAS.02", "LAS.03", "LAS.01")))
	h.signalAt(at.Add(time.Minute), wf.SignalAssessmentResult,
		wf.AssessmentResult{Actor: lspSystem, AssessmentID: "AS-1", AssessorID: "asr-007", Units: allK("LAS.02")})
	after := h.stateAt(at.Add(2 * time.Minute))
	whole := h.updateAt(at.Add(time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	partial.requireRejected(t, "missing units LAS.03")
	require.Contains(t, partial.rejected.Error(), "this assessment covers LAS.01, LAS.02, LAS.03")
	unknown.requireRejected(t, "units not in this assessment LAS.99")
	twice.requireRejected(t, "units given twice LAS.01")
	refused := h.eventsOf("refused")
	require.Len(t, refused, 1, "the partner file's partial result is refused in the log")
	require.Contains(t, refused[0].Detail, "missing units LAS.01, LAS.03")
	require.Equal(t, before.Version+1, after.Version, "only the signal's refusal was written")
	require.Empty(t, after.Assessment.Results)
	whole.requireAccepted(t)
	require.Equal(t, units, s.Assessment.Units)
	require.True(t, *s.Assessment.Competent)
	require.NotNil(t, s.Certification.Certificate)
}

// A re-assessment covers the BK units, and its result must give exactly those; competent is K
// on every unit of the scheme across the attempts.
func TestReassessmentResultCoversTheBKUnits(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", mixed()))
	at := assessDate(2).Add(time.Hour)
	again := h.updateAt(at, wf.UpdateRecordAssessment, record("AS-2", allK(units...)))
	half := h.updateAt(at, wf.UpdateRecordAssessment, record("AS-2", allK("LAS.02")))
	bk := h.updateAt(at.Add(time.Hour), wf.UpdateRecordAssessment,
		record("AS-2", []wf.UnitResult{{Unit: "LAS.02", Result: "K"}, {Unit: "LAS.03", Result: "K"}}))
	h.updateAt(assessDate(2).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	again.requireRejected(t, "units not in this assessment LAS.01")
	half.requireRejected(t, "missing units LAS.03")
	bk.requireAccepted(t)
	reqs := inputs[contract.AssessmentInput](h, "RequestAssessment")
	require.Equal(t, []string{"LAS.02", "LAS.03"}, reqs[1].Units)
	require.True(t, *s.Assessment.Competent, "LAS.01 K from the first attempt, the others from the second")
	require.Empty(t, s.Assessment.BKUnits)
	c := h.eventsOf("competent")
	require.Len(t, c, 1)
	require.Contains(t, c[0].Detail, "every unit of SKM-LAS-SMAW (3 units)")
}

// Competent needs K on every unit: BK on one unit after the last re-assessment is not competent,
// and no certificate is asked for.
func TestOneBKUnitLeftIsNotCompetent(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
		record("AS-1", []wf.UnitResult{{Unit: "LAS.01", Result: "K"}, {Unit: "LAS.02", Result: "K"}, {Unit: "LAS.03", Result: "BK"}}))
	h.updateAt(assessDate(2).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-2", []wf.UnitResult{{Unit: "LAS.03", Result: "BK"}}))
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.False(t, *s.Assessment.Competent)
	require.Equal(t, []string{"LAS.03"}, s.Assessment.BKUnits)
	require.Zero(t, h.count("IssueCertificate"))
	require.False(t, h.lastRow().Milestones.Competent)
}

// The LSP poller's result is held to the same rule; the same partial result answered at every
// poll is logged once, and a complete one is taken.
func TestPolledPartialResultRefusedOnce(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.fetch = func(n int, in contract.ResultInput) (contract.ResultOutput, error) {
		us := []partners.UnitResult{{Unit: "LAS.01", Result: "K"}, {Unit: "LAS.02", Result: "K"}}
		if n >= 4 {
			us = append(us, partners.UnitResult{Unit: "LAS.03", Result: "K"})
		}
		return contract.ResultOutput{Ready: true, Result: partners.AssessmentResult{AssessmentID: in.AssessmentID, Assessor: "asr-007", Units: us}}, nil
	}
	h.updateAt(assessDate(1).Add(2*day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.Equal(t, 4, h.count("FetchAssessmentResult"))
	refused := h.eventsOf("refused")
	require.Len(t, refused, 1, "three polls answered the same partial result")
	require.Contains(t, refused[0].Detail, "LSP result refused")
	require.Contains(t, refused[0].Detail, "missing units LAS.03")
	require.Equal(t, "lsp-api", s.Assessment.Results[0].RecordedBy.ID)
	require.True(t, *s.Assessment.Competent)
}

// A package whose scheme has no units of competence does not pass silently: the case waits at
// the assessment, stuck on the coordinator, until the units are there, then goes on.
func TestSchemeWithoutUnitsWaitsForThem(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.scheme = func(_ int, q contract.SchemeQuery) (contract.SchemeUnits, error) {
		if h.env.Now().Before(trainEnd.Add(150 * time.Minute)) {
			return contract.SchemeUnits{}, nil
		}
		return contract.SchemeUnits{Found: true, Units: units}, nil
	}
	stuck := h.stateAt(trainEnd.Add(30 * time.Minute))
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckSchemeUnitsMissing, stuck.StuckCode)
	require.Equal(t, vocab.WaitingSchemeUnits, stuck.WaitingOn)
	require.Contains(t, stuck.StuckReason, "scheme SKM-LAS-SMAW has no units of competence")
	require.Equal(t, vocab.RoleCoordinator, wf.WhoUnblocks(stuck.StuckCode, stuck.WaitingOn, "BLK-SDA", "LSP-LOGAM").Role)
	require.Zero(t, inputs[contract.AssessmentInput](h, "RequestAssessment")[0].NotBefore.Sub(trainEnd))
	require.Equal(t, trainEnd.Add(3*time.Hour), h.callTimes("RequestAssessment")[0], "asked again every agreement poll (1h)")
	require.Equal(t, 4, h.count("LoadSchemeUnits"))
	require.True(t, *s.Assessment.Competent)
	require.Len(t, h.eventsOf("unstuck"), 1)
	h.requireReadModelConsistent()
}
