package simulator

import (
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/outage"
)

// Window is a period of outage, [Start, End); outage.Parse reads them from the configuration.
type Window = outage.Window

// Config tunes how a simulator behaves. The zero value is a fast, reliable partner.
type Config struct {
	Latency       time.Duration // added before every partner API answer
	ErrorRate     float64       // share of calls answered with a transient 503
	DataErrorRate float64       // share of distinct requests refused as bad data (422)
	Outages       []Window      // absolute outage windows
	Seed          int64         // makes injected errors reproducible; 0 is a valid seed
	// APIKey, when set, must arrive as "Authorization: Bearer <key>"; otherwise 401.
	APIKey string
	// Now is the clock; nil means time.Now. Tests inject one to move time forward.
	Now func() time.Time
}

// LSPConfig tunes the certification body simulator.
type LSPConfig struct {
	Config
	// Code prefixes certificate numbers, e.g. "LSP-BLK-SBY" gives "LSP-BLK-SBY/2027/000123".
	// Empty means "LSP-SIM".
	Code string
	// ScheduleLead is how long after max(not_before, now) the assessment takes place.
	ScheduleLead time.Duration
	// ResultDelay is how long after the assessment date its result becomes available.
	ResultDelay time.Duration
	BKRate      float64 // per unit, share of "BK" (belum kompeten) results
	// SchemeUnits are the units of competence of each scheme the LSP assesses (kompeten passes
	// the registry's); a scheme not listed is not offered. Without any (tests of the adapter),
	// every scheme has Units made-up units "<scheme>.U01"...
	SchemeUnits map[string][]string
	Units       int // units per scheme without SchemeUnits; 0 means 5
	// Schemes, when set, are the only schemes offered; others are refused (422).
	Schemes   []string
	TUK       string   // test site; empty means "TUK Sewaktu <Code>"
	Assessors []string // assigned in turn; empty means a few made-up names
}

// configPatch is the body of POST /sim/config; absent fields keep their value.
type configPatch struct {
	Latency       *string  `json:"latency"`
	ErrorRate     *float64 `json:"error_rate"`
	DataErrorRate *float64 `json:"data_error_rate"`
	ResultDelay   *string  `json:"result_delay"`
	ScheduleLead  *string  `json:"schedule_lead"`
	BKRate        *float64 `json:"bk_rate"`
}

// configView is the answer of GET and POST /sim/config.
type configView struct {
	Latency       string   `json:"latency"`
	ErrorRate     float64  `json:"error_rate"`
	DataErrorRate float64  `json:"data_error_rate"`
	Outages       []Window `json:"outages"`
	Seed          int64    `json:"seed"`
	ResultDelay   string   `json:"result_delay,omitempty"`
	ScheduleLead  string   `json:"schedule_lead,omitempty"`
	BKRate        *float64 `json:"bk_rate,omitempty"`
}

// checkRate rejects shares outside [0, 1].
func checkRate(name string, p *float64) error {
	if p != nil && (*p < 0 || *p > 1) {
		return fmt.Errorf("%s must be between 0 and 1", name)
	}
	return nil
}

// parseDuration parses an optional non-negative duration such as "10m".
func parseDuration(name string, s *string) (time.Duration, bool, error) {
	if s == nil {
		return 0, false, nil
	}
	d, err := time.ParseDuration(*s)
	if err != nil {
		return 0, false, fmt.Errorf("%s: %w", name, err)
	}
	if d < 0 {
		return 0, false, fmt.Errorf("%s must not be negative", name)
	}
	return d, true, nil
}
