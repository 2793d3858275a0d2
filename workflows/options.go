package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities"
)

// defaultPartnerAttempt is the attempt timeout of cases started before it was configurable.
const defaultPartnerAttempt = time.Minute

// partnerCall retries a partner for as long as it takes (the SLA marks the case stuck while it
// fails), backing off to one attempt every 10 minutes; data errors are not retried. An attempt
// lost with a crashed worker is retried after the configured attempt timeout (timeouts are not
// part of what a replay compares, so changing it keeps running cases valid).
func (j *journey) partnerCall(ctx workflow.Context) workflow.Context {
	attempt := j.in.Settings.PartnerAttemptTimeout
	if attempt <= 0 {
		attempt = defaultPartnerAttempt
	}
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: attempt,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        2 * time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        10 * time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrTypeData, activities.ErrTypeNotFound},
		},
	})
}

// storeCall is a read against our own database: short, retried a few minutes.
func storeCall(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrTypeNotFound},
		},
	})
}
