package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// agreementOptions configures the agreement activities: the time zone whose calendar days the
// agreements use (validated with the configuration) and the optional reminder webhook.
func agreementOptions(c *config.Config) activities.AgreementOptions {
	loc, err := time.LoadLocation(c.Journey.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return activities.AgreementOptions{Location: loc, ReminderWebhook: c.MoU.ReminderWebhook}
}

// StartAgreements starts a workflow for every live agreement in the store that has none (the
// six seeded MoUs on a fresh database). Workflow IDs come from the MoU numbers, so running it at
// every start starts nothing twice. A failure is logged, not fatal: the agreements still cover
// cases through their rows, only reminders and notifications wait for the next start.
func StartAgreements(ctx context.Context, svc *starter.Service, logger *slog.Logger) {
	started, err := svc.StartAgreementWorkflows(ctx)
	if err != nil {
		logger.Warn("agreement workflows not all started", "component", "mou", "started", len(started), "error", err)
		return
	}
	logger.Info("agreement workflows running", "component", "mou", "started", len(started))
}
