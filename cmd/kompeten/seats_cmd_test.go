package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// A full package's 409 is printed in the API's words with the case and ends with exit code 2;
// --waitlist and --over-capacity reach the API; --over-capacity without a reason is refused
// before anything is sent.
func TestApproveIntoAFullPackage(t *testing.T) {
	t.Chdir(t.TempDir())
	var mu sync.Mutex
	var sent []workflows.EnrolmentDecision
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		var d workflows.EnrolmentDecision
		if err := json.NewDecoder(r.Body).Decode(&d); err != nil {
			t.Errorf("body: %v", err)
		}
		sent = append(sent, d)
		if !d.Waitlist && !d.OverCapacity {
			w.WriteHeader(http.StatusConflict)
			_ = json.NewEncoder(w).Encode(api.ErrorBody{Error: "package SBY-LAS-1 is full: 16 of 16 seats taken"})
			return
		}
		_ = json.NewEncoder(w).Encode(workflows.UpdateResult{CaseID: "aaaaaaaaaa", Stage: vocab.StageEnrolment, Message: "enrolment approved onto the waiting list"})
	}))
	t.Cleanup(srv.Close)

	code, stderr := run(t, "approve", "enrolment", "aaaaaaaaaa", "--server", srv.URL, "--token", "kpt_x")
	if code != exitRefused || !strings.Contains(stderr, "ditolak: aaaaaaaaaa: package SBY-LAS-1 is full: 16 of 16 seats taken") {
		t.Fatalf("full package: exit %d, stderr %q; want 2 and the count", code, stderr)
	}
	if code, stderr := run(t, "approve", "enrolment", "aaaaaaaaaa", "--waitlist", "--server", srv.URL, "--token", "kpt_x"); code != 0 {
		t.Fatalf("--waitlist: exit %d (%s)", code, stderr)
	}
	if code, _ := run(t, "approve", "enrolment", "aaaaaaaaaa", "--over-capacity", "--server", srv.URL, "--token", "kpt_x"); code != exitFailure {
		t.Fatalf("--over-capacity without --reason: exit %d, want 1", code)
	}
	if code, stderr := run(t, "approve", "enrolment", "aaaaaaaaaa", "--over-capacity", "--reason", "sponsored", "--server", srv.URL, "--token", "kpt_x"); code != 0 {
		t.Fatalf("--over-capacity: exit %d (%s)", code, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 3 || !sent[1].Waitlist || !sent[2].OverCapacity || sent[2].Reason != "sponsored" {
		t.Fatalf("sent %+v", sent)
	}
}
