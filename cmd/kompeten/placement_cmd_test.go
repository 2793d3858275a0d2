package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// placement confirm posts to the case's placement/confirm with the note; the journey's refusal
// (no self-report waiting) is printed as it was worded and exits 2.
func TestPlacementConfirm(t *testing.T) {
	t.Chdir(t.TempDir())
	var paths, notes []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b workflows.PlacementConfirmation
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			t.Errorf("body: %v", err)
		}
		paths = append(paths, r.Method+" "+r.URL.Path)
		notes = append(notes, b.Note)
		w.Header().Set("Content-Type", "application/json")
		if len(paths) > 1 {
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = w.Write([]byte(`{"error": "kasus k3f9x2m7qa tidak menunggu konfirmasi penempatan (sudah dikonfirmasi) · cannot confirm a placement: case k3f9x2m7qa is not waiting for a placement confirmation (already confirmed)"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(workflows.UpdateResult{CaseID: "k3f9x2m7qa", Stage: "placement", Message: "self-reported placement confirmed; the case will close"})
	}))
	t.Cleanup(srv.Close)

	code, stdout, stderr := runOut(t, "placement", "confirm", "k3f9x2m7qa", "--note", "employer called", "--server", srv.URL, "--token", "kpt_x")
	if code != 0 || !strings.Contains(stdout, "k3f9x2m7qa: self-reported placement confirmed") {
		t.Fatalf("confirm: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if len(paths) != 1 || paths[0] != "POST /api/v1/cases/k3f9x2m7qa/placement/confirm" || notes[0] != "employer called" {
		t.Fatalf("sent %v with notes %v", paths, notes)
	}
	code, _, stderr = runOut(t, "placement", "confirm", "k3f9x2m7qa", "--server", srv.URL, "--token", "kpt_x")
	if code != exitRefused || !strings.Contains(stderr, "tidak menunggu konfirmasi penempatan") {
		t.Errorf("second confirm: exit %d, stderr %q", code, stderr)
	}
}
