package bench

import (
	"bytes"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/nik"
)

// Every generated row passes the same checks an import applies, without warnings, and no NIK
// repeats, also across two exports of one generator (two packages of one run).
func TestGeneratedCohortIsValidAndUnique(t *testing.T) {
	g, err := NewCohortGenerator(7)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	for round := range 2 {
		var buf bytes.Buffer
		if err := g.WriteCSV(&buf, 3000, start); err != nil {
			t.Fatal(err)
		}
		rows, err := cohort.ReadCSV(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3000 {
			t.Fatalf("round %d: read %d rows, want 3000", round, len(rows))
		}
		cohort.Validate(rows, cohort.Rules{StartDate: start, MinAge: 17})
		for _, r := range rows {
			if r.Err != nil {
				t.Fatalf("round %d row %d (%s) rejected: %s: %v", round, r.Line, nik.Mask(r.NIK), r.ErrKind, r.Err)
			}
			if len(r.Warnings) > 0 {
				t.Fatalf("round %d row %d warned: %v", round, r.Line, r.Warnings)
			}
			if seen[r.NIK] {
				t.Fatalf("round %d row %d: NIK %s generated twice", round, r.Line, nik.Mask(r.NIK))
			}
			seen[r.NIK] = true
		}
	}
}

// The same seed gives the same people: a run can be repeated with the same data.
func TestGeneratorIsDeterministic(t *testing.T) {
	start := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	a, _ := NewCohortGenerator(42)
	b, _ := NewCohortGenerator(42)
	for range 100 {
		if pa, pb := a.Person(start), b.Person(start); pa != pb {
			t.Fatalf("same seed, different people: %+v vs %+v", pa, pb)
		}
	}
}
