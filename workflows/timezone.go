package workflows

import (
	"time"
	// The tz database in the binary: the journeys word dates and the agreements start their days
	// in a named zone (Asia/Jakarta), and every worker and every replay, on any machine, must find
	// the same zone whatever the host has installed. Without it a host lacking /usr/share/zoneinfo
	// words dates in UTC, and a replay there could take other branches than the run it replays.
	_ "time/tzdata"
)

// zone is the named time zone, or nil when the name is empty or unknown (the configuration
// refuses an unknown one before any workflow is started with it).
func zone(name string) *time.Location {
	if name == "" {
		return nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return l
}

// zoneOrUTC is the named time zone, or UTC.
func zoneOrUTC(name string) *time.Location {
	if l := zone(name); l != nil {
		return l
	}
	return time.UTC
}
