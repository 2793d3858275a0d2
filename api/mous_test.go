package api_test

import (
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

func TestParseDay(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	// 23:30 UTC on 1 March is already 2 March in WIB: "today" is the WIB day.
	now := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC).In(wib)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for in, want := range map[string]time.Time{
		"today":        day(2026, 3, 2),
		"+30d":         day(2026, 4, 1),
		"-1d":          day(2026, 3, 1),
		"2028-01-18":   day(2028, 1, 18),
		"18-01-2028":   day(2028, 1, 18),
		" 18/01/2028 ": day(2028, 1, 18),
	} {
		got, err := api.ParseDay(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDay(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "tomorrow", "+xd", "2028-13-01", "+30"} {
		if _, err := api.ParseDay(bad, now); err == nil {
			t.Errorf("ParseDay(%q) accepted", bad)
		}
	}
}
