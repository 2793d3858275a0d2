package web

import (
	"testing"
	"time"
)

// A partner's UTC timestamps are shown in the pages' zone, the same instant, so a card says WIB only.
func TestTimesInZone(t *testing.T) {
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"bpjs: register: HTTP 503: BPJS simulator outage until 2026-11-29T14:10:18Z": "bpjs: register: HTTP 503: BPJS simulator outage until 2026-11-29 21:10:18 WIB",
		"from 2026-01-31T17:00:00.5Z to 2026-02-01T00:00:00Z":                        "from 2026-02-01 00:00:00 WIB to 2026-02-01 07:00:00 WIB",
		"no time here; 2026-13-45T99:00:00Z is no time either":                       "no time here; 2026-13-45T99:00:00Z is no time either",
		"offset times are left alone: 2026-01-01T10:00:00+07:00":                     "offset times are left alone: 2026-01-01T10:00:00+07:00",
	} {
		if got := timesInZone(in, wib); got != want {
			t.Errorf("timesInZone(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
