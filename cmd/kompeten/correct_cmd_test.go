package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// `kompeten correct` sends the corrected fields to the case's correction; a refusal is the
// server's words and exit code 3 (refused).
func TestCorrectSendsTheCorrectedFields(t *testing.T) {
	t.Chdir(t.TempDir())
	var got []api.CorrectionRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b api.CorrectionRequest
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil || r.URL.Path != "/api/v1/cases/k3f9x2m7qa/correction" {
			t.Errorf("request %s: %v", r.URL.Path, err)
		}
		got = append(got, b)
		if b.NIK == "3.51502E+15" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "koreksi ditolak · correction refused: looks like Excel scientific notation"})
			return
		}
		_ = json.NewEncoder(w).Encode(api.CorrectionResult{UpdateResult: workflows.UpdateResult{CaseID: "k3f9x2m7qa", Stage: "insurance", Message: "correction accepted"}})
	}))
	t.Cleanup(srv.Close)

	code, stderr := run(t, "correct", "k3f9x2m7qa", "--name", "Siti Nurhaliza", "--birth-date", "19-07-2004",
		"--nik", "3515015907041187", "--note", "from the KK", "--server", srv.URL, "--token", "kpt_x")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if len(got) != 1 || got[0].Name != "Siti Nurhaliza" || got[0].BirthDate != "19-07-2004" || got[0].NIK != "3515015907041187" ||
		got[0].Note != "from the KK" || got[0].Actor.Role != "centre-admin" {
		t.Fatalf("sent %+v", got)
	}
	code, stderr = run(t, "correct", "k3f9x2m7qa", "--nik", "3.51502E+15", "--server", srv.URL, "--token", "kpt_x")
	if code != exitRefused || !strings.Contains(stderr, "scientific notation") {
		t.Fatalf("refusal: exit %d, %s", code, stderr)
	}
}
