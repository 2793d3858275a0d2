package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

func floatp(v float64) *float64 { return &v }
func boolp(v bool) *bool        { return &v }

// withdrawAt ends a test's journey at t.
func (h *harness) withdrawAt(t time.Time) {
	h.updateAt(t, wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
}

// Dates moved while the journey waits for the first training day: it wakes, waits for the new
// first day, counts the new training days and graduates on the new last day.
func TestPackageChangeMovesDatesBeforeTraining(t *testing.T) {
	h := newHarness(t)
	newStart, newEnd := trainStart.Add(7*day), trainEnd.Add(10*day)
	change := h.updateAt(t0.Add(3*day), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator,
		Start: dp(newStart), End: dp(newEnd), TrainingDays: intp(25)})
	oldDay := h.stateAt(trainStart.Add(time.Hour))
	att := h.attendance(newStart.Add(day), 25)
	h.withdrawAt(newEnd.Add(2 * day))
	s := h.run()

	change.requireAccepted(t)
	require.Contains(t, change.result.Message, "applied: training from 2025-01-27 to 2025-02-26 (was 2025-01-20 to 2025-02-16), 25 training days")
	require.Contains(t, change.result.Message, "not applied: insurance coverage stays 2025-01-20 to 2025-02-23")
	require.Equal(t, vocab.StageTraining, oldDay.Stage)
	require.Equal(t, 25, oldDay.Training.Days)
	att.requireAccepted(t)
	require.Equal(t, newStart, h.eventsOf("training-started")[0].At, "training starts on the new first day")
	require.Equal(t, newEnd, h.eventsOf("graduated")[0].At, "graduation on the new last day")
	require.Equal(t, newEnd, s.Placement.GraduatedOn)
	pc := h.eventsOf("package-changed")
	require.Len(t, pc, 1)
	require.Equal(t, coordinator.ID, pc[0].ActorID)
	require.Equal(t, t0.Add(3*day), pc[0].At)
	requirePackageChangeWords(t, pc[0],
		"Paket PKG-LAS-2025-01 diubah oleh koordinator; diterapkan: pelatihan dari 2025-01-27 sampai 2025-02-26 (sebelumnya 2025-01-20 sampai 2025-02-16), 25 hari pelatihan; tidak diterapkan: masa perlindungan jaminan tetap 2025-01-20 sampai 2025-02-23: sudah didaftarkan ke BPJS sebelum perubahan",
		"Package PKG-LAS-2025-01 changed by the coordinator; applied: training from 2025-01-27 to 2025-02-26 (was 2025-01-20 to 2025-02-16), 25 training days; not applied: insurance coverage stays 2025-01-20 to 2025-02-23: it was registered with BPJS before the change")
	h.requireReadModelConsistent()
}

// Once training has begun the dates stay: the event says so, and training ends on the old day.
func TestPackageChangeDatesRefusedAfterTrainingStarted(t *testing.T) {
	h := newHarness(t)
	change := h.updateAt(trainStart.Add(2*day), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator,
		Start: dp(trainStart.Add(10 * day)), End: dp(trainEnd.Add(10 * day)), TrainingDays: intp(30)})
	h.attendance(trainStart.Add(3*day), 20)
	h.withdrawAt(trainEnd.Add(2 * day))
	s := h.run()

	change.requireAccepted(t)
	require.Contains(t, change.result.Message, "not applied: dates 2025-01-30 to 2025-02-26: training began on 2025-01-20")
	require.NotContains(t, change.result.Message, "applied: training")
	requirePackageChangeWords(t, h.eventsOf("package-changed")[0],
		"Paket PKG-LAS-2025-01 diubah oleh koordinator; tidak diterapkan: tanggal 2025-01-30 sampai 2025-02-26: pelatihan sudah dimulai pada 2025-01-20",
		"Package PKG-LAS-2025-01 changed by the coordinator; not applied: dates 2025-01-30 to 2025-02-26: training began on 2025-01-20")
	require.Equal(t, 20, s.Training.Days)
	require.Equal(t, trainEnd, h.eventsOf("graduated")[0].At)
}

// A lower minimum before the end of training decides graduation; after the end it is not applied.
func TestPackageChangeMinimumAttendanceByStage(t *testing.T) {
	t.Run("before the end", func(t *testing.T) {
		h := newHarness(t)
		change := h.updateAt(trainStart.Add(5*day), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, AttendanceMin: floatp(0.7)})
		h.attendance(trainEnd.Add(-day), 15) // 75%: below the old 80%, above the new 70%
		h.withdrawAt(trainEnd.Add(2 * day))
		s := h.run()

		change.requireAccepted(t)
		require.Contains(t, change.result.Message, "applied: minimum attendance 70% (was 80%)")
		require.True(t, s.Training.Graduated)
		require.InDelta(t, 0.7, s.Training.Minimum, 1e-9)
	})
	t.Run("after the end", func(t *testing.T) {
		h := newHarness(t)
		change := h.updateAt(trainEnd.Add(time.Hour), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, AttendanceMin: floatp(0.7)})
		h.attendance(trainEnd.Add(2*time.Hour), 15)
		s := h.run()

		change.requireAccepted(t)
		require.Contains(t, change.result.Message, "not applied: minimum attendance 70%: training ended on 2025-02-16, graduation is judged by 80%")
		require.Equal(t, vocab.OutcomeNotGraduated, s.Outcome)
		require.Contains(t, s.OutcomeReason, "below the minimum 80%")
	})
}

