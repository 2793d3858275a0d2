package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func TestMaskNIKAndAge(t *testing.T) {
	if got := store.MaskNIK("3517010101900003"); got != "3517••••••••0003" {
		t.Errorf("MaskNIK = %q", got)
	}
	if got := store.MaskNIK("12345"); got != "•••45" {
		t.Errorf("MaskNIK(short) = %q", got)
	}
	birth := day(2000, 6, 15)
	for _, tc := range []struct {
		now  time.Time
		want int
	}{{day(2026, 6, 14), 25}, {day(2026, 6, 15), 26}, {day(2026, 12, 1), 26}} {
		if got := store.AgeOn(birth, tc.now); got != tc.want {
			t.Errorf("AgeOn(%v) = %d, want %d", tc.now, got, tc.want)
		}
	}
}

// TestPeopleOnCases: lists carry the participant's name, masked NIK, age and phone, and find
// cases by name words (any case, in order, wildcards literal) or by NIK hash, within a scope.
func TestPeopleOnCases(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	people := []store.Participant{
		{NIKHash: "h1", NIK: "3517010101900003", Name: "Siti Nurhaliza", BirthDate: day(1990, 1, 1), Phone: "081234567890"},
		{NIKHash: "h2", NIK: "3517010101950004", Name: "Budi Santoso", Phone: "0813"},
		{NIKHash: "h3", NIK: "3517010101950005", Name: "Siti_Aminah"},
	}
	for _, p := range people {
		must(t, st.UpsertParticipant(ctx, p))
	}
	for i, c := range []struct{ id, hash, centre string }{{"C1", "h1", "BLK-A"}, {"C2", "h2", "BLK-A"}, {"C3", "h3", "BLK-B"}, {"C4", "h-none", "BLK-A"}} {
		must(t, st.UpsertCase(ctx, store.Case{CaseID: c.id, WorkflowID: "wf-" + c.id, PackageCode: "P", CentreCode: c.centre,
			NIKHash: c.hash, Stage: vocab.StageEnrolment, Version: int64(i + 1)}))
	}
	cs, err := st.ListCases(ctx, store.CaseFilter{})
	must(t, err)
	must(t, st.AttachPeople(ctx, cs, day(2026, 11, 29)))
	byID := map[string]store.Case{}
	for _, c := range cs {
		byID[c.CaseID] = c
	}
	p := byID["C1"].Person
	if p == nil || p.Name != "Siti Nurhaliza" || p.NIKMasked != "3517••••••••0003" || p.Age != 36 || p.Phone != "081234567890" {
		t.Fatalf("C1 person = %+v", p)
	}
	if p := byID["C2"].Person; p == nil || p.Age != 0 || p.BirthDate != nil {
		t.Fatalf("C2 person without a birth date = %+v", p)
	}
	if byID["C4"].Person != nil {
		t.Fatalf("a case without a participant row got %+v", byID["C4"].Person)
	}

	ids := func(f store.CaseFilter) []string {
		t.Helper()
		cs, err := st.ListCases(ctx, f)
		must(t, err)
		n, err := st.CountCases(ctx, f)
		must(t, err)
		if n != len(cs) {
			t.Fatalf("count %d, listed %d", n, len(cs))
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.CaseID)
		}
		return out
	}
	for _, tc := range []struct {
		f    store.CaseFilter
		want string
	}{
		{store.CaseFilter{Name: "siti"}, "[C1 C3]"},
		{store.CaseFilter{Name: "  SITI   nur "}, "[C1]"},
		{store.CaseFilter{Name: "nur siti"}, "[]"},
		{store.CaseFilter{Name: "siti_"}, "[C3]"}, // "_" is a letter here, not LIKE's wildcard
		{store.CaseFilter{Name: "%"}, "[]"},
		{store.CaseFilter{Name: "siti", Scope: store.Scope{CentreCodes: []string{"BLK-A"}}}, "[C1]"},
		{store.CaseFilter{NIKHash: "h2"}, "[C2]"},
		{store.CaseFilter{NIKHash: "h2", Scope: store.Scope{CentreCodes: []string{"BLK-B"}}}, "[]"},
	} {
		if got := fmtIDs(ids(tc.f)); got != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.f, got, tc.want)
		}
	}
}

func fmtIDs(ids []string) string {
	s := "["
	for i, id := range ids {
		if i > 0 {
			s += " "
		}
		s += id
	}
	return s + "]"
}
