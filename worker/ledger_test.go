package worker

import (
	"testing"
	"time"
)

// The ledger remembers what it took within the window and forgets the rest, so it stays small
// and an agreement hands its next run only what still matters.
func TestLedgerRemembersClaimsWithinTheWindow(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	w := 5 * time.Minute
	var l ledger
	l.take("a", t0, t0, w)
	l.take("b", t0.Add(4*time.Minute), t0.Add(4*time.Minute), w)
	l.take("b", t0.Add(4*time.Minute), t0.Add(4*time.Minute), w)
	if !l.has("a") || !l.has("b") || len(l.claims) != 2 {
		t.Fatalf("after two claims: %+v", l.claims)
	}
	// Six minutes on, "a" is past the window: it would be refused as too old, so it is forgotten.
	l.take("c", t0.Add(6*time.Minute), t0.Add(6*time.Minute), w)
	if l.has("a") || !l.has("b") || !l.has("c") {
		t.Fatalf("after the window moved: %+v", l.claims)
	}
	if got := l.list(t0.Add(10*time.Minute), w); len(got) != 1 || got[0].ID != "c" {
		t.Fatalf("handed to the next run: %+v", got)
	}
}
