// Package outage reads the partner outage windows of the configuration (simulators.*.outages),
// written START/DURATION. It stands apart so that the configuration can check the windows
// and the simulators can use them without either package depending on the other.
package outage

import (
	"fmt"
	"strings"
	"time"
)

// Window is a period of outage, [Start, End).
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Contains reports whether t falls inside w.
func (w Window) Contains(t time.Time) bool { return !t.Before(w.Start) && t.Before(w.End) }

// Parse reads outage windows written as START/DURATION, where START is an RFC 3339 time
// or +DURATION from now ("+5m/10m": from five minutes after start-up, for ten minutes).
func Parse(specs []string, now time.Time) ([]Window, error) {
	var out []Window
	for _, s := range specs {
		startS, durS, ok := strings.Cut(strings.TrimSpace(s), "/")
		if !ok {
			return nil, fmt.Errorf("outage %q: write START/DURATION, e.g. +5m/10m or 2027-02-01T08:00:00+07:00/2h", s)
		}
		var start time.Time
		if strings.HasPrefix(startS, "+") {
			d, err := time.ParseDuration(startS[1:])
			if err != nil {
				return nil, fmt.Errorf("outage %q: start: %w", s, err)
			}
			start = now.Add(d)
		} else {
			t, err := time.Parse(time.RFC3339, startS)
			if err != nil {
				return nil, fmt.Errorf("outage %q: start: %w", s, err)
			}
			start = t
		}
		d, err := time.ParseDuration(durS)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("outage %q: duration must be positive, like 10m", s)
		}
		out = append(out, Window{Start: start, End: start.Add(d)})
	}
	return out, nil
}
