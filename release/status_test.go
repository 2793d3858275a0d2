package release

import (
	"strings"
	"testing"
	"time"
)

// The status says of each build what it does and whether its workers may stop, oldest first.
func TestStatusPrint(t *testing.T) {
	at := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	s := Status{Deployment: "kompeten", Current: "v3", Ramping: "v4", RampPercent: 10, Versions: []Version{
		{BuildID: "v1", Created: at, Drainage: "drained"},
		{BuildID: "v2", Created: at.Add(time.Hour), Drainage: "draining"},
		{BuildID: "v3", Created: at.Add(2 * time.Hour)},
		{BuildID: "v4", Created: at.Add(3 * time.Hour)},
	}}
	var b strings.Builder
	if err := s.Print(&b, time.FixedZone("WIB", 7*3600)); err != nil {
		t.Fatal(err)
	}
	want := `worker deployment kompeten
  v1                       2026-11-29 08:00  old, drained: its workers may stop
  v2                       2026-11-29 09:00  old, draining: pinned workflows may still run on it (the server checks every few minutes), keep its workers
  v3                       2026-11-29 10:00  current: takes new journeys
  v4                       2026-11-29 11:00  ramping: takes 10% of new work
`
	if b.String() != want {
		t.Errorf("status:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := (Status{Deployment: "kompeten"}).Print(&b, time.UTC); err != nil || !strings.Contains(b.String(), "no versioned worker has polled yet") {
		t.Errorf("empty deployment: %q, %v", b.String(), err)
	}
}
