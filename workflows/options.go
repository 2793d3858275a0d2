package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
)

// The partner call settings of cases started before they were configurable.
const (
	defaultPartnerAttempt      = time.Minute
	defaultPartnerRetryInitial = 2 * time.Second
	defaultPartnerRetryMax     = 10 * time.Minute
)

// orDefault is d, or def when d is not set.
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// partnerCall retries a partner for as long as it takes (the SLA marks the case stuck while it
// fails), backing off to one attempt every partners.retry_max (10 minutes by default); data
// errors are not retried. An attempt lost with a crashed worker is retried after the attempt
// timeout. Timeouts and retry policies are not part of what a replay compares, so changing
// them keeps running cases valid.
func (j *journey) partnerCall(ctx workflow.Context) workflow.Context {
	s := j.in.Settings
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: orDefault(s.PartnerAttemptTimeout, defaultPartnerAttempt),
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        orDefault(s.PartnerRetryInitial, defaultPartnerRetryInitial),
			BackoffCoefficient:     2,
			MaximumInterval:        orDefault(s.PartnerRetryMax, defaultPartnerRetryMax),
			NonRetryableErrorTypes: []string{contract.ErrTypeData, contract.ErrTypeNotFound},
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
			NonRetryableErrorTypes: []string{contract.ErrTypeNotFound},
		},
	})
}