// A new LSP before the assessment is requested gets the request; after, the old LSP keeps it.
func TestPackageChangeLSPByStage(t *testing.T) {
	t.Run("before the assessment", func(t *testing.T) {
		h := newHarness(t)
		change := h.updateAt(trainStart.Add(day), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, LSP: "LSP-BARU"})
		h.attendance(trainStart.Add(2*day), 20)
		h.withdrawAt(assessDate(1).Add(time.Hour))
		s := h.run()

		change.requireAccepted(t)
		require.Contains(t, change.result.Message, "applied: LSP LSP-BARU (was LSP-LOGAM)")
		reqs := inputs[contract.AssessmentInput](h, "RequestAssessment")
		require.NotEmpty(t, reqs)
		require.Equal(t, "LSP-BARU", reqs[0].LSPCode)
		require.Equal(t, "LSP-BARU", s.LSPCode)
		require.Equal(t, "LSP-BARU", h.lastRow().LSPCode, "the read model names the new LSP")
	})
	t.Run("after the request", func(t *testing.T) {
		h := newHarness(t)
		h.attendance(trainStart.Add(2*day), 20)
		change := h.updateAt(trainEnd.Add(day), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, LSP: "LSP-BARU"})
		h.withdrawAt(assessDate(1).Add(time.Hour))
		s := h.run()

		change.requireAccepted(t)
		require.Contains(t, change.result.Message, "not applied: LSP LSP-BARU: the assessment was already requested from LSP-LOGAM")
		require.Equal(t, "LSP-LOGAM", s.LSPCode)
	})
}

// Automatic approval switched on while the enrolment waits for a centre admin approves it now.
func TestPackageChangeAutoApprovalWhileWaiting(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	change := h.updateAt(t0.Add(5*time.Hour), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, AutoApprove: boolp(true)})
	h.withdrawAt(trainStart.Add(day))
	s := h.run()

	change.requireAccepted(t)
	require.Contains(t, change.result.Message, "applied: automatic approval on: the enrolment was approved")
	require.True(t, s.Enrolment.Decision.Approve)
	require.Equal(t, vocab.RoleSystem, s.Enrolment.Decision.Actor.Role)
	approved := h.eventsOf("enrolment-approved")
	require.Len(t, approved, 1)
	require.Equal(t, t0.Add(5*time.Hour), approved[0].At)
	require.Contains(t, approved[0].Detail, "approved automatically")
	require.Equal(t, 1, h.count("TakeSeat"))
	requireOrder(t, h.kinds(), "enrolment-checked", "enrolment-approved", "package-changed", "stage")
}

// A full package leaves the case waiting for a person; a decided enrolment is not changed.
func TestPackageChangeAutoApprovalNotApplied(t *testing.T) {
	t.Run("full", func(t *testing.T) {
		h := newHarness(t)
		h.in.AutoApprove = false
		h.seat = func(int, contract.SeatInput) (contract.SeatOutcome, error) {
			return contract.SeatOutcome{Taken: 16, Capacity: 16}, nil
		}
		change := h.updateAt(t0.Add(5*time.Hour), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, AutoApprove: boolp(true)})
		waiting := h.stateAt(t0.Add(6 * time.Hour))
		h.withdrawAt(t0.Add(7 * time.Hour))
		h.run()

		change.requireAccepted(t)
		require.Contains(t, change.result.Message, "not applied: automatic approval on: package PKG-LAS-2025-01 is full: 16 of 16 seats taken")
		require.Nil(t, waiting.Enrolment.Decision)
		require.Equal(t, vocab.WaitingCentreAdmin, waiting.WaitingOn)
	})
	t.Run("decided", func(t *testing.T) {
		h := newHarness(t)
		change := h.updateAt(t0.Add(time.Hour), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, AutoApprove: boolp(false)})
		h.withdrawAt(t0.Add(2 * time.Hour))
		h.run()

		change.requireAccepted(t)
		require.Contains(t, change.result.Message, "not applied: automatic approval off: the enrolment was already decided")
	})
}

