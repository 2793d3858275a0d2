package workflows

import (
	"encoding/json"
	"fmt"
	"time"
)

// DefaultClaimWindow is how old a signed claim may be when a workflow started without a
// configured window (security.claim_window) judges it.
const DefaultClaimWindow = 5 * time.Minute

// TakenClaim is a claim a workflow has taken: its ID and when it was issued. A workflow remembers
// the IDs it took within its claim window, and refuses a claim it took before.
type TakenClaim struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
}

// ClaimWindowOf is the window a workflow with these settings judges claims by.
func ClaimWindowOf(configured time.Duration) time.Duration {
	if configured > 0 {
		return configured
	}
	return DefaultClaimWindow
}

// WithoutSignatures returns a copy of v (a case's state, say) with every claim signature
// removed: a reader of the API sees who acted, never a signature they could resend.
func WithoutSignatures[T any](v T) (T, error) {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		return out, fmt.Errorf("remove signatures: %w", err)
	}
	var plain any
	if err := json.Unmarshal(b, &plain); err != nil {
		return out, fmt.Errorf("remove signatures: %w", err)
	}
	dropSignatures(plain)
	if b, err = json.Marshal(plain); err != nil {
		return out, fmt.Errorf("remove signatures: %w", err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, fmt.Errorf("remove signatures: %w", err)
	}
	return out, nil
}

// dropSignatures deletes every "signature" and "claim" key in a decoded JSON value.
func dropSignatures(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "signature")
		delete(x, "claim")
		for _, e := range x {
			dropSignatures(e)
		}
	case []any:
		for _, e := range x {
			dropSignatures(e)
		}
	}
}
