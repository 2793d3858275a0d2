package workflows

import (
	"fmt"
	"strconv"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"go.temporal.io/sdk/workflow"
)

// train waits for the first and then the last training day; attendance arrives as updates.
// Attendance below the package minimum at the end means not graduated.
func (j *journey) train(ctx workflow.Context) (bool, error) {
	j.enterStage(ctx, vocab.StageTraining, "training from "+j.day(j.in.Start)+" to "+j.day(j.in.End), say("event.stage.training", "from", j.day(j.in.Start), "to", j.day(j.in.End)))
	withdrawn := func() bool { return j.withdrawal != nil }
	if stop, err := j.sleepUntilStart(ctx); err != nil || stop {
		if err != nil {
			return false, err
		}
		return j.closeWithdrawn(ctx)
	}
	j.commit(ctx, ev("training-started", "first training day").say("event.training-started"))
	if stop, err := sleepUntil(ctx, j.in.End, withdrawn); err != nil || stop {
		if err != nil {
			return false, err
		}
		return j.closeWithdrawn(ctx)
	}
	t := &j.state.Training
	if closed, err := j.awaitAttendance(ctx); err != nil || closed {
		return closed, err
	}
	t.Rate = attendanceRate(*t, j.in.Settings.AttendanceMode)
	// A tiny tolerance so 0.8 of 10 days counts as 80%.
	if t.Rate+1e-9 < j.in.AttendanceMin {
		return j.close(ctx, vocab.OutcomeNotGraduated, fmt.Sprintf("attendance %.0f%% is below the minimum %.0f%%", t.Rate*100, j.in.AttendanceMin*100),
			say("event.closed.attendance", "rate", fmt.Sprintf("%.0f", t.Rate*100), "minimum", fmt.Sprintf("%.0f", j.in.AttendanceMin*100)))
	}
	t.Graduated = true
	j.state.Placement.GraduatedOn = j.in.End
	j.commit(ctx, ev("graduated", fmt.Sprintf("graduated with attendance %.0f%%", t.Rate*100)).say("event.graduated", "rate", fmt.Sprintf("%.0f", t.Rate*100)))
	return false, nil
}

// sleepUntilStart waits for the first training day, or until the trainee withdraws (true). A
// package change that moves the dates (datesMoved) wakes it, and it waits for the new first day;
// a journey nobody changed waits exactly as before.
func (j *journey) sleepUntilStart(ctx workflow.Context) (bool, error) {
	for {
		moved := j.datesMoved
		stop, err := sleepUntil(ctx, j.in.Start, func() bool { return j.withdrawal != nil || j.datesMoved != moved })
		if err != nil {
			return false, err
		}
		// A timer that fired returns false as before, whatever else happened in that task.
		if !stop || j.withdrawal != nil {
			return stop, nil
		}
	}
}

// attendanceMissing versions the wait for a register that was never recorded: before it, such a
// case closed not-graduated at the end of training as if the trainee had stayed home.
const attendanceMissing = "attendance-missing"

// awaitAttendance holds a case whose attendance was never recorded (presence mode) at the end of
// training: not graduating someone needs a register that says so. The case waits, stuck, on the
// centre admin until attendance is recorded or the trainee withdraws. In absence mode an empty
// register means nobody missed a day, which needs nobody to act.
func (j *journey) awaitAttendance(ctx workflow.Context) (bool, error) {
	t := &j.state.Training
	if j.in.Settings.AttendanceMode == "absence" || t.Attended != nil || t.Absent != nil {
		return false, nil
	}
	if j.since(ctx, attendanceMissing) < 1 {
		return false, nil
	}
	recorded := func() bool { return t.Attended != nil || t.Absent != nil || j.withdrawal != nil }
	reason := "attendance was never recorded for the " + strconv.Itoa(t.Days) + " training days ending " +
		j.day(j.in.End) + ": record it to decide graduation (centre admin)"
	if err := j.await(ctx, vocab.WaitingCentreAdmin, recorded, deadline{0, vocab.StuckAttendanceMissing, reason, say("stuck.attendance-missing", "days", strconv.Itoa(t.Days), "end", j.day(j.in.End))}); err != nil {
		return false, err
	}
	if j.withdrawal != nil {
		return j.closeWithdrawn(ctx)
	}
	return false, nil
}
