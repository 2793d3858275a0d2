package importer_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// checkingEnroller is a fakeEnroller that also answers who is enrolled (importer.EnrolledChecker),
// as the API client does.
type checkingEnroller struct {
	*fakeEnroller
	asked   [][]string // the NIKs of every Enrolled call
	pkgs    []string
	failure error
}

func (c *checkingEnroller) Enrolled(_ context.Context, pkg string, niks []string) ([]string, error) {
	c.asked = append(c.asked, append([]string(nil), niks...))
	c.pkgs = append(c.pkgs, pkg)
	if c.failure != nil {
		return nil, c.failure
	}
	out := make([]string, len(niks))
	for i, n := range niks {
		if c.started[n] {
			out[i] = "case-" + n[len(n)-6:]
		}
	}
	return out, nil
}

// A dry run with a checker reads already-enrolled, with the case ID, for exactly the valid rows
// whose person is enrolled; the others stay valid, the bad rows rejected, and nobody is enrolled.
// The checker is asked only about valid rows.
func TestDryRunSaysAlreadyEnrolled(t *testing.T) {
	rows, err := cohort.Open(cohortDir + "sample-cohort.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad := badRows(t)
	enr := &checkingEnroller{fakeEnroller: &fakeEnroller{started: map[string]bool{}}}
	// Enrol every third valid row beforehand.
	cohort.Validate(rows, rules())
	want := map[int]string{}
	k := 0
	for _, r := range rows {
		if r.Err != nil {
			continue
		}
		if k%3 == 0 {
			enr.started[r.NIK] = true
			want[r.Line] = "case-" + r.NIK[len(r.NIK)-6:]
		}
		k++
	}
	rows, _ = cohort.Open(cohortDir + "sample-cohort.csv")
	rep, err := importer.Run(context.Background(), rows, "P1", enr, importer.Options{DryRun: true, Rules: rules()})
	if err != nil {
		t.Fatal(err)
	}
	if enr.calls != 0 {
		t.Fatalf("dry run called Enrol %d times", enr.calls)
	}
	if len(enr.asked) != 1 || len(enr.asked[0]) != len(rows)-len(bad) || enr.pkgs[0] != "P1" {
		t.Fatalf("checker asked %d times (%v) about %d NIKs, want once about the %d valid rows of P1", len(enr.asked), enr.pkgs, len(enr.asked[0]), len(rows)-len(bad))
	}
	for _, r := range rep.Rows {
		switch id, enrolled := want[r.Line]; {
		case bad[r.Line] != "":
			if r.Outcome != importer.OutcomeRejected {
				t.Errorf("row %d: %s, want rejected", r.Line, r.Outcome)
			}
		case enrolled:
			if r.Outcome != starter.OutcomeAlreadyEnrolled || r.CaseID != id {
				t.Errorf("row %d: %s %q, want already-enrolled %s", r.Line, r.Outcome, r.CaseID, id)
			}
		default:
			if r.Outcome != importer.OutcomeValid || r.CaseID != "" {
				t.Errorf("row %d: %s %q, want valid without a case", r.Line, r.Outcome, r.CaseID)
			}
		}
	}
	c := rep.Counts()
	if len(want) == 0 || c[starter.OutcomeAlreadyEnrolled] != len(want) || c[importer.OutcomeValid] != len(rows)-len(bad)-len(want) {
		t.Fatalf("counts %v, want %d already-enrolled", c, len(want))
	}
}

// A checker that fails fails the dry run, saying so: a preview must not claim rows would start
// when it could not ask.
func TestDryRunCheckerFailure(t *testing.T) {
	rows, err := cohort.Open(cohortDir + "sample-cohort.csv")
	if err != nil {
		t.Fatal(err)
	}
	enr := &checkingEnroller{fakeEnroller: &fakeEnroller{started: map[string]bool{}}, failure: errors.New("server unavailable")}
	_, err = importer.Run(context.Background(), rows, "P1", enr, importer.Options{DryRun: true, Rules: rules()})
	if err == nil || !strings.Contains(err.Error(), "already enrolled") || !strings.Contains(err.Error(), "server unavailable") {
		t.Fatalf("err = %v", err)
	}
}
