package bench

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// Configure shortens a configuration for a benchmark run: partners that answer at once and
// never fail, assessments scheduled and graded within a fraction of a second, and a follow-up
// "month" long enough that a reported placement always closes the case first. The SLAs keep
// their defaults, so a case is marked stuck only when something really waits for days.
func Configure(c *config.Config, dataDir string, resultPoll time.Duration) error {
	c.DataDir = dataDir
	if c.Security.NIKHashKey == "" {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return fmt.Errorf("generate NIK hash key: %w", err)
		}
		c.Security.NIKHashKey = hex.EncodeToString(key)
	}
	c.HTTP.Addr = "127.0.0.1:0"
	c.Journey.Month = time.Hour
	c.Journey.FollowUpMonths = []int{1, 3, 6, 12}
	// A poll may take at most one interval (its schedule-to-close timeout): long enough that a
	// busy worker still answers in time, so results come from the first poll as they would.
	c.Journey.ResultPollInterval = resultPoll
	c.Journey.AgreementPoll = time.Second
	// Only absences are recorded, so full attendance needs nobody to act before the training
	// ends: under load a person's attendance could otherwise race the last training day.
	c.Journey.AttendanceMode = "absence"
	c.Partners.BPJS.Adapter = "http"
	for _, s := range []*config.SimulatorConfig{&c.Simulators.BPJS, &c.Simulators.LSP} {
		s.Latency, s.ErrorRate, s.DataErrorRate, s.Outages = 0, 0, 0, nil
	}
	c.Simulators.LSP.BKRate = 0
	c.Simulators.LSP.ScheduleLead = 200 * time.Millisecond
	c.Simulators.LSP.ResultDelay = 0
	return nil
}
