package activities

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/internal/fieldcheck"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// The worker registers the methods of Activities and Ops under their names; workflows call them
// by the names and types in package contract. Each side must match the other exactly: a method
// the contract does not list is one no workflow can call with a checked type, and a listed
// activity with another argument type would get its argument decoded into the wrong struct.
func TestMethodsKeepTheContract(t *testing.T) {
	listed := map[string]contract.Described{}
	for _, a := range contract.All {
		listed[a.Name()] = a
	}
	ctxType := reflect.TypeFor[context.Context]()
	errType := reflect.TypeFor[error]()
	found := map[string]bool{}
	for _, recv := range []any{&Activities{}, &Ops{}} {
		rv := reflect.ValueOf(recv)
		for i := range rv.NumMethod() {
			name := rv.Type().Method(i).Name
			a, ok := listed[name]
			if !ok {
				t.Errorf("%T.%s is registered as an activity but not declared in package contract", recv, name)
				continue
			}
			if found[name] {
				t.Errorf("activity %s is a method of two registered types", name)
			}
			found[name] = true
			in, out := a.Types()
			wantIn, wantOut := []reflect.Type{ctxType}, []reflect.Type{errType}
			if in != nil {
				wantIn = append(wantIn, in)
			}
			if out != nil {
				wantOut = append([]reflect.Type{out}, wantOut...)
			}
			mt := rv.Method(i).Type()
			gotIn, gotOut := make([]reflect.Type, mt.NumIn()), make([]reflect.Type, mt.NumOut())
			for j := range gotIn {
				gotIn[j] = mt.In(j)
			}
			for j := range gotOut {
				gotOut[j] = mt.Out(j)
			}
			if !slices.Equal(gotIn, wantIn) || !slices.Equal(gotOut, wantOut) || mt.IsVariadic() {
				t.Errorf("%T.%s is %v, the contract says func%v %v", recv, name, mt, wantIn, wantOut)
			}
		}
	}
	for name := range listed {
		if !found[name] {
			t.Errorf("contract declares activity %s, which no registered type implements", name)
		}
	}
}

// A workflow's read-model write reaches the store whole: every field of the contract's rows and
// events lands in the store's field of the same name, and the store's fields left unset are
// exactly the ones the store numbers or keeps itself (Person is read from the participants
// table for lists, never written by a journey).
func TestRowsReachTheStoreWhole(t *testing.T) {
	check := func(t *testing.T, from, to any, storeOwn ...string) {
		t.Helper()
		if d := fieldcheck.Differences(from, to); len(d) > 0 {
			t.Errorf("%T to %T: %v", from, to, d)
		}
		if z := fieldcheck.Zero(to); !slices.Equal(z, storeOwn) {
			t.Errorf("%T left unset: %v, want only %v", to, z, storeOwn)
		}
	}
	var c contract.CaseRow
	fieldcheck.Fill(&c)
	row := caseRow(c)
	// The follow-up is a type of each package's own, like the evidence: field by field.
	if row.FollowUp == nil {
		t.Fatal("the follow-up did not reach the store")
	}
	check(t, *c.FollowUp, *row.FollowUp)
	if d := slices.DeleteFunc(fieldcheck.Differences(c, row), func(s string) bool { return strings.HasPrefix(s, "FollowUp:") }); len(d) > 0 {
		t.Errorf("%T to %T: %v", c, row, d)
	}
	if z, want := fieldcheck.Zero(row), []string{"store.Case.Attempts", "store.Case.LastError", "store.Case.EscalatedAt", "store.Case.EscalatedTo", "store.Case.Person"}; !slices.Equal(z, want) {
		t.Errorf("store.Case left unset: %v, want only %v", z, want)
	}
	var e contract.CaseEvent
	fieldcheck.Fill(&e)
	// The evidence is a type of each package's own: it must reach the store whole, field by field.
	got := caseEvent(e)
	if len(got.Evidence.Units) != len(e.Evidence.Units) || got.Evidence.Assessor != e.Evidence.Assessor || !slices.Equal(got.Evidence.Warnings, e.Evidence.Warnings) {
		t.Errorf("evidence %+v reached the store as %+v", e.Evidence, got.Evidence)
	}
	if len(e.Evidence.Rules) == 0 || !reflect.DeepEqual(got.Evidence.WarningNotes, e.Evidence.WarningNotes) || !reflect.DeepEqual(got.Evidence.Rules, e.Evidence.Rules) {
		t.Errorf("coded evidence %+v reached the store as %+v", e.Evidence, got.Evidence)
	}
	for i := range e.Evidence.Units {
		check(t, e.Evidence.Units[i], got.Evidence.Units[i])
	}
	if d := slices.DeleteFunc(fieldcheck.Differences(e, got), func(s string) bool { return strings.HasPrefix(s, "Evidence:") }); len(d) > 0 {
		t.Errorf("%T to %T: %v", e, got, d)
	}
	if z := fieldcheck.Zero(got); !slices.Equal(z, []string{"store.Event.ID"}) {
		t.Errorf("store.Event left unset: %v, want only its ID", z)
	}
	var a contract.AgreementRow
	fieldcheck.Fill(&a)
	check(t, a, agreementRow(a), "store.Agreement.ID")
	var ae contract.AgreementEvent
	fieldcheck.Fill(&ae)
	evs := agreementEvents([]contract.AgreementEvent{ae})
	if len(evs) != 1 {
		t.Fatalf("%d agreement events", len(evs))
	}
	check(t, ae, evs[0], "store.AgreementEvent.ID")
	var g store.StuckGroup
	fieldcheck.Fill(&g)
	check(t, g, stuckGroup(g))
}
