package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// sampleCohort is the sample cohort the README's demo imports (28 good rows, 20 bad).
const sampleCohort = "../../../shared/data/cohorts/sample-cohort.csv"

// enrolAPI answers the two requests an import makes: the package, and each batch of people,
// every one started.
func enrolAPI(t *testing.T) *httptest.Server {
	t.Helper()
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	pkg := store.Package{Code: "SBY-LAS-1", CentreCode: "BLK-SBY", StartDate: time.Date(2027, 2, 1, 0, 0, 0, 0, wib),
		EndDate: time.Date(2027, 3, 31, 23, 59, 59, 0, wib), Capacity: 40}
	n := 0
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/packages/SBY-LAS-1", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(pkg)
	})
	mux.HandleFunc("POST /api/v1/packages/SBY-LAS-1/enrolments", func(w http.ResponseWriter, r *http.Request) {
		var req api.EnrolRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var resp api.EnrolResponse
		for range req.People {
			n++
			resp.Results = append(resp.Results, starter.EnrolResult{CaseID: fmt.Sprintf("case%06d", n), Outcome: starter.OutcomeStarted})
		}
		_ = json.NewEncoder(w).Encode(resp)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// The done-when: importing the sample cohort exits 1 (README: an import with rows that
// did not start) and reports its 20 rejected rows, on the terminal and in the report file; the
// 28 good rows start.
func TestImportWithRejectedRowsExitsOne(t *testing.T) {
	cohortFile, err := filepath.Abs(sampleCohort)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_TOKEN", "kpt_test")
	srv := enrolAPI(t)
	root := newRoot()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs([]string{"import", cohortFile, "--package", "SBY-LAS-1", "--server", srv.URL, "--report", "report.csv"})
	code := 0
	if err := root.Execute(); err != nil {
		code = exitCode(&stderr, err)
	}
	if code != exitFailure {
		t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, exitFailure, stdout.String(), stderr.String())
	}
	if got := strings.Count(stdout.String(), "\n  row "); got != 20 {
		t.Errorf("%d rejected rows printed, want 20:\n%s", got, stdout.String())
	}
	if !strings.Contains(stderr.String(), "20 of 48 rows did not start") {
		t.Errorf("stderr does not count the rows that did not start: %s", stderr.String())
	}
	f, err := os.Open("report.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, rec := range recs[1:] {
		counts[rec[3]]++
	}
	if counts[importer.OutcomeRejected] != 20 || counts[starter.OutcomeStarted] != 28 {
		t.Fatalf("report counts %v, want 20 rejected and 28 started", counts)
	}
	if leftovers, _ := filepath.Glob(".report.csv.*"); len(leftovers) > 0 {
		t.Errorf("temporary report files left behind: %v", leftovers)
	}
}
