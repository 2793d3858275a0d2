package workflows_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// firstRowWith returns the first read-model write for which cond holds.
func (h *harness) firstRowWith(cond func(contract.CaseRow) bool) (contract.CaseRow, bool) {
	for _, w := range h.writes() {
		if cond(w.Case) {
			return w.Case, true
		}
	}
	return contract.CaseRow{}, false
}

// The read model learns each milestone when the case reaches it, and keeps it: the funnel and
// the placement rates count these columns.
func TestMilestonesFollowTheJourney(t *testing.T) {
	h := newHarness(t)
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	h.run()

	last := h.lastRow()
	issued := assessDate(1).Add(day) // the certificate is issued when the manager approves it
	require.Equal(t, contract.Milestones{
		Enrolled: true, Insured: true, Graduated: true, Assessed: true, Competent: true, Certified: true,
		GraduatedOn: &trainEnd, PlacementCategory: vocab.PlacementFormal, PlacedOn: ptr(formal().Start),
		CertificateIssuedOn: &issued, CertificateExpiresOn: ptr(issued.AddDate(3, 0, 0)), // the scheme's three years
	}, last.Milestones)

	// No milestone shows before the case reached the stage where it is earned (however the
	// writes are batched), and each shows by the end of that stage.
	order := []vocab.Stage{"enrolment", "insurance", "training", "assessment", "certification", "placement", "closed"}
	earnedIn := []struct {
		stage vocab.Stage
		has   func(contract.CaseRow) bool
	}{
		{"insurance", func(c contract.CaseRow) bool { return c.Insured }},
		{"training", func(c contract.CaseRow) bool { return c.Graduated }},
		{"assessment", func(c contract.CaseRow) bool { return c.Assessed && c.Competent }},
		{"certification", func(c contract.CaseRow) bool { return c.Certified }},
		{"placement", func(c contract.CaseRow) bool { return c.PlacementCategory != "" }},
	}
	for _, m := range earnedIn {
		earned := slices.Index(order, m.stage)
		for _, w := range h.writes() {
			if at := slices.Index(order, w.Case.Stage); at < earned && m.has(w.Case) {
				t.Fatalf("the %s milestone shows at version %d, in stage %s", m.stage, w.Case.Version, w.Case.Stage)
			}
		}
		row, ok := h.firstRowWith(m.has)
		require.True(t, ok, m.stage)
		require.LessOrEqual(t, slices.Index(order, row.Stage), earned+1, "the %s milestone shows late, in %s", m.stage, row.Stage)
	}
	// Once reached, a milestone is never lost.
	seen := contract.Milestones{}
	for _, w := range h.writes() {
		m := w.Case.Milestones
		require.False(t, seen.Enrolled && !m.Enrolled || seen.Insured && !m.Insured || seen.Graduated && !m.Graduated ||
			seen.Assessed && !m.Assessed || seen.Competent && !m.Competent || seen.Certified && !m.Certified,
			"milestone lost at version %d", w.Case.Version)
		seen = m
	}
}

func TestMilestonesOfRejectedAndNotCompetentCases(t *testing.T) {
	t.Run("rejected", func(t *testing.T) {
		h := newHarness(t)
		h.in.AutoApprove = false
		h.updateAt(t0.Add(time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Reason: "duplicate"})
		h.run()
		require.Equal(t, contract.Milestones{}, h.lastRow().Milestones)
	})
	t.Run("not competent", func(t *testing.T) {
		h := newHarness(t)
		h.in.Settings.ReassessAttempts = 0
		h.graduate()
		h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", mixed()))
		h.run()
		m := h.lastRow().Milestones
		require.True(t, m.Enrolled && m.Insured && m.Graduated && m.Assessed, "%+v", m)
		require.False(t, m.Competent || m.Certified, "%+v", m)
		require.Empty(t, m.PlacementCategory)
		require.Equal(t, trainEnd, *m.GraduatedOn)
	})
}

func ptr[T any](v T) *T { return &v }
