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
	"github.com/bpvp-sidoarjo/kompeten/i18n"
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

// cancellingEnroller answers the first call, then cancels the import (as Ctrl-C does) while
// the second batch is in flight and answers as an HTTP client does: with the context's error.
type cancellingEnroller struct {
	fakeEnroller
	cancel context.CancelFunc
}

func (c *cancellingEnroller) Enrol(ctx context.Context, pkg string, people []starter.Person) ([]starter.EnrolResult, error) {
	if c.calls == 1 {
		c.calls++
		c.cancel()
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return c.fakeEnroller.Enrol(ctx, pkg, people)
}

// An import interrupted mid-way leaves a report that says which rows started (the first
// batch), which were in flight without an answer (unknown) and which were never sent; the
// checkpoint written before the interrupted batch went out, all a crash would leave, says the
// same about the rows it knew of.
func TestInterruptedImportReportSaysWhichRowsStarted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	enr := &cancellingEnroller{fakeEnroller: fakeEnroller{started: map[string]bool{}}, cancel: cancel}
	rows, err := cohort.Open(cohortDir + "sample-cohort.csv")
	if err != nil {
		t.Fatal(err)
	}
	var checkpoints []importer.Report
	rep, err := importer.Run(ctx, rows, "P1", enr, importer.Options{BatchSize: 10, Rules: rules(),
		Checkpoint: func(r importer.Report) error {
			checkpoints = append(checkpoints, importer.Report{Rows: append([]importer.RowReport(nil), r.Rows...)})
			return nil
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v, want the cancellation", err)
	}
	valid := len(rows) - len(badRows(t))
	want := map[string]int{
		starter.OutcomeStarted:   10, // with or without a warning: the first batch
		importer.OutcomeUnknown:  10,
		importer.OutcomeNotSent:  valid - 20,
		importer.OutcomeRejected: len(badRows(t)),
	}
	got := rep.Counts()
	got[starter.OutcomeStarted] += got[starter.OutcomeWarnedStarted]
	for k, n := range want {
		if got[k] != n {
			t.Errorf("after the interrupt: %d rows %s, want %d (counts %v)", got[k], k, n, rep.Counts())
		}
	}
	if len(checkpoints) != 2 {
		t.Fatalf("%d checkpoints, want one before each of the two batches sent", len(checkpoints))
	}
	// What a crash during the second batch leaves: the checkpoint written before it.
	last := checkpoints[1]
	var buf bytes.Buffer
	if err := last.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byOutcome := map[string]int{}
	for _, rec := range recs[1:] {
		byOutcome[rec[3]]++
		if rec[3] == importer.OutcomeUnknown && !strings.Contains(rec[4], "may have started") {
			t.Errorf("row %s: unknown without saying it may have started: %q", rec[0], rec[4])
		}
	}
	if byOutcome[starter.OutcomeStarted]+byOutcome[starter.OutcomeWarnedStarted] != 10 || byOutcome[importer.OutcomeUnknown] != 10 ||
		byOutcome[importer.OutcomeNotSent] != valid-20 {
		t.Fatalf("checkpoint before the second batch: %v", byOutcome)
	}
	// Running it again finishes the job: the unknown rows started nothing on the fake server,
	// so they start now; the first batch reads already-enrolled.
	rows2, _ := cohort.Open(cohortDir + "sample-cohort.csv")
	rep2, err := importer.Run(context.Background(), rows2, "P1", enr, importer.Options{BatchSize: 10, Rules: rules()})
	if err != nil {
		t.Fatal(err)
	}
	c := rep2.Counts()
	if c[starter.OutcomeAlreadyEnrolled] != 10 || c[starter.OutcomeStarted]+c[starter.OutcomeWarnedStarted] != valid-10 {
		t.Fatalf("re-run: %v", c)
	}
}

// A run resumed from an interrupted one's report keeps the answers it had (the first batch
// reads started, not already-enrolled) and sends only the rest: the batch that was in flight
// (unknown: here it had started on the server, so it reads already-enrolled) and the rows never
// sent; nobody is started twice and the progress counts the kept answers as done from the start.
func TestResumeSendsOnlyRowsWithoutAnAnswer(t *testing.T) {
	enr := &fakeEnroller{started: map[string]bool{}, failAt: 2}
	rows, _ := cohort.Open(cohortDir + "sample-cohort.csv")
	first, err := importer.Run(context.Background(), rows, "P1", enr, importer.Options{BatchSize: 10, Rules: rules()})
	if err == nil {
		t.Fatal("want the enrolment error")
	}
	// The second batch reached the server, which started it, but its answer was lost.
	rows2, _ := cohort.Open(cohortDir + "sample-cohort.csv")
	cohort.Validate(rows2, rules())
	k := 0
	for i, r := range rows2 {
		if r.Err == nil && first.Rows[i].Outcome == importer.OutcomeUnknown {
			enr.started[r.NIK] = true
			k++
		}
	}
	if k != 10 {
		t.Fatalf("%d rows unknown after the failure, want the second batch of 10", k)
	}
	valid := len(rows) - len(badRows(t))
	callsBefore := enr.calls
	var progress [][2]int
	rows3, _ := cohort.Open(cohortDir + "sample-cohort.csv")
	rep, err := importer.Run(context.Background(), rows3, "P1", enr, importer.Options{BatchSize: 10, Rules: rules(), Resume: &first,
		Progress: func(done, total int) { progress = append(progress, [2]int{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Counts()
	if c[starter.OutcomeStarted]+c[starter.OutcomeWarnedStarted] != valid-10 || c[starter.OutcomeAlreadyEnrolled] != 10 ||
		c[importer.OutcomeRejected] != len(badRows(t)) {
		t.Fatalf("resumed counts %v", c)
	}
	for i := range rep.Rows {
		if first.Rows[i].Outcome == starter.OutcomeStarted && rep.Rows[i].Outcome != starter.OutcomeStarted {
			t.Errorf("row %d: started in the first run, %s after the resume", rep.Rows[i].Line, rep.Rows[i].Outcome)
		}
	}
	if sent := enr.calls - callsBefore; sent != (valid-10+9)/10 {
		t.Errorf("the resume sent %d batches, want %d (all rows but the first batch)", sent, (valid-10+9)/10)
	}
	if len(progress) == 0 || progress[0] != [2]int{10, valid} || progress[len(progress)-1] != [2]int{valid, valid} {
		t.Errorf("progress %v, want from 10 of %d to %d of %d", progress, valid, valid, valid)
	}
}

// noteEnroller keeps the people it is asked to enrol.
type noteEnroller struct{ people []starter.Person }

func (f *noteEnroller) Enrol(_ context.Context, _ string, people []starter.Person) ([]starter.EnrolResult, error) {
	f.people = append(f.people, people...)
	out := make([]starter.EnrolResult, len(people))
	for i := range out {
		out[i] = starter.EnrolResult{CaseID: "case" + strconv.Itoa(i), Outcome: starter.OutcomeWarnedStarted}
	}
	return out, nil
}

// A row's warnings reach the report and the enrolment as messages, one beside each English
// warning, so the pages and the journey word them in the reader's language.
func TestImportWarningsCarryTheirCodes(t *testing.T) {
	rows, err := cohort.ReadCSV(strings.NewReader("nik,nama,jenis_kelamin,tanggal_lahir,no_hp\n3515015907041187,Siti,L,19-07-2004,12\n"))
	if err != nil {
		t.Fatal(err)
	}
	enr := &noteEnroller{}
	rep, err := importer.Run(context.Background(), rows, "P1", enr, importer.Options{Rules: rules()})
	if err != nil || len(rep.Rows) != 1 || len(enr.people) != 1 {
		t.Fatalf("Run: %v, %+v, %d people", err, rep, len(enr.people))
	}
	codes := func(w []string, notes []i18n.Message) string {
		if len(w) != len(notes) {
			return fmt.Sprintf("%d warnings, %d notes", len(w), len(notes))
		}
		var out []string
		for i, n := range notes {
			if n.English() != w[i] {
				return fmt.Sprintf("note %d reads %q, warning %q", i, n.English(), w[i])
			}
			out = append(out, n.Code)
		}
		return strings.Join(out, " ")
	}
	const want = "warning.phone warning.nik-sex"
	if got := codes(rep.Rows[0].Warnings, rep.Rows[0].WarningNotes); got != want {
		t.Errorf("report: %s, want %s", got, want)
	}
	if got := codes(enr.people[0].Warnings, enr.people[0].WarningNotes); got != want {
		t.Errorf("enrolment: %s, want %s", got, want)
	}
}
