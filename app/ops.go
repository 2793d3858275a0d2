package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/notify"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// DigestScheduleID is the Temporal Schedule that starts the daily digest.
const DigestScheduleID = "kompeten-daily-digest"

// NewOps wires the activities of the digest and escalation workflows.
func NewOps(c *config.Config, st *store.Store, logger *slog.Logger) *activities.Ops {
	return &activities.Ops{
		Store:   st,
		Webhook: &notify.Webhook{URL: c.Notify.WebhookURL, Timeout: c.Notify.Timeout, Client: &http.Client{}},
		Logger:  logger.With("component", "notify"),
	}
}

// EnsureDigestSchedule makes the daily-digest Schedule match the configuration: created when
// missing, its time updated when it exists (every worker calls this at start, so the last
// configuration wins), deleted when digest.enabled is false.
func EnsureDigestSchedule(ctx context.Context, c *config.Config, tc client.Client) error {
	sc := tc.ScheduleClient()
	h := sc.GetHandle(ctx, DigestScheduleID)
	if !c.Digest.Enabled {
		var nf *serviceerror.NotFound
		if err := h.Delete(ctx); err != nil && !errors.As(err, &nf) {
			return fmt.Errorf("digest.enabled is false: delete schedule %s: %w", DigestScheduleID, err)
		}
		return nil
	}
	hour, minute := c.Digest.Clock()
	spec := client.ScheduleSpec{
		Calendars: []client.ScheduleCalendarSpec{{
			Hour: []client.ScheduleRange{{Start: hour}}, Minute: []client.ScheduleRange{{Start: minute}},
			Comment: "daily digest of stuck cases",
		}},
		TimeZoneName: c.Journey.Timezone,
	}
	action := &client.ScheduleWorkflowAction{
		ID:        "kompeten-digest",
		Workflow:  workflows.DigestWorkflowName,
		Args:      []any{DigestInput(c)},
		TaskQueue: c.Temporal.TaskQueue,
	}
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: DigestScheduleID, Spec: spec, Action: action,
		// A digest still running (a webhook being retried) is not doubled by the next day's.
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP,
		Note:    "kompeten: stuck cases per centre and role, to the log and notify.webhook_url",
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = h.Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				s := in.Description.Schedule
				s.Spec = &spec
				s.Action = action
				return &client.ScheduleUpdate{Schedule: &s}, nil
			},
		})
	}
	if err != nil {
		return fmt.Errorf("schedule the daily digest (%s): %w", DigestScheduleID, err)
	}
	return nil
}

// DigestInput is what the daily digest is started with: the centres' time zone and
// digest.language. The schedule's action is rewritten at every worker start, so a changed
// language reaches the next digest.
func DigestInput(c *config.Config) workflows.DigestInput {
	return workflows.DigestInput{Timezone: c.Journey.Timezone, Language: c.Digest.Language}
}
