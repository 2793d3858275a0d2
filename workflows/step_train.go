package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"
)

// train waits for the first and then the last training day; attendance arrives as updates.
// Attendance below the package minimum at the end means not graduated.
func (j *journey) train(ctx workflow.Context) (bool, error) {
	j.enterStage(ctx, StageTraining, "training from "+j.day(j.in.Start)+" to "+j.day(j.in.End))
	withdrawn := func() bool { return j.withdrawal != nil }
	if stop, err := sleepUntil(ctx, j.in.Start, withdrawn); err != nil || stop {
		if err != nil {
			return false, err
		}
		return j.closeWithdrawn(ctx)
	}
	j.commit(ctx, ev("training-started", "first training day"))
	if stop, err := sleepUntil(ctx, j.in.End, withdrawn); err != nil || stop {
		if err != nil {
			return false, err
		}
		return j.closeWithdrawn(ctx)
	}
	t := &j.state.Training
	t.Rate = attendanceRate(*t, j.in.Settings.AttendanceMode)
	// A tiny tolerance so 0.8 of 10 days counts as 80%.
	if t.Rate+1e-9 < j.in.AttendanceMin {
		return j.close(ctx, OutcomeNotGraduated, fmt.Sprintf("attendance %.0f%% is below the minimum %.0f%%", t.Rate*100, j.in.AttendanceMin*100))
	}
	t.Graduated = true
	j.state.Placement.GraduatedOn = j.in.End
	j.commit(ctx, ev("graduated", fmt.Sprintf("graduated with attendance %.0f%%", t.Rate*100)))
	return false, nil
}
