package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// `kompeten place --start DAY` sends the day's first moment in journey.timezone, and without
// --start today's, as the follow-up form does: the same placement reported from the terminal and from the pages
// starts on the same instant (the parity test found the CLI sending UTC midnight, seven hours
// after the pages' in WIB).
func TestPlaceReadsTheStartDayInTheJourneysZone(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_JOURNEY_TIMEZONE", "Asia/Jakarta")
	var got []workflows.PlacementReport
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b workflows.PlacementReport
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil || r.URL.Path != "/api/v1/cases/k3f9x2m7qa/placement" {
			t.Errorf("request %s: %v", r.URL.Path, err)
		}
		got = append(got, b)
		_ = json.NewEncoder(w).Encode(workflows.UpdateResult{CaseID: "k3f9x2m7qa", Stage: "closed", Message: "placement reported"})
	}))
	t.Cleanup(srv.Close)

	code, stderr := run(t, "place", "k3f9x2m7qa", "--category", "formal", "--employer", "PT Maju Jaya", "--start", "2027-05-02",
		"--server", srv.URL, "--token", "kpt_x")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2027, 5, 2, 0, 0, 0, 0, jakarta)
	if len(got) != 1 || !got[0].Start.Equal(want) {
		t.Fatalf("sent %+v, want the start %s (%s)", got, want, want.UTC())
	}
	// Without --start: today's first moment there, the day the follow-up form fills in.
	code, stderr = run(t, "place", "k3f9x2m7qa", "--category", "informal", "--server", srv.URL, "--token", "kpt_x")
	now := time.Now().In(jakarta)
	if today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, jakarta); code != 0 || len(got) != 2 || !got[1].Start.Equal(today) {
		t.Fatalf("without --start: exit %d %s, sent %+v, want the start %s", code, stderr, got, today)
	}
	code, _ = run(t, "place", "k3f9x2m7qa", "--category", "formal", "--employer", "PT Maju Jaya", "--start", "02-05-2027",
		"--server", srv.URL, "--token", "kpt_x")
	if code == 0 || len(got) != 2 {
		t.Fatalf("a day not in YYYY-MM-DD: exit %d, %d sent", code, len(got))
	}
}
