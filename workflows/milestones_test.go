package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/store"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// firstRowWith returns the first read-model write for which cond holds.
func (h *harness) firstRowWith(cond func(store.Case) bool) (store.Case, bool) {
	for _, w := range h.writes() {
		if cond(w.Case) {
			return w.Case, true
		}
	}
	return store.Case{}, false
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
	require.Equal(t, store.Milestones{
		Enrolled: true, Insured: true, Graduated: true, Assessed: true, Competent: true, Certified: true,
		GraduatedOn: &trainEnd, PlacementCategory: wf.PlacementFormal, PlacedOn: ptr(formal().Start),
	}, last.Milestones)

	// Each milestone first appears in the stage where it is reached, never earlier.
	firstIn := map[string]func(store.Case) bool{
		"insurance":     func(c store.Case) bool { return c.Insured },
		"training":      func(c store.Case) bool { return c.Graduated },
		"assessment":    func(c store.Case) bool { return c.Competent },
		"certification": func(c store.Case) bool { return c.Certified },
		"placement":     func(c store.Case) bool { return c.PlacementCategory != "" },
	}
	for stage, cond := range firstIn {
		row, ok := h.firstRowWith(cond)
		require.True(t, ok, stage)
		require.Equal(t, stage, row.Stage, "first row with the %s milestone", stage)
	}
	// Once reached, a milestone is never lost.
	seen := store.Milestones{}
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
		require.Equal(t, store.Milestones{}, h.lastRow().Milestones)
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
