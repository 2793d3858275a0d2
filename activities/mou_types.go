package activities

import (
	"context"
	"net/http"
	"time"
)

// AgreementOptions configures the agreement activities.
type AgreementOptions struct {
	// Location is the network's time zone: agreement dates are calendar days there, so a
	// coverage question asked at 02:00 WIB is about that WIB day (nil: UTC).
	Location *time.Location
	// ReminderWebhook, when set, receives every reminder as a JSON POST (optional).
	ReminderWebhook string
	// HTTP sends the webhook (nil: a client with a 15 s timeout).
	HTTP *http.Client
	// Signal delivers a signal to a running workflow; nil uses the activity's Temporal client.
	Signal func(ctx context.Context, workflowID, signal string, arg any) error
	// ActorKey (security.actor_key) signs the signals kompeten sends its own workflows (purpose
	// worker): an MoU's news to its PKS, an agreement's nudge to waiting journeys. The workers
	// take no such signal without the claim.
	ActorKey []byte
}
