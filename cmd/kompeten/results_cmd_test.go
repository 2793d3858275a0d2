package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// kompeten results import sends one record-assessment per case of the LSP's file (what
// kompeten assess sends), prints every row's outcome — the journey's refusal of a partial case
// in its words, a bad row rejected and its case not sent — and ends with exit code 1 when a
// row was not recorded; kompeten follow-up sends a contact per case.
func TestResultsImportAndFollowUp(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var mu sync.Mutex
	got := map[string]json.RawMessage{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var raw json.RawMessage
		_ = json.NewDecoder(r.Body).Decode(&raw)
		mu.Lock()
		got[r.URL.Path] = raw
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/cases/case000002/assessment" {
			w.WriteHeader(422)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "a result needs K or BK for every unit assessed, once: missing units U2"})
			return
		}
		_ = json.NewEncoder(w).Encode(workflows.UpdateResult{CaseID: "x", Stage: "assessment", Message: "recorded"})
	}))
	t.Cleanup(srv.Close)
	file := filepath.Join(dir, "hasil.csv")
	content := "case_id,unit,result,assessor\ncase000001,U1,K,ASR-1\ncase000001,U2,bk,ASR-1\ncase000002,U1,K,ASR-2\ncase000003,U1,X,ASR-3\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := run(t, "results", "import", file, "--server", srv.URL, "--token", "kpt_x")
	if code != exitFailure || !strings.Contains(stderr, "4 rows: 2 recorded 1 refused 1 rejected") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var one workflows.AssessmentResult
	if err := json.Unmarshal(got["/api/v1/cases/case000001/assessment"], &one); err != nil || one.AssessorID != "ASR-1" || len(one.Units) != 2 || one.Units[1].Result != "BK" {
		t.Fatalf("case000001 sent %s (%v)", got["/api/v1/cases/case000001/assessment"], err)
	}
	if _, sent := got["/api/v1/cases/case000003/assessment"]; sent {
		t.Error("a case with a rejected row was sent")
	}

	code, stderr = run(t, "follow-up", "case000001", "case000002", "--contact", "not-reached", "--server", srv.URL, "--token", "kpt_x")
	if code != 0 {
		t.Fatalf("follow-up: exit %d: %s", code, stderr)
	}
	var c workflows.FollowUpContact
	if err := json.Unmarshal(got["/api/v1/cases/case000002/follow-up"], &c); err != nil || c.Contact != "not-reached" {
		t.Fatalf("follow-up sent %s (%v)", got["/api/v1/cases/case000002/follow-up"], err)
	}
}
