package worker

import (
	"slices"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// ledger is the claim IDs a workflow run has taken. Only claims within the window need
// remembering: an older one is refused as too old before its ID is looked at. It is rebuilt the
// same way on every replay (from the start's carried list, the accepted updates and the taken
// signals, in history order), so what it refuses is refused again.
type ledger struct {
	claims []workflows.TakenClaim
}

func (l *ledger) has(id string) bool {
	return slices.ContainsFunc(l.claims, func(c workflows.TakenClaim) bool { return c.ID == id })
}

// take records a claim and forgets those issued before now-window.
func (l *ledger) take(id string, at, now time.Time, window time.Duration) {
	cutoff := now.Add(-window)
	l.claims = slices.DeleteFunc(l.claims, func(c workflows.TakenClaim) bool { return c.At.Before(cutoff) })
	if !l.has(id) {
		l.claims = append(l.claims, workflows.TakenClaim{ID: id, At: at})
	}
}

// list is what a run hands to the next when it continues as new.
func (l *ledger) list(now time.Time, window time.Duration) []workflows.TakenClaim {
	cutoff := now.Add(-window)
	return slices.DeleteFunc(slices.Clone(l.claims), func(c workflows.TakenClaim) bool { return c.At.Before(cutoff) })
}
