package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
)

// traineeMessages is the change that sends the trainee a message at each milestone (issue 18).
// Journeys that passed their first milestone before it never send one, so their histories
// replay.
const traineeMessages = "trainee-messages"

// Bounds of the messages' sending, for journeys started before messaging.retry_window.
const (
	defaultMessageRetryWindow = 24 * time.Hour
	// messageDrain is how long a closing journey waits for its last messages to go out.
	// The case is closed already; a message still failing then stays "failed" on the case.
	messageDrain = 10 * time.Minute
)

// messagesOn reports whether this journey sends messages to its trainee; the version is asked
// once, at the first milestone.
func (j *journey) messagesOn(ctx workflow.Context) bool {
	if j.messages == 0 {
		j.messages = 1
		if j.since(ctx, traineeMessages) >= 1 {
			j.messages = 2
		}
	}
	return j.messages == 2
}

// tell sends the trainee the message of a milestone without waiting for it: the send runs in a
// coroutine of its own, with its own retries, and its failure is recorded on the case's
// messages by the activity and written to the worker's log here, never returned to the
// journey. So a provider that is down, slow or refusing never holds up or fails a case. The
// input carries the case's IDs and the milestone's facts only: the activity reads the phone
// number and name from the store, so neither enters the history.
func (j *journey) tell(ctx workflow.Context, in contract.MessageInput) {
	if !j.messagesOn(ctx) {
		return
	}
	in.CaseID, in.NIKHash, in.PackageCode, in.CentreCode = j.in.CaseID, j.in.NIKHash, j.in.PackageCode, j.in.CentreCode
	j.sending++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { j.sending-- }()
		var res contract.MessageResult
		if err := contract.SendMessage.Execute(j.messageCall(ctx), in).Get(ctx, &res); err != nil {
			workflow.GetLogger(ctx).Warn("trainee message not sent", "case", j.in.CaseID, "milestone", in.Milestone, "error", err)
		}
	})
}

// messageCall retries a message for messaging.retry_window, backing off to once every ten
// minutes; a provider's final refusal is not retried.
func (j *journey) messageCall(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    time.Minute,
		ScheduleToCloseTimeout: orDefault(j.in.Settings.MessageRetryWindow, defaultMessageRetryWindow),
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        10 * time.Minute,
			NonRetryableErrorTypes: []string{contract.ErrTypeMessageRejected},
		},
	})
}

// drainMessages lets the messages still being sent finish (for at most messageDrain) before
// the journey ends: a workflow that completes abandons its running activities. Journeys that
// send none wait for nothing and add nothing to their history.
func (j *journey) drainMessages(ctx workflow.Context) {
	if j.sending == 0 {
		return
	}
	_, _ = workflow.AwaitWithTimeout(ctx, messageDrain, func() bool { return j.sending == 0 })
}
