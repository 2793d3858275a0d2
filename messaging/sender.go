package messaging

import (
	"context"
	"errors"
	"fmt"
)

// Channels a message can go by.
const (
	ChannelWhatsApp = "whatsapp"
	ChannelSMS      = "sms"
	ChannelNone     = "none"
)

// Outgoing is one message to send.
type Outgoing struct {
	To             string // international form, "628…" (International)
	IdempotencyKey string // Key(case, milestone)
	Message        Message
}

// Receipt is the provider's answer to an accepted message.
type Receipt struct {
	ProviderID string // wamid or the gateway's id: delivery statuses refer to it
}

// Sender hands a message to a provider.
type Sender interface {
	// Channel names the provider (ChannelWhatsApp, ChannelSMS).
	Channel() string
	// Send hands one message over. A *RejectedError means the provider will never take this
	// message (a number that is not on WhatsApp, a template it refuses): retrying cannot help.
	// Any other error may be transient.
	Send(ctx context.Context, m Outgoing) (Receipt, error)
}

// RejectedError is a provider's final refusal of a message. Its text never holds the number.
type RejectedError struct {
	Channel string
	Status  int
	Code    string
	Message string
}

// scrub blanks every run of eight or more digits in a provider's words: an error message that
// echoes the recipient's number must not carry it into logs and histories.
func scrub(s string) string {
	out := []rune(s)
	for i := 0; i < len(out); {
		j := i
		for j < len(out) && (out[j] >= '0' && out[j] <= '9') {
			j++
		}
		if j-i >= 8 {
			for k := i; k < j; k++ {
				out[k] = '#'
			}
		}
		if j == i {
			j++
		}
		i = j
	}
	return string(out)
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("%s: message refused (HTTP %d, %s): %s", e.Channel, e.Status, e.Code, e.Message)
}

// IsRejected reports whether err is a provider's final refusal.
func IsRejected(err error) bool {
	var r *RejectedError
	return errors.As(err, &r)
}