// The validator refuses who may not change a package, an empty change and impossible values.
func TestPackageChangeValidation(t *testing.T) {
	h := newHarness(t)
	wrong := h.updateAt(t0.Add(time.Hour), wf.UpdatePackageChanged, wf.PackageChange{Actor: admin, LSP: "LSP-BARU"})
	empty := h.updateAt(t0.Add(time.Hour+time.Minute), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator})
	days := h.updateAt(t0.Add(time.Hour+2*time.Minute), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, TrainingDays: intp(0)})
	back := h.updateAt(t0.Add(time.Hour+3*time.Minute), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator,
		Start: dp(trainEnd), End: dp(trainStart)})
	min := h.updateAt(t0.Add(time.Hour+4*time.Minute), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator, AttendanceMin: floatp(1.5)})
	h.withdrawAt(t0.Add(2 * time.Hour))
	h.run()

	wrong.requireRejected(t, `role "centre-admin" may not do this`)
	empty.requireRejected(t, "nothing to change")
	days.requireRejected(t, "training days must be at least 1")
	back.requireRejected(t, "end 2025-01-20 is before start 2025-02-16")
	min.requireRejected(t, "minimum attendance must be between 0 and 1")
	require.Empty(t, h.eventsOf("package-changed"))
}

// A revision-2 journey (before RevisionQuiet) takes the same change the same way: the message is
// versioned on its own, not through since.
func TestPackageChangeRevisionAudited(t *testing.T) {
	h := newHarness(t)
	h.in.Revision = wf.RevisionAudited
	h.in.AutoApprove = false
	newStart := trainStart.Add(7 * day)
	change := h.updateAt(t0.Add(5*time.Hour), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator,
		Start: dp(newStart), AutoApprove: boolp(true), AttendanceMin: floatp(0.5)})
	h.withdrawAt(newStart.Add(day))
	s := h.run()

	change.requireAccepted(t)
	require.Contains(t, change.result.Message, "automatic approval on: the enrolment was approved")
	require.Contains(t, change.result.Message, "minimum attendance 50% (was 80%)")
	require.True(t, s.Enrolment.Decision.Approve)
	require.Equal(t, newStart, h.eventsOf("training-started")[0].At)
	require.Len(t, h.eventsOf("package-changed"), 1)
	h.requireReadModelConsistent()
}

// Dates changed while the enrolment waits for its decision reach everything after it: the BPJS
// registration covers the new dates, and the event has no note about coverage.
func TestPackageChangeDatesBeforeInsurance(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	newStart, newEnd := trainStart.Add(3*day), trainEnd.Add(3*day)
	change := h.updateAt(t0.Add(time.Hour), wf.UpdatePackageChanged, wf.PackageChange{Actor: coordinator,
		Start: dp(newStart), End: dp(newEnd), TrainingDays: intp(20)})
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	h.withdrawAt(newStart.Add(day))
	s := h.run()

	change.requireAccepted(t)
	require.NotContains(t, change.result.Message, "insurance coverage")
	regs := inputs[contract.InsuranceInput](h, "RegisterInsurance")
	require.NotEmpty(t, regs)
	require.Equal(t, newStart, regs[0].CoverageStart)
	require.Equal(t, newEnd.AddDate(0, 0, 7), regs[0].CoverageEnd)
	require.Equal(t, newStart, s.Insurance.CoverageStart)
	require.Equal(t, newStart, h.eventsOf("training-started")[0].At)
}

// The same change sent again (to reach the cases an outage kept it from) is nothing to apply
// for a case that took it: it answers so and writes nothing.
func TestPackageChangeSentAgainIsNothingToApply(t *testing.T) {
	h := newHarness(t)
	c := wf.PackageChange{Actor: coordinator, Start: dp(trainStart.Add(day)), End: dp(trainEnd), TrainingDays: intp(19), AttendanceMin: floatp(0.7)}
	first := h.updateAt(t0.Add(time.Hour), wf.UpdatePackageChanged, c)
	again := h.updateAt(t0.Add(2*time.Hour), wf.UpdatePackageChanged, c)
	h.withdrawAt(t0.Add(3 * time.Hour))
	h.run()

	first.requireAccepted(t)
	again.requireAccepted(t)
	require.Contains(t, first.result.Message, "applied: training from 2025-01-21")
	require.Equal(t, "package PKG-LAS-2025-01: nothing to apply, the case has these values already", again.result.Message)
	require.Len(t, h.eventsOf("package-changed"), 1)
}

// requirePackageChangeWords checks the package-changed event's message: each item applied and
// not applied worded from its code, id in Indonesian and en in English (issue 15).
func requirePackageChangeWords(t *testing.T, e contract.CaseEvent, id, en string) {
	t.Helper()
	require.Equal(t, "event.package-changed.items", e.Code)
	require.Equal(t, id, i18n.For(i18n.ID, time.UTC).T(e.Code, e.Params))
	require.Equal(t, en, i18n.For(i18n.EN, time.UTC).T(e.Code, e.Params))
}
