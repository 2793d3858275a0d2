package workflows

import (
	"fmt"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"go.temporal.io/sdk/workflow"
)

// followUp waits for a placement report with follow-ups at the configured months; no report by
// the last one closes the case as not placed. Only a handful of timers are used, so the history
// stays small however long the follow-up lasts.
func (j *journey) followUp(ctx workflow.Context) (bool, error) {
	j.enterStage(ctx, vocab.StagePlacement, "placement follow-up", say("event.stage.placement"))
	p := &j.state.Placement
	if p.GraduatedOn.IsZero() {
		p.GraduatedOn = j.in.End
	}
	// The months count from graduation; from revision RevisionAudited, from the later of
	// graduation and the end of assessment and certification, which can come weeks after it: a
	// graduate certified late must still have every window to report a placement in, not see
	// follow-ups that were already due when the case got here.
	p.FollowUpFrom = p.GraduatedOn
	if now := workflow.Now(ctx); j.in.Revision >= RevisionAudited && now.After(p.FollowUpFrom) {
		p.FollowUpFrom = now
	}
	reported := func() bool { return j.placement != nil }
	for i, m := range j.in.Settings.FollowUpMonths {
		due := p.FollowUpFrom.Add(time.Duration(m) * j.in.Settings.Month)
		p.NextFollowUp = &due
		j.setWaiting(ctx, vocab.WaitingCentreAdmin)
		if stop, err := sleepUntil(ctx, due, reported); err != nil {
			return false, err
		} else if stop {
			break
		}
		p.FollowUpsDone = i + 1
		j.commit(ctx, ev("follow-up", fmt.Sprintf("%d-month follow-up: no placement reported yet", m)).say("event.follow-up", "month", strconv.Itoa(m)))
		j.tell(ctx, contract.MessageInput{Milestone: string(messaging.FollowUp(m)), Month: m})
		if stop, err := j.remind(ctx, due, m, reported); err != nil {
			return false, err
		} else if stop {
			break
		}
	}
	p.NextFollowUp = nil
	if j.placement != nil {
		// A self-report may wait for staff to confirm or correct it (step_confirm.go); a
		// correction replaces j.placement.
		if err := j.awaitConfirmation(ctx); err != nil {
			return false, err
		}
		r := j.placement
		return j.close(ctx, r.Category.Outcome(), j.closingDetail(*r), j.closingWords(*r))
	}
	return j.close(ctx, vocab.OutcomeNotPlaced, "no placement reported by the last follow-up", say("event.closed.not-placed"))
}
