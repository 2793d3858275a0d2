package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

// parseDay reads a calendar day (YYYY-MM-DD) as its first moment in journey.timezone, the
// zone the centres live in: the pages (the follow-up form) and the graduates' self-report page
// read a day the same way, so a placement reported on either side starts on the same instant.
// Read as UTC, the same day would start seven hours later than the pages' in WIB. An empty s
// is today there.
func parseDay(cmd *cobra.Command, s string) (time.Time, error) {
	c, err := loadConfig(cmd)
	if err != nil {
		return time.Time{}, err
	}
	loc, err := time.LoadLocation(c.Journey.Timezone)
	if err != nil {
		return time.Time{}, fmt.Errorf("journey.timezone %q: %w", c.Journey.Timezone, err)
	}
	if s == "" {
		s = time.Now().In(loc).Format(time.DateOnly)
	}
	return time.ParseInLocation(time.DateOnly, s, loc)
}
