package activities

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/notify"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Ops holds the activities of the operations workflows (the daily digest and escalations). It
// is registered next to Activities; its method names are distinct from theirs.
type Ops struct {
	Store *store.Store
	// Webhook receives every notification; nil or without a URL, the log is the only channel.
	Webhook *notify.Webhook
	Logger  *slog.Logger
}

// CountStuckGroups counts the stuck cases by centre, LSP, reason and party waited on.
func (o *Ops) CountStuckGroups(ctx context.Context) ([]contract.StuckGroup, error) {
	gs, err := o.Store.StuckGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	out := make([]contract.StuckGroup, 0, len(gs))
	for _, g := range gs {
		out = append(out, stuckGroup(g))
	}
	return out, nil
}

// SendNotification writes a message to the log and posts it to the webhook. A failed post is
// returned so Temporal retries it; the log line is written at every attempt, so the message is
// never lost.
func (o *Ops) SendNotification(ctx context.Context, m notify.Message) error {
	l := o.Logger
	if l == nil {
		l = slog.Default()
	}
	l.Info("notification", "kind", m.Kind, "to", m.To, "scope", m.Scope, "text", m.Text)
	if err := o.Webhook.Send(ctx, m); err != nil {
		l.Warn("notification webhook failed; will retry", "kind", m.Kind, "error", err)
		return err
	}
	return nil
}
