package importer_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// cohortDir holds the synthetic sample cohort that users get in examples/.
const cohortDir = "../examples/"

// fakeEnroller remembers who it started, like Temporal's workflow-ID uniqueness.
type fakeEnroller struct {
	started map[string]bool
	calls   int
	failAt  int // fail the n-th call (1-based); 0 never
}

func (f *fakeEnroller) Enrol(_ context.Context, pkg string, people []starter.Person) ([]starter.EnrolResult, error) {
	f.calls++
	if f.calls == f.failAt {
		return nil, errors.New("server unavailable")
	}
	out := make([]starter.EnrolResult, len(people))
	for i, p := range people {
		id := "case-" + p.NIK[len(p.NIK)-6:]
		switch {
		case f.started[p.NIK]:
			out[i] = starter.EnrolResult{CaseID: id, Outcome: starter.OutcomeAlreadyEnrolled}
		case len(p.Warnings) > 0:
			f.started[p.NIK] = true
			out[i] = starter.EnrolResult{CaseID: id, Outcome: starter.OutcomeWarnedStarted}
		default:
			f.started[p.NIK] = true
			out[i] = starter.EnrolResult{CaseID: id, Outcome: starter.OutcomeStarted}
		}
	}
	return out, nil
}

func badRows(t *testing.T) map[int]string {
	t.Helper()
	f, err := os.Open(cohortDir + "sample-cohort.bad-rows.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 2 {
			continue
		}
		n, err := strconv.Atoi(parts[0])
		if err != nil {
			continue
		}
		out[n] = parts[1]
	}
	return out
}

func rules() cohort.Rules {
	return cohort.Rules{StartDate: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), MinAge: 17}
}

// The sample cohort: exactly the listed bad rows are rejected with their kind, every other row
// is started, and a second run starts nothing.
func TestImportSampleCohortTwice(t *testing.T) {
	bad := badRows(t)
	enr := &fakeEnroller{started: map[string]bool{}}
	rows, err := cohort.Open(cohortDir + "sample-cohort.csv")
	if err != nil {
		t.Fatal(err)
	}
	var progress []string
	rep, err := importer.Run(context.Background(), rows, "P1", enr, importer.Options{BatchSize: 7, Rules: rules(),
		Progress: func(done, total int) { progress = append(progress, fmt.Sprintf("%d/%d", done, total)) }})
	if err != nil {
		t.Fatal(err)
	}
	// Told before the first batch (a progress display starts its clock there), then per batch.
	if got := strings.Join(progress, " "); got != "0/28 7/28 14/28 21/28 28/28" {
		t.Errorf("progress %s", got)
	}
	started := 0
	for _, r := range rep.Rows {
		kind, isBad := bad[r.Line]
		switch {
		case isBad && r.Outcome != importer.OutcomeRejected:
			t.Errorf("row %d (%s): outcome %s, want rejected", r.Line, kind, r.Outcome)
		case isBad && !strings.HasPrefix(r.Reason, kind+":"):
			t.Errorf("row %d: reason %q, want kind %s", r.Line, r.Reason, kind)
		case !isBad && r.Outcome != starter.OutcomeStarted && r.Outcome != starter.OutcomeWarnedStarted:
			t.Errorf("row %d: outcome %s (%s), want started", r.Line, r.Outcome, r.Reason)
		case !isBad:
			started++
		}
		if strings.Count(r.NIK, "*") == 0 && r.NIK != "" {
			t.Errorf("row %d: NIK %q not masked in the report", r.Line, r.NIK)
		}
	}
	if started != len(rows)-len(bad) || len(enr.started) != started {
		t.Fatalf("started %d rows (enroller saw %d), want %d", started, len(enr.started), len(rows)-len(bad))
	}

	rows2, _ := cohort.Open(cohortDir + "sample-cohort.csv")
	rep2, err := importer.Run(context.Background(), rows2, "P1", enr, importer.Options{Rules: rules()})
	if err != nil {
		t.Fatal(err)
	}
	c := rep2.Counts()
	if c[starter.OutcomeStarted]+c[starter.OutcomeWarnedStarted] != 0 || c[starter.OutcomeAlreadyEnrolled] != started {
		t.Fatalf("second run counts %v, want %d already-enrolled and nothing started", c, started)
	}
	var buf bytes.Buffer
	if err := rep2.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(rows)+1 {
		t.Fatalf("report has %d lines, want header + %d rows", len(recs), len(rows))
	}
}

func TestDryRunStartsNothing(t *testing.T) {
	enr := &fakeEnroller{started: map[string]bool{}}
	rows, err := cohort.Open(cohortDir + "sample-cohort.csv")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Run(context.Background(), rows, "P1", enr, importer.Options{DryRun: true, Rules: rules()})
	if err != nil {
		t.Fatal(err)
	}
	if enr.calls != 0 {
		t.Fatalf("dry run called the enroller %d times", enr.calls)
	}
	if n := rep.Counts()[importer.OutcomeValid]; n != len(rows)-len(badRows(t)) {
		t.Fatalf("dry run: %d valid rows, want %d", n, len(rows)-len(badRows(t)))
	}
}

// A failure mid-import returns what was done; re-running finishes the rest without duplicates.
func TestFailureMidImportThenRerun(t *testing.T) {
	enr := &fakeEnroller{started: map[string]bool{}, failAt: 2}
	rows, _ := cohort.Open(cohortDir + "sample-cohort.csv")
	rep, err := importer.Run(context.Background(), rows, "P1", enr, importer.Options{BatchSize: 10, Rules: rules()})
	if err == nil {
		t.Fatal("want the enrolment error")
	}
	first := rep.Counts()[starter.OutcomeStarted] + rep.Counts()[starter.OutcomeWarnedStarted]
	if first != 10 {
		t.Fatalf("started before the failure = %d, want the first batch of 10", first)
	}
	rows2, _ := cohort.Open(cohortDir + "sample-cohort.csv")
	rep2, err := importer.Run(context.Background(), rows2, "P1", enr, importer.Options{BatchSize: 10, Rules: rules()})
	if err != nil {
		t.Fatal(err)
	}
	c := rep2.Counts()
	if c[starter.OutcomeAlreadyEnrolled] != 10 || c[starter.OutcomeStarted]+c[starter.OutcomeWarnedStarted] != len(rows)-len(badRows(t))-10 {
		t.Fatalf("re-run counts %v", c)
	}
}
