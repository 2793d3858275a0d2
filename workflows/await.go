package workflows

import (
	"sort"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"go.temporal.io/sdk/workflow"
)

// deadline marks the case stuck when a wait has lasted `after` (counted from the wait's start).
type deadline struct {
	after  time.Duration
	code   vocab.Reason
	reason string
	words  words // the reason as a catalogue message
}

// await blocks until cond holds, telling the read model who the case waits on. Each deadline
// that passes marks the case stuck (a later one replaces the reason); the mark is cleared when
// the wait ends, so a stuck case moves on by itself once the awaited thing happens.
func (j *journey) await(ctx workflow.Context, waitingOn vocab.Party, cond func() bool, deadlines ...deadline) error {
	if cond() {
		return nil
	}
	j.setWaiting(ctx, waitingOn)
	start := workflow.Now(ctx)
	sort.SliceStable(deadlines, func(a, b int) bool { return deadlines[a].after < deadlines[b].after })
	done := false
	for _, d := range deadlines {
		remaining := d.after - workflow.Now(ctx).Sub(start)
		if remaining > 0 {
			ok, err := j.awaitDeadline(ctx, remaining, cond)
			if err != nil {
				return err
			}
			if ok {
				done = true
				break
			}
		} else if cond() {
			done = true
			break
		}
		j.markStuck(ctx, d.code, d.reason, d.words)
	}
	if !done {
		if err := workflow.Await(ctx, cond); err != nil {
			return err
		}
	}
	j.clearStuck(ctx)
	j.setWaiting(ctx, "")
	return nil
}

// awaitDeadline waits for cond at most d. A lean journey cancels the deadline's timer when cond
// ends the wait: left running, it fires later into a workflow task with nothing to do, and an
// SLA of days outlives almost every wait that ends in time.
func (j *journey) awaitDeadline(ctx workflow.Context, d time.Duration, cond func() bool) (bool, error) {
	if !j.lean {
		return workflow.AwaitWithTimeout(ctx, d, cond)
	}
	tctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	return workflow.AwaitWithTimeout(tctx, d, cond)
}

// awaitFuture waits for an activity (or other future) with deadlines, then decodes its result.
func (j *journey) awaitFuture(ctx workflow.Context, f workflow.Future, waitingOn vocab.Party, out any, deadlines ...deadline) error {
	if err := j.await(ctx, waitingOn, f.IsReady, deadlines...); err != nil {
		return err
	}
	return f.Get(ctx, out)
}

// sleepUntil waits until t or until stop() holds; it reports whether stop ended the wait.
func sleepUntil(ctx workflow.Context, t time.Time, stop func() bool) (bool, error) {
	d := until(ctx, t)
	if d == 0 {
		return stop(), nil
	}
	return workflow.AwaitWithTimeout(ctx, d, stop)
}

// humanDuration renders an SLA for a reason sentence ("3d", "48h", "90m").
func humanDuration(d time.Duration) string {
	switch {
	case d >= 72*time.Hour && d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + " days"
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	default:
		return d.String()
	}
}
