package workflows

import (
	"fmt"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"go.temporal.io/sdk/workflow"
)

// reminderGap is how long after a follow-up's message the reminder goes, and after the
// reminder the call is due: Settings.FollowUpReminder, at most a quarter of a month, so both
// fit before the next follow-up (the months are whole and increasing) however short the month.
// 0 for journeys before RevisionQuiet, which send no reminder: the reminder came with it.
func (j *journey) reminderGap() time.Duration {
	s := j.in.Settings
	if !j.in.Quiet() || s.FollowUpReminder <= 0 {
		return 0
	}
	return min(s.FollowUpReminder, s.Month/4)
}

// remind follows up a follow-up's message the graduate has not answered (issue 18): one
// reminder after the gap, and after another gap with still no answer, the follow-up is left to
// the centre's phone call (the timeline says so, and the follow-ups page marks the graduate).
// After the last follow-up this is also the graduate's time to answer before the case closes.
// It returns true once a placement is reported.
func (j *journey) remind(ctx workflow.Context, due time.Time, month int, reported func() bool) (bool, error) {
	gap := j.reminderGap()
	if gap == 0 {
		return false, nil
	}
	if stop, err := sleepUntil(ctx, due.Add(gap), reported); err != nil || stop {
		return stop, err
	}
	j.tell(ctx, contract.MessageInput{Milestone: string(messaging.Reminder(month)), Month: month})
	if stop, err := sleepUntil(ctx, due.Add(2*gap), reported); err != nil || stop {
		return stop, err
	}
	j.state.Placement.Unanswered = month
	j.commit(ctx, ev("follow-up-unanswered", fmt.Sprintf("%d-month follow-up: no answer to the message or its reminder; the centre calls the graduate", month)).say("event.follow-up-unanswered", "month", strconv.Itoa(month)))
	return false, nil
}
