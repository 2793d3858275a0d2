package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// `package update` sends exactly the flags given (auto approval switched off included), prints
// each case's answer, refuses an empty update before sending, and prints a refusal in the API's
// words.
func TestPackageUpdateSendsTheFlagsGiven(t *testing.T) {
	t.Chdir(t.TempDir())
	var mu sync.Mutex
	var sent []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodPatch || r.URL.Path != "/api/v1/packages/SBY-LAS-1" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("body: %v", err)
		}
		sent = append(sent, body)
		if _, ok := body["hours"]; ok {
			w.WriteHeader(http.StatusUnprocessableEntity)
			_ = json.NewEncoder(w).Encode(api.ErrorBody{Error: "hours must be at least 1, got 0"})
			return
		}
		_ = json.NewEncoder(w).Encode(starter.PackageEdited{Package: store.Package{Code: "SBY-LAS-1"},
			Changes: []string{"start 2027-02-08 (was 2027-02-01)"},
			Cases:   []store.PackageEditCase{{CaseID: "aaaaaaaaaa", Outcome: starter.NoticeSent, Message: "package SBY-LAS-1 changed; applied: training from 2027-02-08"}}})
	}))
	t.Cleanup(srv.Close)

	code, stderr := run(t, "package", "update", "SBY-LAS-1", "--start", "2027-02-08", "--attendance-min", "0.75", "--auto-approve=false",
		"--server", srv.URL, "--token", "kpt_x")
	if code != 0 || !strings.Contains(stderr, "changed: start 2027-02-08 (was 2027-02-01)") ||
		!strings.Contains(stderr, "case aaaaaaaaaa: sent: package SBY-LAS-1 changed; applied: training from 2027-02-08") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if code, stderr := run(t, "package", "update", "SBY-LAS-1", "--server", srv.URL, "--token", "kpt_x"); code == 0 || !strings.Contains(stderr, "nothing to change") {
		t.Fatalf("no flags: exit %d, stderr %q", code, stderr)
	}
	if code, stderr := run(t, "package", "update", "SBY-LAS-1", "--hours", "0", "--server", srv.URL, "--token", "kpt_x"); code == 0 ||
		!strings.Contains(stderr, "hours must be at least 1, got 0") {
		t.Fatalf("refused: exit %d, stderr %q", code, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 2 {
		t.Fatalf("sent %d requests, want 2 (the empty update is refused before sending)", len(sent))
	}
	want := map[string]any{"start": "2027-02-08", "attendance_min": 0.75, "auto_approve": false}
	if len(sent[0]) != len(want) {
		t.Fatalf("sent %v, want only %v", sent[0], want)
	}
	for k, v := range want {
		if sent[0][k] != v {
			t.Fatalf("sent %v, want %v", sent[0], want)
		}
	}
}
