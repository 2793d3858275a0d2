package fieldcheck

import (
	"slices"
	"testing"
	"time"
)

type Inner struct {
	When  *time.Time
	Flags []string
}

type sample struct {
	Name  string
	Count int
	OK    bool
	At    time.Time
	Data  any
	Tags  map[string]int
	Inner // embedded: its fields count as the sample's own
	Items []Inner
}

func TestFillLeavesNothingZero(t *testing.T) {
	var s sample
	Fill(&s)
	if z := Zero(s); len(z) != 0 {
		t.Fatalf("zero after Fill: %v", z)
	}
	if s.Name != "fieldcheck.sample.Name" || s.Data != "fieldcheck.sample.Data" || s.Items[1].Flags[0] != "fieldcheck.sample.Items[1].Flags[0]" {
		t.Fatalf("paths: %+v", s)
	}
	if s.At.Location() != time.UTC || s.At.Equal(*s.When) {
		t.Fatalf("times must be UTC and distinct: %v %v", s.At, *s.When)
	}
}

func TestZeroNamesEachEmptyField(t *testing.T) {
	var s sample
	Fill(&s)
	s.OK, s.Tags, s.Inner.When, s.Items[0].Flags = false, nil, nil, []string{}
	got := Zero(s)
	want := []string{"fieldcheck.sample.OK", "fieldcheck.sample.Tags", "fieldcheck.sample.Inner.When", "fieldcheck.sample.Items[0].Flags"}
	if !slices.Equal(got, want) {
		t.Fatalf("Zero = %v, want %v", got, want)
	}
}

type mirror struct {
	Name  string
	Count int
	When  *time.Time
}

func TestDifferencesByName(t *testing.T) {
	var s sample
	Fill(&s)
	m := mirror{Name: s.Name, Count: s.Count + 1, When: s.When}
	got := Differences(m, s)
	if len(got) != 1 || got[0][:6] != "Count:" {
		t.Fatalf("Differences = %v", got)
	}
	if got := Differences(s, m); !slices.Contains(got, "Flags: missing") || !slices.Contains(got, "OK: missing") {
		t.Fatalf("fields the target lacks: %v", got)
	}
}

// selfHolding is a type that holds itself, as i18n.Message holds its parts.
type selfHolding struct {
	Code  string
	Parts map[string]selfHolding
	Next  *selfHolding
	List  []selfHolding
}

// TestFillEndsOnATypeThatHoldsItself: Fill returns, fills the rest, and Zero does not count the
// parts left empty where the type would hold itself.
func TestFillEndsOnATypeThatHoldsItself(t *testing.T) {
	var v struct {
		Msg  selfHolding
		Msgs []selfHolding
	}
	Fill(&v)
	if v.Msg.Code == "" || len(v.Msgs) != 2 || v.Msgs[1].Code == "" {
		t.Fatalf("not filled: %+v", v)
	}
	if v.Msg.Parts != nil || v.Msg.Next != nil || v.Msg.List != nil {
		t.Fatalf("the self-holding parts were filled: %+v", v.Msg)
	}
	if z := Zero(v); len(z) != 0 {
		t.Fatalf("Zero counts the self-holding parts: %v", z)
	}
	v.Msg.Code = ""
	if z := Zero(v); len(z) != 1 {
		t.Fatalf("Zero missed an empty field: %v", z)
	}
}
