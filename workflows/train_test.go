package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

func TestAttendanceBelowMinimumNotGraduated(t *testing.T) {
	h := newHarness(t)
	first := h.attendance(trainStart.Add(5*day), 4)
	last := h.attendance(trainEnd.Add(-day), 15) // 75% of 20 days, minimum 80%
	s := h.run()

	first.requireAccepted(t)
	last.requireAccepted(t)
	require.Contains(t, last.result.Message, "75%")
	require.Equal(t, vocab.OutcomeNotGraduated, s.Outcome)
	require.Contains(t, s.OutcomeReason, "attendance 75% is below the minimum 80%")
	require.False(t, s.Training.Graduated)
	require.Equal(t, 15, *s.Training.Attended)
	require.Zero(t, h.count("RequestAssessment"))
	require.Zero(t, h.count("EndCoverage"), "coverage ends on its own at the end date")
	require.Len(t, h.eventsOf("attendance"), 2)
	require.Empty(t, h.eventsOf("graduated"))
	require.Equal(t, trainEnd, h.eventsOf("closed")[0].At)
	require.Equal(t, []string{"insurance", "training"}, h.stages())
	require.Equal(t, vocab.OutcomeNotGraduated, h.lastRow().Outcome)
}

// A register nobody filled in is not a register that says the trainee stayed home: at the end
// of training the case waits, stuck on the centre admin, and graduates once attendance comes.
func TestNoAttendanceRecordedWaitsStuckUntilRecorded(t *testing.T) {
	h := newHarness(t)
	atEnd := h.stateAt(trainEnd.Add(time.Hour))
	late := h.attendance(trainEnd.Add(3*day), 18)
	h.updateAt(trainEnd.Add(3*day+time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()

	require.Equal(t, vocab.StageTraining, atEnd.Stage)
	require.True(t, atEnd.Stuck)
	require.Equal(t, vocab.StuckAttendanceMissing, atEnd.StuckCode)
	require.Equal(t, vocab.WaitingCentreAdmin, atEnd.WaitingOn)
	require.Contains(t, atEnd.StuckReason, "attendance was never recorded for the 20 training days")
	require.Equal(t, trainEnd, *atEnd.StuckSince)
	late.requireAccepted(t)
	require.True(t, s.Training.Graduated, "graduated once the register said 90%")
	require.Equal(t, trainEnd.Add(3*day), h.eventsOf("graduated")[0].At)
	require.Len(t, h.eventsOf("unstuck"), 1)
	require.Len(t, h.rowsWithStuck(vocab.StuckAttendanceMissing), 1)
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
}

// Recorded late and below the minimum, the register decides: not graduated.
func TestAttendanceRecordedLateBelowMinimumNotGraduated(t *testing.T) {
	h := newHarness(t)
	h.attendance(trainEnd.Add(day), 10)
	s := h.run()
	require.Equal(t, vocab.OutcomeNotGraduated, s.Outcome)
	require.Contains(t, s.OutcomeReason, "attendance 50% is below the minimum 80%")
	require.Equal(t, trainEnd.Add(day), h.eventsOf("closed")[0].At)
}

// A trainee who withdraws while the register is missing is a drop-out, not a graduate.
func TestWithdrawalWhileAttendanceMissing(t *testing.T) {
	h := newHarness(t)
	h.updateAt(trainEnd.Add(day), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "moved to Bali"})
	s := h.run()
	require.False(t, s.Training.Graduated)
	require.Empty(t, h.eventsOf("graduated"))
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
	require.False(t, s.Stuck)
}

func TestAttendanceExactlyAtMinimumGraduates(t *testing.T) {
	h := newHarness(t)
	h.attendance(trainEnd.Add(-day), 16) // exactly 80%
	h.updateAt(trainEnd.Add(time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()
	require.True(t, s.Training.Graduated)
	require.Len(t, h.eventsOf("graduated"), 1)
}

func TestAttendanceValidation(t *testing.T) {
	h := newHarness(t)
	at := trainStart.Add(2 * day)
	tooMany := h.updateAt(at, wf.UpdateRecordAttendance, wf.Attendance{Actor: admin, Attended: intp(21)})
	negative := h.updateAt(at, wf.UpdateRecordAttendance, wf.Attendance{Actor: admin, Absent: intp(-1)})
	both := h.updateAt(at, wf.UpdateRecordAttendance, wf.Attendance{Actor: admin, Attended: intp(2), Absent: intp(0)})
	neither := h.updateAt(at, wf.UpdateRecordAttendance, wf.Attendance{Actor: admin})
	wrongRole := h.updateAt(at, wf.UpdateRecordAttendance, wf.Attendance{Actor: liaison, Attended: intp(2)})
	before := h.stateAt(at.Add(-time.Minute))
	after := h.stateAt(at.Add(time.Minute))
	h.attendance(trainEnd.Add(-day), 20)
	// After the end date the case is in assessment: attendance is closed.
	late := h.updateAt(trainEnd.Add(time.Hour), wf.UpdateRecordAttendance, wf.Attendance{Actor: admin, Attended: intp(10)})
	h.updateAt(trainEnd.Add(2*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()

	tooMany.requireRejected(t, "attended days must be between 0 and 20")
	negative.requireRejected(t, "absent days must be between 0 and 20")
	both.requireRejected(t, "not both or neither")
	neither.requireRejected(t, "not both or neither")
	wrongRole.requireRejected(t, "may not")
	late.requireRejected(t, "cannot record attendance")
	require.Contains(t, late.rejected.Error(), "stage assessment")
	require.Equal(t, before.Version, after.Version)
	require.Nil(t, after.Training.Attended)
	require.Equal(t, 20, *s.Training.Attended)
	require.Len(t, h.eventsOf("attendance"), 1)
	// Withdrawn after graduation, during assessment: a drop-out.
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
}

func TestAbsenceMode(t *testing.T) {
	cases := []struct {
		name      string
		absent    *int
		graduated bool
		rate      float64
	}{
		{"nothing missed", nil, true, 1},
		{"4 of 20 missed", intp(4), true, 0.8},
		{"5 of 20 missed", intp(5), false, 0.75},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.in.Settings.AttendanceMode = "absence"
			var u *updateOutcome
			if tc.absent != nil {
				u = h.updateAt(trainEnd.Add(-day), wf.UpdateRecordAttendance, wf.Attendance{Actor: admin, Absent: tc.absent})
			}
			h.updateAt(trainEnd.Add(time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
			s := h.run()
			if u != nil {
				u.requireAccepted(t)
				require.Equal(t, *tc.absent, *s.Training.Absent)
				require.Nil(t, s.Training.Attended)
			}
			require.Equal(t, tc.graduated, s.Training.Graduated)
			require.InDelta(t, tc.rate, s.Training.Rate, 1e-9)
			if tc.graduated {
				require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
			} else {
				require.Equal(t, vocab.OutcomeNotGraduated, s.Outcome)
			}
		})
	}
}
