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

// enrolAPI answers the requests an import makes: the package, and each batch of people, every
// one started (once: again, already-enrolled); and a dry run's question who is enrolled.
func enrolAPI(t *testing.T) *httptest.Server {
	t.Helper()
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	pkg := store.Package{Code: "SBY-LAS-1", CentreCode: "BLK-SBY", StartDate: time.Date(2027, 2, 1, 0, 0, 0, 0, wib),
		EndDate: time.Date(2027, 3, 31, 23, 59, 59, 0, wib), Capacity: 40}
	n := 0
	seen := map[string]string{} // NIK -> case; the handlers run one at a time (the CLI waits for each)
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
		for _, p := range req.People {
			if id, ok := seen[p.NIK]; ok {
				resp.Results = append(resp.Results, starter.EnrolResult{CaseID: id, Outcome: starter.OutcomeAlreadyEnrolled})
				continue
			}
			n++
			seen[p.NIK] = fmt.Sprintf("case%06d", n)
			resp.Results = append(resp.Results, starter.EnrolResult{CaseID: seen[p.NIK], Outcome: starter.OutcomeStarted})
		}
		_ = json.NewEncoder(w).Encode(resp)
	})
	mux.HandleFunc("POST /api/v1/packages/SBY-LAS-1/enrolled", func(w http.ResponseWriter, r *http.Request) {
		var req api.EnrolledRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		resp := api.EnrolledResponse{Results: []api.EnrolledResult{}}
		for _, nik := range req.NIKs {
			resp.Results = append(resp.Results, api.EnrolledResult{Enrolled: seen[nik] != "", CaseID: seen[nik]})
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
	if cmd, err := root.ExecuteC(); err != nil {
		code = exitCode(&stderr, cmd, err)
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

// A dry run asks the server who is enrolled: before the import the 28 good rows read valid,
// after it already-enrolled with the cases the import made; nothing starts either time.
func TestImportDryRunSaysAlreadyEnrolled(t *testing.T) {
	cohortFile, err := filepath.Abs(sampleCohort)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_TOKEN", "kpt_test")
	srv := enrolAPI(t)
	importReport := func(report string, args ...string) (string, map[string]string) {
		t.Helper()
		root := newRoot()
		var stdout, stderr bytes.Buffer
		root.SetOut(&stdout)
		root.SetErr(&stderr)
		root.SetArgs(append([]string{"import", cohortFile, "--package", "SBY-LAS-1", "--server", srv.URL, "--report", report}, args...))
		if cmd, err := root.ExecuteC(); err != nil && exitCode(&stderr, cmd, err) != exitFailure {
			t.Fatalf("import %v: %v\n%s", args, err, stderr.String())
		}
		f, err := os.Open(report)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]string{} // row -> outcome and case
		for _, rec := range recs[1:] {
			rows[rec[0]] = rec[3] + " " + rec[2]
		}
		return stdout.String(), rows
	}
	out, before := importReport("before.csv", "--dry-run")
	if !strings.Contains(out, "valid                28") || strings.Contains(out, starter.OutcomeAlreadyEnrolled) {
		t.Errorf("dry run before the import:\n%s", out)
	}
	_, imported := importReport("import.csv")
	out, after := importReport("after.csv", "--dry-run")
	if !strings.Contains(out, "already-enrolled     28") || strings.Contains(out, "valid ") {
		t.Errorf("dry run after the import:\n%s", out)
	}
	n := 0
	for row, got := range after {
		if id, ok := strings.CutPrefix(imported[row], starter.OutcomeStarted+" "); ok {
			n++
			if got != starter.OutcomeAlreadyEnrolled+" "+id || before[row] != importer.OutcomeValid+" " {
				t.Errorf("row %s: before %q, imported %q, after %q", row, before[row], imported[row], got)
			}
		}
	}
	if n != 28 {
		t.Fatalf("%d rows started, want 28", n)
	}
}
